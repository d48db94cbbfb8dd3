export { createTokenVerifier, type TokenVerifier, type VerifierOptions } from './verifier.ts';
export { createKeyStore, type KeyStore, type KeyStoreOptions } from './jwks.ts';
export { bearerAuthenticator } from './authenticate.ts';
export { requireScope, requireTrustLevel } from './guards.ts';
export { clientCredentialsTokenSource, type ClientCredentialsOptions, type TokenSource } from './client-credentials.ts';
export { principalFromClaims, type Principal } from './principal.ts';
export { authEnvSchema, identityTokenUrl, type AuthEnv } from './env.ts';
