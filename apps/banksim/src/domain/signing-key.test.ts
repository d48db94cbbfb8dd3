import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCallbackSigner } from './signing-key.ts';

describe('callback signing key', () => {
  it('is generated on first start, kept private on disk, and reused afterwards', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'banksim-key-test-')), 'nested');
    const first = loadCallbackSigner(dir);
    const file = join(dir, 'callback-signing-key.pem');
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadCallbackSigner(dir);
    expect(second.publicKeyPem).toBe(first.publicKeyPem);
  });

  it('signs `${timestamp}.${body}` with RSA-SHA256, verifiable with the published public key', () => {
    const signer = loadCallbackSigner(mkdtempSync(join(tmpdir(), 'banksim-key-test-')));
    const signature = Buffer.from(signer.sign(1_700_000_000, '{"a":1}'), 'base64');
    const key = createPublicKey(signer.publicKeyPem);
    expect(verify('sha256', Buffer.from('1700000000.{"a":1}'), key, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('1700000001.{"a":1}'), key, signature)).toBe(false);
    expect(verify('sha256', Buffer.from('1700000000.{"a":2}'), key, signature)).toBe(false);
  });
});
