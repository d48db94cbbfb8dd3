// Bad input at the OAuth endpoints gets a clean OAuth error (`error`, `error_description`) with
// the right status: never a 500, never a token.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './support/browser.ts';
import { PORTAL, ensurePortal } from './support/flows.ts';
import { startIdentity, type TestIdentity } from './support/identity.ts';
import { authorizeUrl, pkce, tokenRequest } from './support/oauth.ts';

describe('bad input at the OAuth endpoints', () => {
  let identity: TestIdentity;
  let portal: { id: string; secret: string | null };

  beforeAll(async () => {
    identity = await startIdentity();
    portal = await ensurePortal(identity);
  });
  afterAll(() => identity?.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${identity.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
  });

  async function expectOAuthError(response: Response, status: number, error: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe(error);
    expect(typeof body.error_description).toBe('string');
    expect(body.access_token).toBeUndefined();
  }

  it('answers unknown clients and wrong secrets with 401 invalid_client', async () => {
    await expectOAuthError(
      await post('/oidc/token', 'grant_type=client_credentials', basic('nobody', 'x')),
      401,
      'invalid_client',
    );
    const wrong = await post('/oidc/token', 'grant_type=client_credentials', basic(portal.id, 'not-the-secret'));
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    await expectOAuthError(wrong, 401, 'invalid_client');
    await expectOAuthError(await post('/oidc/token', 'grant_type=client_credentials'), 401, 'invalid_client');
    await expectOAuthError(
      await post('/oidc/token', 'grant_type=client_credentials', { authorization: 'Basic !!!' }),
      401,
      'invalid_client',
    );
  });

  it('refuses JSON, oversized and repeated-parameter bodies', async () => {
    const json = await fetch(`${identity.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...basic(portal.id, portal.secret ?? '') },
      body: '{"grant_type":"client_credentials"}',
    });
    await expectOAuthError(json, 400, 'invalid_request');
    await expectOAuthError(
      await post('/oidc/token', `grant_type=client_credentials&pad=${'a'.repeat(200_000)}`),
      413,
      'invalid_request',
    );
    await expectOAuthError(
      await post(
        '/oidc/token',
        'grant_type=client_credentials&grant_type=password',
        basic(portal.id, portal.secret ?? ''),
      ),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await post('/oidc/token', '%E0%A4%A=broken', basic(portal.id, portal.secret ?? '')),
      400,
      'invalid_request',
    );
  });

  it('refuses unknown codes, unknown grant types and missing parameters', async () => {
    const auth = basic(portal.id, portal.secret ?? '');
    await expectOAuthError(
      await post('/oidc/token', 'grant_type=authorization_code&code=made-up&redirect_uri=x&code_verifier=y', auth),
      400,
      'invalid_grant',
    );
    await expectOAuthError(
      await post('/oidc/token', 'grant_type=refresh_token&refresh_token=made-up', auth),
      400,
      'invalid_grant',
    );
    await expectOAuthError(
      await post('/oidc/token', 'grant_type=urn:example:magic', auth),
      400,
      'unsupported_grant_type',
    );
    await expectOAuthError(await post('/oidc/token', '', auth), 400, 'invalid_request');
    await expectOAuthError(await post('/oidc/token', 'grant_type=authorization_code', auth), 400, 'invalid_request');
  });

  it('never answers arbitrary form input with a 500 or a token', async () => {
    const auth = basic(portal.id, portal.secret ?? '');
    const key = fc.constantFrom(
      'grant_type',
      'code',
      'refresh_token',
      'redirect_uri',
      'code_verifier',
      'scope',
      'resource',
      'client_id',
      'client_secret',
      'subject_token',
      'requested_subject',
      'x',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom(
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'password',
        'urn:ietf:params:oauth:grant-type:token-exchange',
        'eyJhbGciOiJub25lIn0.e30.',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 6 }), fc.boolean(), async (pairs, authenticated) => {
        const body = new URLSearchParams(pairs).toString();
        const response = await post('/oidc/token', body, authenticated ? auth : {});
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        const parsed = (await response.json()) as Record<string, unknown>;
        expect(typeof parsed.error).toBe('string');
        expect(parsed.access_token).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('shows a page (no redirect) for unknown clients and malformed authorization requests', async () => {
    const browser = new Browser();
    for (const params of [
      { client_id: 'nobody', redirect_uri: PORTAL.redirectUri },
      { redirect_uri: PORTAL.redirectUri },
      { client_id: PORTAL.id },
    ]) {
      const page = await browser.request(
        authorizeUrl(identity.url, { ...params, code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
      );
      expect(page.status).toBe(400);
      expect(page.location).toBeUndefined();
      expect(page.html).toContain('lang="zh-CN"');
    }
    const repeated = await browser.request(
      `${authorizeUrl(identity.url, { client_id: PORTAL.id, redirect_uri: PORTAL.redirectUri })}&client_id=${PORTAL.id}`,
    );
    expect(repeated.status).toBe(400);
    expect(repeated.location).toBeUndefined();
  });

  it('answers userinfo without a valid bearer token with 401 and WWW-Authenticate', async () => {
    for (const authorization of [undefined, 'Bearer', 'Bearer a.b.c', 'Basic abc', `Bearer ${'x'.repeat(10_000)}`]) {
      const response = await fetch(`${identity.url}/oidc/userinfo`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('lets only confidential clients introspect, and reveals nothing when revoking unknown tokens', async () => {
    const { createClient } = await import('./support/identity.ts');
    await createClient(identity, {
      id: 'spa',
      type: 'public',
      redirectUris: ['https://spa.example.test/cb'],
      grantTypes: ['authorization_code'],
    });
    await expectOAuthError(await post('/oidc/introspect', 'token=abc&client_id=spa'), 401, 'invalid_client');
    const revoke = await tokenRequest(identity.url, { token: 'not-a-token' }, portal, '/oidc/revoke');
    expect(revoke.status).toBe(200);
  });

  it('refuses an unregistered post-logout redirect', async () => {
    const page = await new Browser().request(
      `${identity.url}/oidc/logout?client_id=${PORTAL.id}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(page.status).toBe(400);
    expect(page.location).toBeUndefined();
  });
});
