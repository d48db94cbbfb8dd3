// The console's configuration: the only place it reads process.env. The console is the BFF of the
// web app: it holds the OIDC client secret and the users' tokens, so none of them reach a browser.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseEnvSchema, parseEnv } from '@platform/service-kit';
import { z } from 'zod';

const httpUrl = () => z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ''));
const urlWithDefault = (fallback: string) => httpUrl().default(fallback);
const optionalUrl = () => httpUrl().optional();

/** Scopes asked for at login; each service reads only its own (license:*, payment:*, seal:*). */
export const DEFAULT_SCOPES = [
  'openid',
  'profile',
  'phone',
  'license:read',
  'license:issue',
  'license:manage',
  'license:verify',
  'license:admin',
  'seal:admin',
  'seal:sign',
  'seal:approve',
  'payment:finance',
  'payment:admin',
].join(' ');

/** The built single-page app: `dist/public` beside this package (vite build). */
const defaultStaticDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'public');

export const envSchema = baseEnvSchema
  .omit({ DATABASE_URL: true })
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    PUBLIC_URL: urlWithDefault('http://localhost:4000').describe(
      'Where browsers reach the console; the OIDC redirect URIs are built from it',
    ),
    IDENTITY_ISSUER_URL: urlWithDefault('http://localhost:4001').describe(
      'Issuer URL of identity, exactly as in its tokens',
    ),
    IDENTITY_URL: optionalUrl().describe(
      'Where this server reaches identity (token endpoint, JWKS, API); defaults to the issuer URL',
    ),
    OIDC_CLIENT_ID: z.string().min(1).max(100).default('console'),
    OIDC_CLIENT_SECRET: z
      .string()
      .min(32, 'at least 32 characters (generated, never typed by a person)')
      .describe('Secret of the console’s confidential client at identity'),
    OIDC_SCOPES: z.string().min(1).default(DEFAULT_SCOPES),
    LICENSE_URL: urlWithDefault('http://localhost:4002'),
    SEAL_URL: urlWithDefault('http://localhost:4003'),
    PAYMENT_URL: urlWithDefault('http://localhost:4004'),
    BANKSIM_URL: optionalUrl().describe(
      'Sandbox payment channel; unset in production (the pay page then offers no sandbox channel)',
    ),
    SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).default(1800),
    SESSION_ABSOLUTE_SECONDS: z.coerce.number().int().min(300).default(43_200),
    MAX_SESSIONS: z.coerce.number().int().min(10).default(100_000),
    STATIC_DIR: z.string().min(1).default(defaultStaticDir).describe('The built single-page app (vite build)'),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['PUBLIC_URL', 'IDENTITY_ISSUER_URL'] as const)
      if (!env[name].startsWith('https://'))
        ctx.addIssue({ code: 'custom', path: [name], message: 'an https:// URL in production' });
  });
export type Env = z.infer<typeof envSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnv(envSchema, source);
}
