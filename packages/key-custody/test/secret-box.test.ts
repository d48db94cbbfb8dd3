import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../src/index.ts';

describe('SecretBox (AES-256-GCM at rest)', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed for the same context only', () => {
    const sealed = box.seal('private key bytes', 'signing-key:abc');
    expect(sealed).not.toContain('private');
    expect(box.open(sealed, 'signing-key:abc').toString()).toBe('private key bytes');
    expect(() => box.open(sealed, 'signing-key:other')).toThrow();
  });

  it('refuses tampered ciphertext and another key', () => {
    const sealed = box.seal('secret', 'ctx');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() => box.open([parts[0], parts[1], body.toString('base64url'), parts[3]].join('.'), 'ctx')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'ctx')).toThrow();
  });

  it('derives the same purpose key from the same KEK (replicas agree) and different keys per purpose', () => {
    const kek = randomBytes(32);
    expect(new SecretBox(kek).deriveKey('identity:csrf')).toEqual(new SecretBox(kek).deriveKey('identity:csrf'));
    expect(new SecretBox(kek).deriveKey('identity:csrf')).not.toEqual(new SecretBox(kek).deriveKey('identity:otp'));
  });
});
