export { decodeKeyEncryptionKey, loadKeyEncryptionKey } from './key-encryption-key.ts';
export { SecretBox } from './secret-box.ts';
