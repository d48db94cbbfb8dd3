import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@platform/service-kit';
import { describe, expect, it } from 'vitest';
import { loadKeyEncryptionKey } from '@platform/key-custody';
import { loadEnv } from './env.ts';

const base = { DATABASE_URL: 'postgresql://localhost/identity' };
const productionBase = {
  ...base,
  NODE_ENV: 'production',
  ISSUER_URL: 'https://id.example.gov.cn',
  ALLOW_DEVELOPMENT_ADAPTERS: 'true',
};

describe('identity configuration', () => {
  it('defaults the issuer to http://localhost:4001', () => {
    expect(loadEnv(base).ISSUER_URL).toBe('http://localhost:4001');
  });

  it('refuses production without a key-encryption key, with a development key, or with development adapters', () => {
    expect(() => loadEnv(productionBase)).toThrow(/KEY_ENCRYPTION_KEY is required in production/);
    expect(() =>
      loadEnv({ ...productionBase, KEY_ENCRYPTION_KEY: `dev.${randomBytes(32).toString('base64url')}` }),
    ).toThrow(/development key/);
    expect(() =>
      loadEnv({
        ...productionBase,
        KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
        ALLOW_DEVELOPMENT_ADAPTERS: 'false',
      }),
    ).toThrow(ConfigError);
    expect(() =>
      loadEnv({
        ...productionBase,
        KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
        ISSUER_URL: 'http://id.example.gov.cn',
      }),
    ).toThrow(/https/);
    expect(loadEnv({ ...productionBase, KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') }).NODE_ENV).toBe(
      'production',
    );
  });

  it('refuses OTP lifetimes above 10 minutes', () => {
    expect(() => loadEnv({ ...base, OTP_TTL_SECONDS: '601' })).toThrow(/OTP_TTL_SECONDS/);
  });

  it('generates a development key once into the data folder, readable by the owner only', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'identity-kek-')), 'nested');
    const first = loadKeyEncryptionKey({ configured: undefined, nodeEnv: 'development', dataDir });
    const second = loadKeyEncryptionKey({ configured: undefined, nodeEnv: 'development', dataDir });
    expect(first.key.equals(second.key)).toBe(true);
    expect(first.source).toBe('generated-file');
    expect(readFileSync(join(dataDir, 'key-encryption-key'), 'utf8')).toMatch(/^dev\./);
    expect(statSync(join(dataDir, 'key-encryption-key')).mode & 0o777).toBe(0o600);
    expect(() => loadKeyEncryptionKey({ configured: undefined, nodeEnv: 'production', dataDir })).toThrow(
      /required in production/,
    );
  });
});
