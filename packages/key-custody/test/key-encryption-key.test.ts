import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeyEncryptionKey } from '../src/index.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'kek-'));

describe('key-encryption key', () => {
  it('generates a development key once, private to the owner, and reuses it', () => {
    const dataDir = fresh();
    const first = loadKeyEncryptionKey({ configured: undefined, nodeEnv: 'development', dataDir });
    const second = loadKeyEncryptionKey({ configured: undefined, nodeEnv: 'development', dataDir });
    expect(first).toEqual({ key: second.key, source: 'generated-file' });
    expect(first.key).toHaveLength(32);
    expect(readFileSync(join(dataDir, 'key-encryption-key'), 'utf8')).toMatch(/^dev\./);
    expect(statSync(join(dataDir, 'key-encryption-key')).mode & 0o777).toBe(0o600);
  });

  it('refuses to run production without a configured key, or with a development key', () => {
    const dataDir = fresh();
    expect(() => loadKeyEncryptionKey({ configured: undefined, nodeEnv: 'production', dataDir })).toThrow(
      'KEY_ENCRYPTION_KEY is required in production',
    );
    const devKey = `dev.${Buffer.alloc(32, 1).toString('base64url')}`;
    expect(() => loadKeyEncryptionKey({ configured: devKey, nodeEnv: 'production', dataDir })).toThrow(
      'refused in production',
    );
  });

  it('accepts a configured 32-byte key and rejects other lengths', () => {
    const key = Buffer.alloc(32, 7);
    expect(
      loadKeyEncryptionKey({ configured: key.toString('base64'), nodeEnv: 'production', dataDir: fresh() }),
    ).toEqual({ key, source: 'environment' });
    expect(() =>
      loadKeyEncryptionKey({
        configured: Buffer.alloc(16).toString('base64'),
        nodeEnv: 'production',
        dataDir: fresh(),
      }),
    ).toThrow('exactly 32 bytes');
  });
});
