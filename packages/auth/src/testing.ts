// A stand-in token issuer for other services' tests: real ES256 keys, a real JWKS over HTTP and
// tokens in identity's exact format, so services test their authorisation without running identity.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  /** Signs an access token (typ at+jwt) with the issuer's key; claims override the defaults. */
  mint(claims: JWTPayload & { aud: string | string[]; sub: string }, options?: MintOptions): Promise<string>;
  /** Number of JWKS fetches served so far. */
  jwksFetches(): number;
  close(): Promise<void>;
}

export interface MintOptions {
  typ?: string;
  kid?: string;
  expiresInSeconds?: number;
  /** Sign with a key that is not in the JWKS (for negative tests). */
  foreignKey?: boolean;
  extraHeader?: Record<string, unknown>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const foreign = await generateKeyPair('ES256');
  const kid = `test-${randomUUID()}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  let fetches = 0;

  const server: Server = createServer((req, res) => {
    if (req.url === '/oidc/jwks') {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const issuer = `http://127.0.0.1:${port}`;

  return {
    issuer,
    jwksUrl: `${issuer}/oidc/jwks`,
    jwksFetches: () => fetches,
    async mint(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ client_id: 'test-client', scope: '', jti: randomUUID(), ...claims })
        .setProtectedHeader({
          alg: 'ES256',
          typ: options.typ ?? 'at+jwt',
          kid: options.kid ?? kid,
          ...options.extraHeader,
        })
        .setIssuer(typeof claims.iss === 'string' ? claims.iss : issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresInSeconds ?? 300))
        .sign(options.foreignKey ? foreign.privateKey : privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
