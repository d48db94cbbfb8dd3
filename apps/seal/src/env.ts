// The seal service's configuration: the only place it reads process.env.
import { fileURLToPath } from 'node:url';
import { authEnvSchema } from '@platform/auth';
import { baseEnvSchema, parseEnv } from '@platform/service-kit';
import { z } from 'zod';
import { DeclaredSeals } from './domain/seals/declared-seals.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const envSchema = baseEnvSchema.extend(authEnvSchema.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(4003),
  // PDFs travel base64-encoded in JSON: room for a MAX_DOCUMENT_BYTES document plus a third.
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024)
    .describe('Largest document (PDF or bytes) accepted for signing or verification'),
  PUBLIC_URL: z
    .url()
    .default('http://localhost:4003')
    .describe('Base URL where this service is reachable: written into certificates (CRL, OCSP, CA issuers)'),
  KEY_ENCRYPTION_KEY: z
    .string()
    .optional()
    .describe('32-byte key (64 hex chars or base64) sealing CA and seal private keys; required in production'),
  DATA_DIR: z
    .string()
    .default(`${REPO_ROOT}.data/seal`)
    .describe('Git-ignored folder for development state (the generated development key-encryption key)'),
  BOOTSTRAP_SEALS: DeclaredSeals.describe(
    'Development only: JSON array of seals made active and authorised at start (npm start, compose, e2e)',
  ),
});
export type Env = z.infer<typeof envSchema>;

const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && env.BOOTSTRAP_SEALS.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['BOOTSTRAP_SEALS'],
      message: 'is for development: in production seals are applied for and approved by people',
    });
});

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnv(checkedEnvSchema, source);
}
