// The BFF's OIDC client against a stand-in provider: each check (state, nonce, PKCE, issuer, the
// logout token's signature, audience, type, event and single use, same-origin requests) has a
// test that fails when the check is taken out.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleService, type ConsoleService } from '../src/app.ts';
import { loadEnv } from '../src/env.ts';
import { startFakeIdentity, type FakeIdentity } from './support/fake-identity.ts';
import { CookieClient } from './support/http.ts';

let identity: FakeIdentity;
let consoleService: ConsoleService;
let base: string;

beforeAll(async () => {
  identity = await startFakeIdentity();
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:1',
    IDENTITY_ISSUER_URL: identity.issuer,
    OIDC_CLIENT_SECRET: identity.clientSecret,
    LICENSE_URL: 'http://127.0.0.1:9',
    STATIC_DIR: mkdtempSync(join(tmpdir(), 'console-static-')),
  });
  consoleService = createConsoleService(env);
  const port = await consoleService.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await consoleService.close();
  await identity.close();
});

beforeEach(() => {
  identity.tokenRequests.length = 0;
});

const PUBLIC_URL = 'http://127.0.0.1:1';

async function startLogin(client: CookieClient, query = '') {
  const response = await client.request(`/auth/login${query}`);
  expect(response.status).toBe(302);
  const authorize = new URL(response.headers.get('location') ?? '');
  return { authorize, params: Object.fromEntries(authorize.searchParams) };
}

async function logIn(client = new CookieClient('http://placeholder')) {
  const c = client.cookies.size ? client : new CookieClient(base);
  const { params } = await startLogin(c);
  const code = identity.issueCode({
    codeChallenge: params.code_challenge ?? '',
    nonce: params.nonce ?? '',
    redirectUri: params.redirect_uri ?? '',
  });
  const callback = await c.request(
    `/auth/callback?code=${code}&state=${params.state}&iss=${encodeURIComponent(identity.issuer)}`,
  );
  return { client: c, callback, params };
}

const me = async (client: CookieClient) =>
  (await (await client.request('/api/session')).json()) as { authenticated: boolean; name?: string; roles?: string[] };

