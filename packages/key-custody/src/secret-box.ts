// Encryption at rest with the key-encryption key (KEK): AES-256-GCM, bound to a context string (AAD)
// so that a ciphertext moved to another row (another kid, another account) does not decrypt.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretBox {
  /** Fingerprint of the KEK, stored beside each ciphertext to explain a mismatch clearly. */
  readonly kekId: string;

  constructor(private readonly kek: Buffer) {
    if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
    this.kekId = createHash('sha256').update(kek).digest('hex').slice(0, 16);
  }

  seal(plaintext: Buffer | string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [VERSION, iv, body, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, context: string): Buffer {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('unknown ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.kek, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }

  /** A key derived from the KEK for one purpose (e.g. "identity:csrf"), the same on every replica. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.kek, Buffer.alloc(0), purpose, 32));
  }
}
