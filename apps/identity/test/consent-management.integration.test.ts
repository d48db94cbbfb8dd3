// Consent management: a user lists the third-party apps they consented to and withdraws a consent,
// on the account page or through consent.*. Withdrawing ends the app's tokens for the user (refresh
// tokens with offline_access included), logs the app out through back-channel logout, and makes its
// next authorization request ask for consent again; other apps are untouched.
import { createServer, type Server } from 'node:http';
import { errorBodyOf } from '@platform/contracts';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../src/pages/strings.ts';
import { Browser, login, type Page } from './support/browser.ts';
import { userTokens } from './support/flows.ts';
import {
  api,
  createClient,
  registerUser,
  startIdentity,
  type TestIdentity,
  type TestUser,
} from './support/identity.ts';
import { authorizeUrl, codeOf, pkce, tokenRequest } from './support/oauth.ts';

interface App {
  id: string;
  name: string;
  redirectUri: string;
  secret: string | null;
  logoutTokens: string[];
  server: Server;
}

async function thirdPartyApp(identity: TestIdentity, id: string, name: string): Promise<App> {
  const logoutTokens: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const redirectUri = `https://${id}.example.test/cb`;
  const { secret } = await createClient(identity, {
    id,
    name,
    firstParty: false,
    redirectUris: [redirectUri],
    scopes: ['openid', 'profile', 'phone', 'offline_access'],
    backchannelLogoutUri: `http://127.0.0.1:${port}/logout`,
  });
  return { id, name, redirectUri, secret, logoutTokens, server };
}

async function failureCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return errorBodyOf(error)?.code;
  }
  throw new Error('expected the call to fail');
}

