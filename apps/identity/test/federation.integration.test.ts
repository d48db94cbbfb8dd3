// Federation: a second identity instance plays the upstream (national) provider. Logging in
// through it links the upstream subject to a local account (by the citizen ID number it vouches
// for) and the local apps get local tokens.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './support/browser.ts';
import { PORTAL, ensurePortal } from './support/flows.ts';
import { createClient, registerUser, startIdentity, type TestIdentity, type TestUser } from './support/identity.ts';
import { authorizeUrl, codeOf, pkce, tokenRequest } from './support/oauth.ts';

describe('federation with an upstream provider', () => {
  let upstream: TestIdentity;
  let local: TestIdentity;
  let citizen: TestUser;

  beforeAll(async () => {
    upstream = await startIdentity();
    citizen = await registerUser(upstream, { name: '国家平台用户' });
    await upstream.core.repositories.accounts.raiseTrustLevel(citizen.id, 3);
    // The province's instance is the upstream's client; its callback is fixed up once it listens.
    const { secret } = await createClient(upstream, {
      id: 'province',
      redirectUris: ['http://127.0.0.1/pending'],
      scopes: ['openid', 'profile'],
    });
    local = await startIdentity({
      env: {
        FEDERATION_ISSUER: upstream.url,
        FEDERATION_CLIENT_ID: 'province',
        FEDERATION_CLIENT_SECRET: secret ?? '',
      },
    });
    await upstream.core.clients.update('province', { redirectUris: [`${local.url}/federation/callback`] });
    await ensurePortal(local);
  });
  afterAll(async () => {
    await local?.close();
    await upstream?.close();
  });

  async function federatedLogin(browser: Browser) {
    const { challenge, verifier } = pkce();
    const loginPage = await browser.open(
      authorizeUrl(local.url, {
        client_id: PORTAL.id,
        redirect_uri: PORTAL.redirectUri,
        scope: 'openid profile',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      local.url,
    );
    const link = /href="(\/federation\/start\?interaction=[^"]+)"/.exec(loginPage.html)?.[1];
    expect(link).toBeDefined();
    const toUpstream = await browser.request(`${local.url}${link?.replace(/&amp;/g, '&')}`);
    expect(toUpstream.location?.startsWith(`${upstream.url}/oidc/authorize`)).toBe(true);
    const upstreamLogin = await browser.open(toUpstream.location ?? '', upstream.url);
    const back = await browser.submit(
      upstreamLogin,
      '/login/password',
      { login_name: citizen.phone, password: citizen.password },
      upstream.url,
    );
    expect(back.location?.startsWith(`${local.url}/federation/callback?`)).toBe(true);
    const done = await browser.follow(await browser.request(back.location ?? ''), local.url);
    const tokens = await tokenRequest(
      local.url,
      {
        grant_type: 'authorization_code',
        code: codeOf(done.location),
        redirect_uri: PORTAL.redirectUri,
        code_verifier: verifier,
      },
      await ensurePortal(local),
    );
    return decodeJwt(String(tokens.body.id_token));
  }

  it('logs in through the upstream, creating and linking a local account with the vouched identity', async () => {
    const claims = await federatedLogin(new Browser());
    expect(claims).toMatchObject({ iss: local.url, acr: '3', amr: ['fed'] });
    const account = await local.core.repositories.accounts.findById(String(claims.sub));
    expect(account).toMatchObject({
      subjectId: citizen.subjectId,
      name: '国家平台用户',
      trustLevel: 3,
      passwordHash: null,
    });
    // The same upstream subject comes back to the same local account.
    expect((await federatedLogin(new Browser())).sub).toBe(claims.sub);
  });

  it('refuses a callback whose state was made for another browser', async () => {
    const browser = new Browser();
    const { challenge } = pkce();
    const loginPage = await browser.open(
      authorizeUrl(local.url, {
        client_id: PORTAL.id,
        redirect_uri: PORTAL.redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      local.url,
    );
    const link = /href="(\/federation\/start\?interaction=[^"]+)"/.exec(loginPage.html)?.[1] ?? '';
    const toUpstream = await browser.request(`${local.url}${link.replace(/&amp;/g, '&')}`);
    const state = new URL(toUpstream.location ?? '').searchParams.get('state') ?? '';
    const attacker = new Browser();
    const page = await attacker.request(
      `${local.url}/federation/callback?code=x&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(upstream.url)}`,
    );
    expect(page.status).toBe(502);
    expect(page.location).toBeUndefined();
  });
});
