// A stand-in OpenID provider for the BFF's unit tests: real ES256 keys, discovery, JWKS and a token
// endpoint over real HTTP, recording what the console sent, so each check of the console's OIDC
// client can be exercised with a token made wrong in exactly one way.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';

export interface FakeIdentity {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The code the authorize step "issued"; the token endpoint accepts it with the right verifier. */
  issueCode(request: { codeChallenge: string; nonce: string; redirectUri: string }, claims?: JWTPayload): string;
  /** Token requests received, form fields as sent. */
  tokenRequests: Array<Record<string, string>>;
  /** How the next access tokens for a resource are made wrong (unset: made right). */
  accessTokenFlaw: 'foreign-key' | 'id-token-typ' | 'other-audience' | 'unavailable' | undefined;
  sign(claims: JWTPayload, options?: { typ?: string; foreign?: boolean; aud?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startFakeIdentity(): Promise<FakeIdentity> {
  const key = await generateKeyPair('ES256', { extractable: true });
  const foreign = await generateKeyPair('ES256');
  const kid = 'fake-key-1';
  const jwk = { ...(await exportJWK(key.publicKey)), kid, alg: 'ES256', use: 'sig' };
  const clientId = 'console';
  const clientSecret = 'a'.repeat(43);
  const codes = new Map<string, { codeChallenge: string; nonce: string; redirectUri: string; claims: JWTPayload }>();
  const tokenRequests: Array<Record<string, string>> = [];
  let issuer = '';

  const sign = (claims: JWTPayload, options: { typ?: string; foreign?: boolean; aud?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const signingKey: CryptoKey = options.foreign ? foreign.privateKey : key.privateKey;
    return new SignJWT({ jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: options.typ ?? 'JWT', kid })
      .setIssuer(issuer)
      .setAudience(options.aud ?? clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(signingKey);
  };

  // An RFC 9068 access token as identity makes it for a resource, or wrong in one way when asked.
  const flawed = { accessTokenFlaw: undefined as FakeIdentity['accessTokenFlaw'] };
  const accessToken = (resource: string, scope: string) => {
    const flaw = flawed.accessTokenFlaw;
    return sign(
      { sub: 'account-1', client_id: clientId, scope, acr: '2', sid: 'sid-1' },
      {
        typ: flaw === 'id-token-typ' ? 'JWT' : 'at+jwt',
        foreign: flaw === 'foreign-key',
        aud: flaw === 'other-audience' ? 'urn:platform:elsewhere' : resource,
      },
    );
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/oidc/authorize`,
        token_endpoint: `${issuer}/oidc/token`,
        jwks_uri: `${issuer}/oidc/jwks`,
        end_session_endpoint: `${issuer}/oidc/logout`,
        revocation_endpoint: `${issuer}/oidc/revoke`,
        userinfo_endpoint: `${issuer}/oidc/userinfo`,
      });
    if (url.pathname === '/oidc/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/oidc/revoke') return json(200, {});
    if (url.pathname === '/oidc/userinfo')
      return req.headers.authorization === 'Bearer header.payload.signature'
        ? json(200, { sub: 'account-1', name: '张三', subject_type: 'natural_person', id_number: '110105199001011234' })
        : json(401, { error: 'invalid_token' });
    if (url.pathname === '/oidc/token') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const params = Object.fromEntries(new URLSearchParams(body));
        tokenRequests.push(params);
        const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
        if (req.headers.authorization !== `Basic ${basic}`) return json(401, { error: 'invalid_client' });
        if (params.grant_type === 'refresh_token') {
          if (flawed.accessTokenFlaw === 'unavailable') return json(503, { error: 'temporarily_unavailable' });
          if (!params.refresh_token?.startsWith('refresh-')) return json(400, { error: 'invalid_grant' });
          return void accessToken(params.resource ?? clientId, params.scope ?? '').then((token) =>
            json(200, {
              access_token: token,
              token_type: 'Bearer',
              expires_in: 600,
              refresh_token: `refresh-${randomUUID()}`,
              scope: params.scope,
            }),
          );
        }
        const code = codes.get(params.code ?? '');
        codes.delete(params.code ?? '');
        const challenge = createHash('sha256')
          .update(params.code_verifier ?? '')
          .digest('base64url');
        if (!code || code.redirectUri !== params.redirect_uri || code.codeChallenge !== challenge)
          return json(400, { error: 'invalid_grant' });
        void sign({ sub: 'account-1', sid: 'sid-1', nonce: code.nonce, acr: '2', name: '张三', ...code.claims }).then(
          (idToken) =>
            json(200, {
              access_token: 'header.payload.signature',
              token_type: 'Bearer',
              expires_in: 600,
              id_token: idToken,
              refresh_token: 'refresh-1',
              scope: 'openid profile license:issue',
            }),
        );
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    get issuer() {
      return issuer;
    },
    clientId,
    clientSecret,
    tokenRequests,
    get accessTokenFlaw() {
      return flawed.accessTokenFlaw;
    },
    set accessTokenFlaw(flaw) {
      flawed.accessTokenFlaw = flaw;
    },
    issueCode(request, claims = {}) {
      const code = randomUUID();
      codes.set(code, { ...request, claims });
      return code;
    },
    sign,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
