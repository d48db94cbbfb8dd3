import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from './key-algorithm.ts';
import { keyEncryptionKey, sealPrivateKey, unsealPrivateKey } from './key-encryption.ts';
import { KeyCustody } from './key-custody.ts';
import { resolveKek } from './kek-source.ts';

describe('private keys at rest', () => {
  it('round-trips a key and never stores the PKCS#8 bytes in the clear', () => {
    const kek = keyEncryptionKey(randomBytes(32), false);
    const { privateKey } = generateKeyPair('ecdsa-p256');
    const plain = privateKey.export({ type: 'pkcs8', format: 'der' });
    const sealed = sealPrivateKey(privateKey, kek);
    expect(sealed.includes(plain.subarray(30, 62))).toBe(false);
    const back = unsealPrivateKey(sealed, kek);
    expect(back.export({ type: 'pkcs8', format: 'der' }).equals(plain)).toBe(true);
  });

  it('refuses a key sealed under another KEK, and a tampered envelope', () => {
    const kek = keyEncryptionKey(randomBytes(32), false);
    const sealed = sealPrivateKey(generateKeyPair('rsa-2048').privateKey, kek);
    expect(() => unsealPrivateKey(sealed, keyEncryptionKey(randomBytes(32), false))).toThrow(
      /another key-encryption key/,
    );
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => unsealPrivateKey(tampered, kek)).toThrow();
  });

  it('generates a development KEK once into the data folder and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seal-kek-'));
    try {
      const first = resolveKek({ nodeEnv: 'development', configured: undefined, dataDir: join(dir, 'seal') });
      const second = resolveKek({ nodeEnv: 'development', configured: undefined, dataDir: join(dir, 'seal') });
      expect(first.development).toBe(true);
      expect(second.key.equals(first.key)).toBe(true);
      const file = join(dir, 'seal', 'development-kek.key');
      expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start in production without a configured KEK, and refuses development keys there', () => {
    expect(() => resolveKek({ nodeEnv: 'production', configured: undefined, dataDir: '/nonexistent' })).toThrow(
      'KEY_ENCRYPTION_KEY is required in production; development keys are refused',
    );
    expect(() => resolveKek({ nodeEnv: 'production', configured: 'short', dataDir: '/x' })).toThrow(/must be 32 bytes/);
    const configured = resolveKek({
      nodeEnv: 'production',
      configured: randomBytes(32).toString('base64'),
      dataDir: '/x',
    });
    expect(configured.development).toBe(false);
    expect(() => new KeyCustody(keyEncryptionKey(randomBytes(32), true), true)).toThrow(
      /development key-encryption key is refused/,
    );
    // A key sealed in development cannot be used by a production service even with the same KEK bytes.
    const bytes = randomBytes(32);
    const devCustody = new KeyCustody(keyEncryptionKey(bytes, true), false);
    const sealed = devCustody.seal(generateKeyPair('ecdsa-p256').privateKey);
    const prodCustody = new KeyCustody(keyEncryptionKey(bytes, false), true);
    expect(() => prodCustody.signer({ id: 'k', ...sealed })).toThrow(
      /development key-encryption key is refused in production/,
    );
  });
});