describe('login', () => {
  it('sends the user to identity with code + PKCE S256, a fresh state and nonce, and the exact redirect URI', async () => {
    const client = new CookieClient(base);
    const { authorize, params } = await startLogin(client, '?returnTo=/wallet&acr=2');
    expect(authorize.origin + authorize.pathname).toBe(`${identity.issuer}/oidc/authorize`);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: 'console',
      redirect_uri: `${PUBLIC_URL}/auth/callback`,
      code_challenge_method: 'S256',
      acr_values: '2',
      resource: 'urn:platform:identity',
    });
    expect(params.scope?.split(' ')).toContain('openid');
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await startLogin(new CookieClient(base));
    expect(again.params.state).not.toBe(params.state);
    expect(again.params.nonce).not.toBe(params.nonce);
  });

  it('logs in: the code is exchanged with the PKCE verifier and the session cookie is HttpOnly and SameSite=Lax', async () => {
    const client = new CookieClient(base);
    const { params } = await startLogin(client, '?returnTo=/wallet');
    const code = identity.issueCode({
      codeChallenge: params.code_challenge ?? '',
      nonce: params.nonce ?? '',
      redirectUri: params.redirect_uri ?? '',
    });
    const callback = await client.request(
      `/auth/callback?code=${code}&state=${params.state}&iss=${encodeURIComponent(identity.issuer)}`,
    );
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/wallet');
    const sessionCookie = callback.headers.getSetCookie().find((c) => c.startsWith('console_session='));
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    const [request] = identity.tokenRequests;
    expect(request).toMatchObject({ grant_type: 'authorization_code', code });
    expect(
      createHash('sha256')
        .update(request?.code_verifier ?? '')
        .digest('base64url'),
    ).toBe(params.code_challenge);
    expect(await me(client)).toMatchObject({ authenticated: true, name: '张三', roles: ['citizen', 'clerk'] });
  });

  it('knows the user from the session’s access token for the console, verified with packages/auth', async () => {
    const { client } = await logIn();
    identity.tokenRequests.length = 0;
    expect(await me(client)).toMatchObject({
      authenticated: true,
      subject: 'account-1',
      acr: '2',
      roles: ['citizen', 'clerk'],
    });
    // One refresh for the console's own audience with the session's scopes; later calls reuse the token.
    expect(identity.tokenRequests).toEqual([
      expect.objectContaining({
        grant_type: 'refresh_token',
        resource: 'urn:platform:console',
        scope: 'openid profile license:issue',
      }),
    ]);
    await me(client);
    expect(identity.tokenRequests).toHaveLength(1);
  });

  it.each([
    ['signed with a key identity does not publish (forged)', 'foreign-key'],
    ['of another type (an ID token)', 'id-token-typ'],
    ['addressed to another resource', 'other-audience'],
  ] as const)('ends the session when its access token for the console is %s', async (_name, flaw) => {
    const { client } = await logIn();
    identity.accessTokenFlaw = flaw;
    try {
      const refused = await client.request('/api/session');
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    } finally {
      identity.accessTokenFlaw = undefined;
    }
    // The session is gone: the next call is anonymous even though identity now makes valid tokens.
    expect(await me(client)).toEqual({ authenticated: false, channels: [] });
  });

  it('answers 503 AUTH_UNAVAILABLE while identity cannot give a token, and keeps the session', async () => {
    const { client } = await logIn();
    identity.accessTokenFlaw = 'unavailable';
    try {
      const refused = await client.request('/api/session');
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('AUTH_UNAVAILABLE');
    } finally {
      identity.accessTokenFlaw = undefined;
    }
    expect(await me(client)).toMatchObject({ authenticated: true, subject: 'account-1' });
  });

  it('never puts a token into what the browser receives', async () => {
    const { client, callback } = await logIn();
    const body = JSON.stringify(await me(client)) + JSON.stringify([...callback.headers]);
    expect(body).not.toContain('refresh-1');
    expect(body).not.toContain('header.payload.signature');
    expect(body).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  });

  it('refuses a callback whose state differs, without exchanging the code', async () => {
    const client = new CookieClient(base);
    const { params } = await startLogin(client);
    const code = identity.issueCode({
      codeChallenge: params.code_challenge ?? '',
      nonce: params.nonce ?? '',
      redirectUri: params.redirect_uri ?? '',
    });
    const callback = await client.request(`/auth/callback?code=${code}&state=forged-state`);
    expect(callback.headers.get('location')).toBe('/?loginError=state_mismatch');
    expect(identity.tokenRequests).toHaveLength(0);
    expect((await me(client)).authenticated).toBe(false);
  });

  it('refuses a callback in a browser that did not start the login (no login cookie)', async () => {
    const starter = new CookieClient(base);
    const { params } = await startLogin(starter);
    const victim = new CookieClient(base);
    const callback = await victim.request(`/auth/callback?code=x&state=${params.state}`);
    expect(callback.headers.get('location')).toBe('/?loginError=login_expired');
    expect(identity.tokenRequests).toHaveLength(0);
  });

  it('accepts a login state once only', async () => {
    const client = new CookieClient(base);
    const { params } = await startLogin(client);
    const loginCookie = client.cookies.get('console_login') ?? '';
    const code = identity.issueCode({
      codeChallenge: params.code_challenge ?? '',
      nonce: params.nonce ?? '',
      redirectUri: params.redirect_uri ?? '',
    });
    await client.request(`/auth/callback?code=${code}&state=${params.state}`);
    const replay = new CookieClient(base);
    replay.cookies.set('console_login', loginCookie);
    const again = await replay.request(`/auth/callback?code=${code}&state=${params.state}`);
    expect(again.headers.get('location')).toBe('/?loginError=login_expired');
  });

  it('refuses a response from another issuer (RFC 9207 mix-up defence)', async () => {
    const client = new CookieClient(base);
    const { params } = await startLogin(client);
    const callback = await client.request(
      `/auth/callback?code=x&state=${params.state}&iss=${encodeURIComponent('https://evil.example')}`,
    );
    expect(callback.headers.get('location')).toBe('/?loginError=issuer_mismatch');
    expect(identity.tokenRequests).toHaveLength(0);
  });

  it('refuses an ID token whose nonce is not this login’s', async () => {
    const client = new CookieClient(base);
    const { params } = await startLogin(client);
    const code = identity.issueCode(
      { codeChallenge: params.code_challenge ?? '', nonce: params.nonce ?? '', redirectUri: params.redirect_uri ?? '' },
      { nonce: 'nonce-of-another-login' },
    );
    const callback = await client.request(`/auth/callback?code=${code}&state=${params.state}`);
    expect(callback.headers.get('location')).toBe('/?loginError=id_token_invalid');
    expect((await me(client)).authenticated).toBe(false);
  });

  it('only returns to local paths after login', async () => {
    for (const target of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const client = new CookieClient(base);
      const { params } = await startLogin(client, `?returnTo=${encodeURIComponent(target)}`);
      const code = identity.issueCode({
        codeChallenge: params.code_challenge ?? '',
        nonce: params.nonce ?? '',
        redirectUri: params.redirect_uri ?? '',
      });
      const callback = await client.request(`/auth/callback?code=${code}&state=${params.state}`);
      expect(callback.headers.get('location')).toBe('/');
    }
  });
});

