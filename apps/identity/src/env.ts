// The identity service's configuration: the only place it reads process.env.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseEnvSchema, parseEnv } from '@platform/service-kit';
import { z } from 'zod';
import { DeclaredClients } from './domain/clients/bootstrap-clients.ts';

/** `<repo>/.data/identity`: the repository root is the nearest folder above holding turbo.json. */
function defaultDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(join(dir, 'turbo.json'))) return join(dir, '.data', 'identity');
    dir = dirname(dir);
  }
  return resolve('.data', 'identity');
}

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const developmentAdapter = z.enum(['development']).default('development');

export const envSchema = baseEnvSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(4001),
    ISSUER_URL: z
      .url()
      .default('http://localhost:4001')
      .transform((url) => url.replace(/\/+$/, ''))
      .describe('OIDC issuer: the public base URL of this service'),
    KEY_ENCRYPTION_KEY: z
      .string()
      .regex(/^(dev\.)?[A-Za-z0-9+/=_-]{43,88}$/, '32 random bytes, base64 or base64url encoded')
      .optional()
      .describe('Encrypts signing keys and TOTP secrets at rest; generated into DATA_DIR in development'),
    DATA_DIR: z.string().min(1).default(defaultDataDir()),
    SIGNING_KEY_ROTATION_DAYS: z.coerce.number().positive().default(30),
    SIGNING_KEY_OVERLAP_HOURS: z.coerce.number().positive().default(24),
    ACCESS_TOKEN_TTL_SECONDS: seconds(600),
    ID_TOKEN_TTL_SECONDS: seconds(600),
    REFRESH_TOKEN_IDLE_TTL_SECONDS: seconds(14 * 24 * 3600),
    REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: seconds(30 * 24 * 3600),
    SESSION_IDLE_TIMEOUT_SECONDS: seconds(30 * 60),
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: seconds(12 * 3600),
    OTP_TTL_SECONDS: z.coerce.number().int().min(30).max(600).default(300),
    LOGIN_ATTEMPTS_PER_IP: z.coerce
      .number()
      .int()
      .positive()
      .default(300)
      .describe('Login attempts allowed per client IP per 5 minutes'),
    SMS_GATEWAY: developmentAdapter,
    REGISTRY_ADAPTER: developmentAdapter,
    FACE_CHECK_ADAPTER: developmentAdapter,
    ALLOW_DEVELOPMENT_ADAPTERS: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true')
      .describe('Staging only: let NODE_ENV=production run the development SMS/registry/face adapters'),
    FEDERATION_ISSUER: z.url().optional().describe('Upstream (national) OIDC provider to offer as a login option'),
    FEDERATION_CLIENT_ID: z.string().min(1).optional(),
    FEDERATION_CLIENT_SECRET: z.string().min(1).optional(),
    FEDERATION_NAME: z.string().min(1).default('国家政务服务平台'),
    BOOTSTRAP_CLIENTS: DeclaredClients.describe(
      'JSON array of clients (the console, service-to-service clients) created or updated at every start',
    ),
  })
  .superRefine((env, ctx) => {
    const federation = [env.FEDERATION_ISSUER, env.FEDERATION_CLIENT_ID, env.FEDERATION_CLIENT_SECRET];
    if (federation.some(Boolean) && !federation.every(Boolean))
      ctx.addIssue({
        code: 'custom',
        path: ['FEDERATION_ISSUER'],
        message: 'needs FEDERATION_CLIENT_ID and FEDERATION_CLIENT_SECRET (all three or none)',
      });
    if (env.NODE_ENV !== 'production') return;
    if (!env.KEY_ENCRYPTION_KEY)
      ctx.addIssue({ code: 'custom', path: ['KEY_ENCRYPTION_KEY'], message: 'is required in production' });
    else if (env.KEY_ENCRYPTION_KEY.startsWith('dev.'))
      ctx.addIssue({
        code: 'custom',
        path: ['KEY_ENCRYPTION_KEY'],
        message: 'is a generated development key, refused in production',
      });
    if (!env.ALLOW_DEVELOPMENT_ADAPTERS)
      for (const name of ['SMS_GATEWAY', 'REGISTRY_ADAPTER', 'FACE_CHECK_ADAPTER'] as const)
        if (env[name] === 'development')
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'is a development adapter, refused in production (no real adapter is configured)',
          });
    if (!env.ISSUER_URL.startsWith('https://'))
      ctx.addIssue({ code: 'custom', path: ['ISSUER_URL'], message: 'must be an https:// URL in production' });
  });
export type Env = z.infer<typeof envSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnv(envSchema, source);
}
