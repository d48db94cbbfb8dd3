import { createHmac, generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { AppError } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearerAuthenticator,
  createKeyStore,
  createTokenVerifier,
  requireScope,
  requireTrustLevel,
  type TokenVerifier,
} from '../src/index.ts';
import { startTestIssuer, type TestIssuer } from '../src/testing.ts';

const AUDIENCE = 'urn:platform:seal';
let issuer: TestIssuer;
let verify: TokenVerifier;

beforeAll(async () => {
  issuer = await startTestIssuer();
  verify = createTokenVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
});
afterAll(() => issuer.close());

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('access token verification', () => {
  it('accepts a valid token and maps its claims', async () => {
    const token = await issuer.mint({
      sub: 'acc-1',
      aud: AUDIENCE,
      scope: 'seal:sign seal:read',
      acr: '3',
      client_id: 'console',
      act: { sub: 'agent-7' },
      sid: 's1',
      subject_code: '91350100M000100Y43',
    });
    expect(await verify(token)).toMatchObject({
      subject: 'acc-1',
      clientId: 'console',
      scopes: ['seal:sign', 'seal:read'],
      acr: '3',
      actor: 'agent-7',
      sessionId: 's1',
      subjectCode: '91350100M000100Y43',
    });
  });

  it('refuses alg=none', async () => {
    const genuine = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE });
    const [, payload] = genuine.split('.');
    const unsigned = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
    expect((await rejectionOf(verify(unsigned))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
    const genuine = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE });
    const [, payload] = genuine.split('.');
    const header = b64url({ alg: 'HS256', typ: 'at+jwt', kid: jwks.keys[0]?.kid });
    const signature = createHmac('sha256', JSON.stringify(jwks.keys[0]))
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect((await rejectionOf(verify(`${header}.${payload}.${signature}`))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses an ID token (typ JWT) presented as an access token', async () => {
    const idToken = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE }, { typ: 'JWT' });
    expect((await rejectionOf(verify(idToken))).message).toMatch(/typ/);
  });

  it('refuses a token for another audience', async () => {
    const token = await issuer.mint({ sub: 'acc-1', aud: 'urn:platform:payment' });
    expect((await rejectionOf(verify(token))).message).toBe('The access token is not valid here (aud claim)');
  });

  it('refuses a token from another issuer', async () => {
    const token = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE, iss: 'https://evil.example' });
    expect((await rejectionOf(verify(token))).message).toBe('The access token is not valid here (iss claim)');
  });

  it('refuses an expired token beyond the allowed skew, accepts one within it', async () => {
    const expired = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE }, { expiresInSeconds: -31 });
    expect((await rejectionOf(verify(expired))).message).toBe('The access token has expired');
    const withinSkew = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE }, { expiresInSeconds: -5 });
    expect((await verify(withinSkew)).subject).toBe('acc-1');
  });

  it('refuses a token not yet valid (nbf) beyond the skew', async () => {
    const token = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE, nbf: Math.floor(Date.now() / 1000) + 120 });
    expect((await rejectionOf(verify(token))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed by a key outside the JWKS, even with a known kid', async () => {
    const token = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE }, { foreignKey: true });
    expect((await rejectionOf(verify(token))).code).toBe('UNAUTHENTICATED');
  });

  it('ignores jwk / jku / x5u headers pointing at an attacker key', async () => {
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ client_id: 'x', jti: 'j', scope: 'seal:sign' })
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'at+jwt',
        kid: 'attacker',
        jwk: attackerJwk,
        jku: 'http://127.0.0.1:1/keys',
        x5u: 'http://127.0.0.1:1/cert',
      })
      .setIssuer(issuer.issuer)
      .setAudience(AUDIENCE)
      .setSubject('acc-1')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(attacker.privateKey);
    expect((await rejectionOf(verify(token))).message).toBe('The access token was not signed by a known key');
  });

  it('refuses when the kid names a key of another type (the algorithm must match the key type)', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE });
    const kid = (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
    const rsaJwks = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid, use: 'sig' }] };
    const keyStore = createKeyStore({ jwksUrl: 'http://keys.invalid/jwks', fetch: async () => Response.json(rsaJwks) });
    const rsaVerify = createTokenVerifier({ issuer: issuer.issuer, audience: AUDIENCE, keyStore });
    expect((await rejectionOf(rsaVerify(token))).message).toBe('The access token was not signed by a known key');
  });

  it('does not refetch the JWKS for every unknown kid (bounded refetch)', async () => {
    const own = await startTestIssuer();
    const ownVerify = createTokenVerifier({ issuer: own.issuer, audience: AUDIENCE });
    await ownVerify(await own.mint({ sub: 'a', aud: AUDIENCE }));
    const before = own.jwksFetches();
    for (let i = 0; i < 20; i++)
      await rejectionOf(ownVerify(await own.mint({ sub: 'a', aud: AUDIENCE }, { kid: `unknown-${i}` })));
    expect(own.jwksFetches() - before).toBeLessThanOrEqual(1);
    await own.close();
  });

  it('requires exp, iat, sub, client_id and jti', async () => {
    // An undefined claim is left out of the token.
    const token = await issuer.mint({ sub: 'acc-1', aud: AUDIENCE, jti: undefined });
    expect((await rejectionOf(verify(token))).message).toContain('jti');
  });

  it('says so, distinctly, when identity cannot be reached', async () => {
    const offline = createTokenVerifier({ issuer: 'http://127.0.0.1:9', audience: AUDIENCE });
    const token = await issuer.mint({ sub: 'a', aud: AUDIENCE, iss: 'http://127.0.0.1:9' });
    expect((await rejectionOf(offline(token))).code).toBe('AUTH_UNAVAILABLE');
  });
});

describe('bearer authenticator', () => {
  it('lets anonymous requests through as anonymous and rejects malformed headers', async () => {
    const authenticate = bearerAuthenticator(verify);
    expect(await authenticate({ headers: {} })).toBeUndefined();
    expect((await rejectionOf(authenticate({ headers: { authorization: 'Basic abc' } }))).code).toBe('UNAUTHENTICATED');
    expect((await rejectionOf(authenticate({ headers: { authorization: 'Bearer not-a-jwt' } }))).code).toBe(
      'UNAUTHENTICATED',
    );
    const token = await issuer.mint({ sub: 'acc-2', aud: AUDIENCE });
    expect((await authenticate({ headers: { authorization: `Bearer ${token}` } }))?.subject).toBe('acc-2');
  });
});

describe('guards', () => {
  it('require the scope and the trust level', () => {
    expect(() => requireScope({ scopes: ['a'] }, 'b')).toThrow('lacks the "b" scope');
    expect(() => requireScope({ scopes: ['a', 'b'] }, 'b')).not.toThrow();
    expect(() => requireTrustLevel({ scopes: [], acr: '2' }, 3)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_TRUST_LEVEL' }),
    );
    expect(() => requireTrustLevel({ scopes: [] }, 1)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_TRUST_LEVEL' }),
    );
    expect(() => requireTrustLevel({ scopes: [], acr: '4' }, 3)).not.toThrow();
    expect(() => requireTrustLevel(undefined, 1)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });
});