describe('back-channel logout', () => {
  const EVENT = { events: { 'http://schemas.openid.net/event/backchannel-logout': {} } };
  const post = (token: string) =>
    fetch(`${base}/auth/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: token }).toString(),
    });

  it('ends the console session of the identity session named in a valid logout token', async () => {
    const { client } = await logIn();
    expect((await me(client)).authenticated).toBe(true);
    const response = await post(
      await identity.sign({ sub: 'account-1', sid: 'sid-1', ...EVENT }, { typ: 'logout+jwt' }),
    );
    expect(response.status).toBe(200);
    expect((await me(client)).authenticated).toBe(false);
  });

  it.each([
    ['signed with a key identity does not publish (forged)', { foreign: true }, {}],
    ['addressed to another client (wrong audience)', { aud: 'other-app' }, {}],
    ['of another type (an ID token)', { typ: 'JWT' }, {}],
    ['without the back-channel logout event', {}, { events: {} }],
    ['carrying a nonce', {}, { nonce: 'n' }],
  ])('refuses a logout token %s and keeps the session', async (_name, options, claims) => {
    const { client } = await logIn();
    const token = await identity.sign(
      { sub: 'account-1', sid: 'sid-1', ...EVENT, ...claims },
      { typ: 'logout+jwt', ...options },
    );
    const response = await post(token);
    expect(response.status).toBe(400);
    expect((await me(client)).authenticated).toBe(true);
  });

  it('accepts each logout token once', async () => {
    const token = await identity.sign({ sub: 'account-1', sid: 'sid-1', ...EVENT }, { typ: 'logout+jwt' });
    expect((await post(token)).status).toBe(200);
    const { client } = await logIn();
    expect((await post(token)).status).toBe(400);
    expect((await me(client)).authenticated).toBe(true);
  });

  it('refuses a request without a logout token', async () => {
    const response = await fetch(`${base}/auth/backchannel-logout`, { method: 'POST' });
    expect(response.status).toBe(400);
  });
});

describe('logout and same-origin requests', () => {
  it('logs out at identity with the ID token as hint and the registered return address', async () => {
    const { client } = await logIn();
    const refused = await client.request('/auth/logout', { method: 'POST' });
    expect(refused.status).toBe(403);
    expect((await me(client)).authenticated).toBe(true);
    const response = await client.request('/auth/logout', {
      method: 'POST',
      headers: { 'x-console-request': '1', origin: PUBLIC_URL },
    });
    const { redirect } = (await response.json()) as { redirect: string };
    const url = new URL(redirect);
    expect(url.origin + url.pathname).toBe(`${identity.issuer}/oidc/logout`);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/`);
    expect(url.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect((await me(client)).authenticated).toBe(false);
  });

  it('refuses state-changing service calls from another site', async () => {
    const { client } = await logIn();
    const crossSite = await client.request('/svc/license/trpc/issue', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'x-console-request': '1' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    const noHeader = await client.request('/svc/license/trpc/issue', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noHeader.status).toBe(403);
    expect(((await noHeader.json()) as { error: { data: { code: string } } }).error.data.code).toBe('FORBIDDEN');
  });

  it('acts for a legal person only where the service allows it, for a logged-in user, with a credit code', async () => {
    const code = (response: Response) =>
      response.json().then((body) => (body as { error: { data: { code: string } } }).error.data.code);
    const anonymous = await fetch(`${base}/svc/license/trpc/wallet.list`, {
      headers: { 'x-act-for': '91370102MA3C8U7P48' },
    });
    expect([anonymous.status, await code(anonymous)]).toEqual([401, 'UNAUTHENTICATED']);
    const { client } = await logIn();
    const malformed = await client.request('/svc/license/trpc/wallet.list', { headers: { 'x-act-for': 'not-a-code' } });
    expect([malformed.status, await code(malformed)]).toEqual([400, 'VALIDATION_FAILED']);
    // The seal service takes no agent tokens through the console.
    const elsewhere = await client.request('/svc/seal/trpc/seal.list', {
      headers: { 'x-act-for': '91370102MA3C8U7P48' },
    });
    expect([elsewhere.status, await code(elsewhere)]).toEqual([403, 'FORBIDDEN']);
  });

  it('answers for unknown services with ROUTE_NOT_FOUND', async () => {
    const response = await fetch(`${base}/svc/nothing/trpc/x`);
    expect(response.status).toBe(404);
  });
});
