// The configuration fragment every resource server adds to its own env schema (this module only
// describes variables; each service's env.ts reads them).
import { z } from 'zod';

export const authEnvSchema = z.object({
  IDENTITY_ISSUER_URL: z
    .url()
    .default('http://localhost:4001')
    .describe('Issuer URL of the identity service, exactly as in its tokens'),
  IDENTITY_JWKS_URL: z
    .url()
    .optional()
    .describe('Where to fetch identity’s signing keys; defaults to <issuer>/oidc/jwks'),
  IDENTITY_URL: z
    .url()
    .optional()
    .describe(
      'Where this service reaches identity (token endpoint) when that differs from the issuer URL, e.g. inside a container network; defaults to the issuer',
    ),
});
export type AuthEnv = z.infer<typeof authEnvSchema>;

/** Identity's token endpoint as this service reaches it (IDENTITY_URL, else the issuer). */
export const identityTokenUrl = (env: AuthEnv): string =>
  `${(env.IDENTITY_URL ?? env.IDENTITY_ISSUER_URL).replace(/\/+$/, '')}/oidc/token`;
