// Single sign-on across two apps, and back-channel logout fanned out to both with delivery status.
import { createServer, type Server } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, login } from './support/browser.ts';
import {
  adminToken,
  api,
  createClient,
  registerUser,
  startIdentity,
  type TestIdentity,
  type TestUser,
} from './support/identity.ts';
import { authorizeUrl, codeOf, pkce, tokenRequest } from './support/oauth.ts';

interface Receiver {
  url: string;
  tokens: string[];
  failNext: number;
  server: Server;
}

async function receiver(): Promise<Receiver> {
  const state: Omit<Receiver, 'url' | 'server'> = { tokens: [], failNext: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (state.failNext > 0) {
        state.failNext -= 1;
        res.writeHead(500).end();
        return;
      }
      state.tokens.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(state, { url: `http://127.0.0.1:${port}/backchannel-logout`, server });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('SSO session shared by two apps', () => {
  let identity: TestIdentity;
  let user: TestUser;
  let appA: Receiver;
  let appB: Receiver;
  const clients: Record<string, { id: string; secret: string | null }> = {};

  beforeAll(async () => {
    identity = await startIdentity();
    user = await registerUser(identity);
    appA = await receiver();
    appB = await receiver();
    for (const [name, app] of [
      ['app-a', appA],
      ['app-b', appB],
    ] as const)
      clients[name] = await createClient(identity, {
        id: name,
        redirectUris: [`https://${name}.example.test/cb`],
        postLogoutRedirectUris: [`https://${name}.example.test/bye`],
        backchannelLogoutUri: app.url,
      });
  });
  afterAll(async () => {
    await identity?.close();
    appA?.server.close();
    appB?.server.close();
  });

  const authorizeUrlFor = (client: string) =>
    authorizeUrl(identity.url, {
      client_id: client,
      redirect_uri: `https://${client}.example.test/cb`,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
      state: `s-${client}`,
    });
  const authorize = (browser: Browser, client: string) => browser.request(authorizeUrlFor(client));

  it('logs into the second app without a password and back-channel logout reaches both apps', async () => {
    const browser = new Browser();
    const { challenge, verifier } = pkce();
    const first = await login(
      browser,
      authorizeUrl(identity.url, {
        client_id: 'app-a',
        redirect_uri: 'https://app-a.example.test/cb',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      identity.url,
      { loginName: user.subjectId, password: user.password },
    );
    const tokensA = await tokenRequest(
      identity.url,
      {
        grant_type: 'authorization_code',
        code: codeOf(first.location),
        redirect_uri: 'https://app-a.example.test/cb',
        code_verifier: verifier,
      },
      clients['app-a'],
    );
    expect(tokensA.status).toBe(200);

    // Second app: straight back with a code, no login page in between.
    const second = await authorize(browser, 'app-b');
    expect(second.status).toBe(303);
    expect(second.location).toMatch(/^https:\/\/app-b\.example\.test\/cb\?code=.+&state=s-app-b&iss=/);

    const idToken = String(tokensA.body.id_token);
    const logout = await browser.request(
      `${identity.url}/oidc/logout?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: 'https://app-a.example.test/bye' })}`,
    );
    expect(logout.location).toBe('https://app-a.example.test/bye');
    await until(() => appA.tokens.length === 1 && appB.tokens.length === 1, 'both logout tokens');

    const jwks = createRemoteJWKSet(new URL(`${identity.url}/oidc/jwks`));
    const sid = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()).sid as string;
    for (const [client, app] of [
      ['app-a', appA],
      ['app-b', appB],
    ] as const) {
      const { payload, protectedHeader } = await jwtVerify(app.tokens[0] ?? '', jwks, {
        issuer: identity.url,
        audience: client,
        typ: 'logout+jwt',
        currentDate: identity.clock.now(),
      });
      expect(protectedHeader.alg).toBe('ES256');
      expect(payload).toMatchObject({
        sub: user.id,
        sid,
        events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      });
      expect(payload.nonce).toBeUndefined();
    }

    // An app has its token as soon as the request arrives; identity records the delivery once the
    // app's answer is back, a moment later.
    const admin = api(identity, await adminToken(identity));
    let deliveries = await admin.admin.logoutDeliveries.query({});
    for (let i = 0; i < 200 && deliveries.some((row) => row.status === 'pending'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      deliveries = await admin.admin.logoutDeliveries.query({});
    }
    expect(deliveries.map((row) => [row.clientId, row.status, row.attempts]).sort()).toEqual([
      ['app-a', 'delivered', 1],
      ['app-b', 'delivered', 1],
    ]);

    // The apps' grants ended with the session: the refresh token no longer works.
    const refresh = await tokenRequest(
      identity.url,
      { grant_type: 'refresh_token', refresh_token: String(tokensA.body.refresh_token) },
      clients['app-a'],
    );
    expect(refresh.body.error).toBe('invalid_grant');

    // And the browser must log in again.
    const again = await authorize(browser, 'app-b');
    expect(again.location).toContain('/login?interaction=');
  });

  it('retries a failed back-channel delivery and records its status', async () => {
    const browser = new Browser();
    appB.failNext = 1;
    const before = appB.tokens.length;
    const first = await login(browser, authorizeUrlFor('app-b'), identity.url, {
      loginName: user.phone,
      password: user.password,
    });
    expect(first.location).toMatch(/^https:\/\/app-b\.example\.test\/cb\?code=/);
    // An administrator ends the user's sessions: app-b is told, its first delivery fails.
    const admin = api(identity, await adminToken(identity));
    expect(await admin.admin.account.endSessions.mutate({ accountId: user.id })).toEqual({ ended: 1 });
    await identity.core.backchannel.settled();
    const pending = await admin.admin.logoutDeliveries.query({ status: 'pending' });
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ clientId: 'app-b', attempts: 1, lastError: 'HTTP 500' });

    // Before the backoff has passed nothing is due; after it the retry delivers.
    expect(await identity.core.backchannel.deliverDue()).toBe(0);
    identity.clock.advanceSeconds(61);
    expect(await identity.core.backchannel.deliverDue()).toBe(1);
    expect(appB.tokens.length).toBe(before + 1);
    const delivered = await admin.admin.logoutDeliveries.query({ status: 'delivered' });
    expect(delivered.find((row) => row.id === pending[0]?.id)).toMatchObject({ attempts: 2, status: 'delivered' });
  });
});