const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('consent management', () => {
  let identity: TestIdentity;
  let bank: App;
  let news: App;

  beforeAll(async () => {
    identity = await startIdentity();
    bank = await thirdPartyApp(identity, 'bank', '示例银行');
    news = await thirdPartyApp(identity, 'news', '政务资讯');
  });
  afterAll(async () => {
    await identity?.close();
    bank?.server.close();
    news?.server.close();
  });

  const authorize = (app: App, params: Record<string, string> = {}) => {
    const { challenge, verifier } = pkce();
    return {
      verifier,
      url: authorizeUrl(identity.url, {
        client_id: app.id,
        redirect_uri: app.redirectUri,
        scope: 'openid phone offline_access',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...params,
      }),
    };
  };

  /** Consents in `browser` (logging in first if needed) and returns the app's tokens. */
  async function consentAndTokens(browser: Browser, app: App, user: TestUser) {
    const { url, verifier } = authorize(app);
    const consent = await login(browser, url, identity.url, { loginName: user.phone, password: user.password });
    expect(consent.html).toContain(STRINGS.consentTitle);
    const approved = await browser.submit(consent, '/consent', { decision: 'approve' }, identity.url);
    const response = await tokenRequest(
      identity.url,
      {
        grant_type: 'authorization_code',
        code: codeOf(approved.location),
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      },
      app,
    );
    expect(response.status).toBe(200);
    return response.body as { access_token: string; refresh_token: string; id_token: string };
  }

  const refresh = (app: App, refreshToken: string) =>
    tokenRequest(identity.url, { grant_type: 'refresh_token', refresh_token: refreshToken }, app);

  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200; i += 1) {
      if (check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('lists my consents on the account page and revokes one: refresh fails, the app is logged out, consent is asked again', async () => {
    const user = await registerUser(identity);
    const browser = new Browser();
    const bankTokens = await consentAndTokens(browser, bank, user);
    const newsTokens = await consentAndTokens(browser, news, user);

    const apps = await browser.request(`${identity.url}/account/apps`);
    expect(apps.status).toBe(200);
    expect(apps.html).toContain('示例银行');
    expect(apps.html).toContain('政务资讯');
    expect(apps.html).toContain(STRINGS.scopeLabels.phone);

    const before = bank.logoutTokens.length;
    const revoked = await browser.request(`${identity.url}/account/apps/revoke`, {
      form: { csrf: csrfOf(apps.html), client_id: bank.id },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.html).toContain(STRINGS.consentRevoked('示例银行'));
    expect(revoked.html).not.toContain('<h2 id="app-1">');

    // The bank's refresh token (offline_access, which survives a logout) no longer works...
    expect((await refresh(bank, bankTokens.refresh_token)).body).toMatchObject({ error: 'invalid_grant' });
    const introspection = await tokenRequest(
      identity.url,
      { token: bankTokens.access_token },
      bank,
      '/oidc/introspect',
    );
    expect(introspection.body).toEqual({ active: false });
    // ...the news app's does.
    expect((await refresh(news, newsTokens.refresh_token)).status).toBe(200);

    // The bank was told through back-channel logout, for the session the user is still in.
    await until(() => bank.logoutTokens.length > before, 'the back-channel logout');
    const jwks = createRemoteJWKSet(new URL(`${identity.url}/oidc/jwks`));
    const { payload, protectedHeader } = await jwtVerify(bank.logoutTokens.at(-1) ?? '', jwks, {
      issuer: identity.url,
      audience: bank.id,
      typ: 'logout+jwt',
    });
    expect(protectedHeader.typ).toBe('logout+jwt');
    expect(payload).toMatchObject({ sub: user.id, sid: decodeJwt(bankTokens.id_token).sid });
    expect(news.logoutTokens).toHaveLength(0);
    // The SSO session itself goes on.
    expect(await identity.core.sessions.listOpen(user.id)).toHaveLength(1);

    // Silently the bank gets consent_required; interactively the consent page comes back.
    const silent = await browser.open(authorize(bank, { prompt: 'none' }).url, identity.url);
    expect(new URL(silent.location ?? '').searchParams.get('error')).toBe('consent_required');
    const again: Page = await browser.open(authorize(bank).url, identity.url);
    expect(again.html).toContain(STRINGS.consentTitle);
    expect(again.html).toContain('示例银行');

    const audit = await identity.core.repositories.audit.list({
      accountId: user.id,
      type: 'consent.revoked',
      limit: 5,
    });
    expect(audit.map((event) => [event.clientId, event.detail])).toEqual([['bank', { grants: 1, sessions: 1 }]]);
  });

  it('refuses a revocation posted without the CSRF token, leaving the consent in place', async () => {
    const user = await registerUser(identity);
    const browser = new Browser();
    await consentAndTokens(browser, bank, user);
    const forged = await browser.request(`${identity.url}/account/apps/revoke`, {
      form: { csrf: 'forged', client_id: bank.id },
    });
    expect(forged.status).toBe(403);
    expect(await identity.core.repositories.grants.findConsent(user.id, bank.id)).not.toBeNull();
  });

  it('lists and revokes through consent.*; a missing or someone else’s consent is NOT_FOUND', async () => {
    const user = await registerUser(identity, { name: '吴二' });
    const stranger = await registerUser(identity);
    const browser = new Browser();
    const bankTokens = await consentAndTokens(browser, bank, user);
    const me = api(identity, (await userTokens(identity, user)).access_token);
    const them = api(identity, (await userTokens(identity, stranger)).access_token);

    const listed = await me.consent.listMine.query();
    expect(listed).toEqual([
      {
        clientId: 'bank',
        clientName: '示例银行',
        scopes: ['openid', 'phone', 'offline_access'],
        grantedAt: identity.clock.now().toISOString(),
      },
    ]);
    expect(await them.consent.listMine.query()).toEqual([]);
    expect(await failureCode(them.consent.revoke.mutate({ clientId: 'bank' }))).toBe('NOT_FOUND');
    expect(await identity.core.repositories.grants.findConsent(user.id, 'bank')).not.toBeNull();

    await expect(me.consent.revoke.mutate({ clientId: 'bank' })).resolves.toEqual({
      revoked: true,
      revokedGrants: 1,
      loggedOutSessions: 1,
    });
    expect(await me.consent.listMine.query()).toEqual([]);
    expect((await refresh(bank, bankTokens.refresh_token)).body).toMatchObject({ error: 'invalid_grant' });
    expect(await failureCode(me.consent.revoke.mutate({ clientId: 'bank' }))).toBe('NOT_FOUND');
    expect(await failureCode(me.consent.revoke.mutate({ clientId: 'x' }))).toBe('VALIDATION_FAILED');
  });

  it('shows a revocation of an app no longer consented to as NOT_FOUND on the page', async () => {
    const user = await registerUser(identity);
    const browser = new Browser();
    await consentAndTokens(browser, news, user);
    const apps = await browser.request(`${identity.url}/account/apps`);
    await api(identity, (await userTokens(identity, user)).access_token).consent.revoke.mutate({ clientId: 'news' });
    const stale = await browser.request(`${identity.url}/account/apps/revoke`, {
      form: { csrf: csrfOf(apps.html), client_id: 'news' },
    });
    expect(stale.status).toBe(404);
    expect(stale.html).toContain(STRINGS.errorCode('NOT_FOUND'));
    expect(stale.html).toContain(STRINGS.noConsents);
  });
});
