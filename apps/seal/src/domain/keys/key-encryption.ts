// Private keys at rest: PKCS#8 DER sealed with AES-256-GCM under the key-encryption key (KEK).
// The envelope carries the KEK's id, so a key sealed under another (e.g. a development) KEK is
// recognised and refused instead of failing as garbage.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

const VERSION = 1;
const KEK_ID_BYTES = 8;

export interface KeyEncryptionKey {
  /** 32 secret bytes. */
  readonly key: Buffer;
  /** Short public fingerprint of the key, stored with every sealed key. */
  readonly id: string;
  /** True when generated for development; production refuses it and anything sealed under it. */
  readonly development: boolean;
}

export function keyEncryptionKey(key: Buffer, development: boolean): KeyEncryptionKey {
  if (key.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  return { key, id: kekId(key), development };
}

export function kekId(key: Buffer): string {
  return createHash('sha256')
    .update('seal-kek-id')
    .update(key)
    .digest('hex')
    .slice(0, KEK_ID_BYTES * 2);
}

export class KeyUnsealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyUnsealError';
  }
}

export function sealPrivateKey(privateKey: KeyObject, kek: KeyEncryptionKey): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek.key, iv);
  const header = Buffer.concat([Buffer.from([VERSION]), Buffer.from(kek.id, 'hex')]);
  cipher.setAAD(header);
  const plain = privateKey.export({ type: 'pkcs8', format: 'der' });
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

export function unsealPrivateKey(sealed: Uint8Array, kek: KeyEncryptionKey): KeyObject {
  const buf = Buffer.from(sealed);
  if (buf[0] !== VERSION) throw new KeyUnsealError('unknown key envelope version');
  const header = buf.subarray(0, 1 + KEK_ID_BYTES);
  const sealedUnder = header.subarray(1).toString('hex');
  if (sealedUnder !== kek.id)
    throw new KeyUnsealError(`key was sealed under another key-encryption key (${sealedUnder})`);
  const iv = buf.subarray(header.length, header.length + 12);
  const tag = buf.subarray(header.length + 12, header.length + 28);
  const decipher = createDecipheriv('aes-256-gcm', kek.key, iv);
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(buf.subarray(header.length + 28)), decipher.final()]);
  try {
    return createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
  } finally {
    plain.fill(0);
  }
}
