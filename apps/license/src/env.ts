// The license service's configuration: the only place it reads process.env.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authEnvSchema } from '@platform/auth';
import { baseEnvSchema, parseEnv } from '@platform/service-kit';
import { z } from 'zod';

/** `<repo>/.data/license`: the repository root is the nearest folder above holding turbo.json. */
function defaultDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(join(dir, 'turbo.json'))) return join(dir, '.data', 'license');
    dir = dirname(dir);
  }
  return resolve('.data', 'license');
}

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const envSchema = baseEnvSchema
  .extend(authEnvSchema.shape)
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(4002),
    PUBLIC_URL: z
      .url()
      .default('http://localhost:4002')
      .transform((url) => url.replace(/\/+$/, ''))
      .describe('Public base URL of this node: issuer ids, JWKS and status-list URLs are built from it'),
    KEY_ENCRYPTION_KEY: z
      .string()
      .regex(/^(dev\.)?[A-Za-z0-9+/=_-]{43,88}$/, '32 random bytes, base64 or base64url encoded')
      .optional()
      .describe('Encrypts issuer signing keys at rest; generated into DATA_DIR outside production'),
    DATA_DIR: z.string().min(1).default(defaultDataDir()),
    PRESENTATION_TTL_SECONDS: z.coerce.number().int().min(10).max(600).default(60),
    STATUS_LIST_TTL_SECONDS: seconds(3600).describe('How long a signed status list is valid (verifiers refresh after)'),
    BATCH_POLL_MS: z.coerce
      .number()
      .int()
      .min(10)
      .default(1000)
      .describe('How often an idle batch worker looks for rows'),
    BATCH_CLAIM_SIZE: z.coerce.number().int().min(1).max(1000).default(25),
    BATCH_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1_048_576)
      .default(32 * 1_048_576)
      .describe('Largest batch.issue upload (a 10,000-row batch is about 7 MB); other calls keep BODY_LIMIT_BYTES'),
    BATCH_LEASE_SECONDS: seconds(300).describe(
      'How long a replica keeps claimed batch rows before others may take them',
    ),
    ANNOTATED_COPY_TTL_SECONDS: seconds(24 * 3600).describe('Longest life of an annotated copy (加注件)'),
    SEAL_URL: z
      .url()
      .optional()
      .describe('Base URL of the seal service that seals license files; required in production'),
    SEAL_RESOURCE: z.string().min(1).default('urn:platform:seal').describe('Resource (audience) of seal tokens'),
    SERVICE_CLIENT_ID: z.string().min(1).optional().describe('This service’s client at identity (client_credentials)'),
    SERVICE_CLIENT_SECRET: z.string().min(1).optional(),
    LICENSE_SEAL_KIND: z
      .enum(['official', 'contract', 'finance', 'invoice', 'business'])
      .default('official')
      .describe('Which of the issuing authority’s seals signs license files (official = 公章)'),
    FILE_POLL_MS: z.coerce.number().int().min(10).default(1000).describe('How often the file worker looks for work'),
    FILE_CLAIM_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    FILE_LEASE_SECONDS: seconds(120).describe('How long a replica keeps a claimed file before others may take it'),
    FILE_RETRY_BASE_SECONDS: seconds(5).describe('First retry delay after a failed sealing; doubles per attempt'),
    FILE_RETRY_MAX_SECONDS: seconds(3600),
  })
  .superRefine((env, ctx) => {
    if (env.SEAL_URL && !(env.SERVICE_CLIENT_ID && env.SERVICE_CLIENT_SECRET))
      ctx.addIssue({
        code: 'custom',
        path: ['SERVICE_CLIENT_ID'],
        message: 'SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET are needed to call the seal service',
      });
    if (env.NODE_ENV !== 'production') return;
    // License files are legal documents: production never leaves them unsealed for want of config.
    if (!env.SEAL_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['SEAL_URL'],
        message: 'is required in production (license files are sealed)',
      });
    if (!env.KEY_ENCRYPTION_KEY)
      ctx.addIssue({ code: 'custom', path: ['KEY_ENCRYPTION_KEY'], message: 'is required in production' });
    else if (env.KEY_ENCRYPTION_KEY.startsWith('dev.'))
      ctx.addIssue({
        code: 'custom',
        path: ['KEY_ENCRYPTION_KEY'],
        message: 'is a generated development key, refused in production',
      });
    if (!env.PUBLIC_URL.startsWith('https://'))
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be an https:// URL in production' });
  });
export type Env = z.infer<typeof envSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnv(envSchema, source);
}
