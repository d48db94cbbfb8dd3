import { ConfigError } from '@platform/service-kit';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';

const base = { DATABASE_URL: 'postgresql://u@h/db' };

describe('license env', () => {
  it('refuses production without a KEK, with a generated development KEK, or with an http public URL', () => {
    expect(() => loadEnv({ ...base, NODE_ENV: 'production', PUBLIC_URL: 'https://license.example.cn' })).toThrow(
      /KEY_ENCRYPTION_KEY is required in production/,
    );
    expect(() =>
      loadEnv({
        ...base,
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://l.example.cn',
        KEY_ENCRYPTION_KEY: `dev.${'A'.repeat(43)}`,
      }),
    ).toThrow(/development key, refused in production/);
    expect(() => loadEnv({ ...base, NODE_ENV: 'production', KEY_ENCRYPTION_KEY: 'A'.repeat(43) })).toThrow(ConfigError);
  });

  it('defaults the QR lifetime to 60 s and the port to 4002', () => {
    expect(loadEnv(base)).toMatchObject({
      PORT: 4002,
      PRESENTATION_TTL_SECONDS: 60,
      PUBLIC_URL: 'http://localhost:4002',
    });
  });
});
