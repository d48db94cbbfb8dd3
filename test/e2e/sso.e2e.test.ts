// Flow 1: a citizen registers, logs in once (authorization code + PKCE on identity's login pages),
// and the session's tokens are accepted by license and payment; a second app gets a code without a
// password (SSO); logging out at one app ends the session everywhere: identity posts signed
// back-channel logout tokens to both apps and the other app's refresh token stops working.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorize, claimsOf, exchangeCode, loggedInCitizen, refreshFor, tokenRequest } from './support/citizen.ts';
import type { E2eApp } from './support/context.ts';
import { call, info, licenseClient, paymentClient, serviceUrl, waitFor } from './support/platform.ts';

interface Received {
  path: string;
  body: string;
}

async function logoutTokensFor(app: E2eApp): Promise<string[]> {
  const received = (await (await call(`${serviceUrl('receiver')}/`)).json()) as Received[];
  return received
    .filter((r) => r.path === app.backchannelPath)
    .map((r) => new URLSearchParams(r.body).get('logout_token') ?? '');
}

/** Checks an ES256 JWS against identity's published keys, with node:crypto only. */
async function signedByIdentity(jwt: string): Promise<boolean> {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string; alg: string };
  const { keys } = (await (await call(`${serviceUrl('identity')}/oidc/jwks`)).json()) as {
    keys: (JsonWebKey & { kid: string })[];
  };
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk || alg !== 'ES256') return false;
  return verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
}

describe('flow 1: one login, accepted everywhere; logout ends it everywhere', () => {
  it('registers, logs in once, is accepted by license and payment, SSO into a second app, back-channel logout', async () => {
    const { a, b } = info().apps;
    const { citizen, browser, tokens } = await loggedInCitizen(a);
    const idClaims = claimsOf(tokens.id_token);
    expect(idClaims).toMatchObject({ iss: serviceUrl('identity'), aud: a.id, sub: citizen.accountId });
    expect(typeof idClaims.sid).toBe('string');

    // The access token is for license (the app's default resource): the wallet answers, empty.
    const licenseToken = tokens.access_token;
    expect(claimsOf(licenseToken)).toMatchObject({ aud: 'urn:platform:license', sub: citizen.accountId });
    expect(await licenseClient(async () => licenseToken).wallet.list.query()).toEqual([]);
    await expect(licenseClient().wallet.list.query()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });

    // The same session gives a payment token by refresh (no new login); payment accepts it and
    // refuses the license token (wrong audience).
    const forPayment = await refreshFor(a, tokens.refresh_token, 'urn:platform:payment');
    expect(claimsOf(forPayment.access_token)).toMatchObject({ aud: 'urn:platform:payment', sid: idClaims.sid });
    const items = await paymentClient(async () => forPayment.access_token).item.list.query({});
    expect(Array.isArray(items.items)).toBe(true);
    await expect(paymentClient(async () => licenseToken).item.list.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });

    // App B: identity sends the browser straight back with a code, no login page (SSO).
    const second = await authorize(browser, b);
    expect(second.page.status).toBe(303);
    expect(second.code).toBeDefined();
    const tokensB = await exchangeCode(b, second);
    expect(claimsOf(tokensB.id_token)).toMatchObject({ aud: b.id, sub: citizen.accountId, sid: idClaims.sid });
    expect(await licenseClient(async () => tokensB.access_token).wallet.list.query()).toEqual([]);

    // Logout at app A (RP-initiated): back to A's page, and identity tells both apps.
    const logout = await browser.request(
      `${serviceUrl('identity')}/oidc/logout?${new URLSearchParams({
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: a.postLogoutRedirectUri,
      })}`,
    );
    expect(logout.location).toBe(a.postLogoutRedirectUri);
    for (const app of [a, b]) {
      const [logoutToken] = await waitFor(
        `back-channel logout at ${app.id}`,
        () => logoutTokensFor(app),
        (list) => list.some((t) => claimsOf(t).sid === idClaims.sid),
        30_000,
      );
      const claims = claimsOf(logoutToken ?? '');
      expect(claims).toMatchObject({
        iss: serviceUrl('identity'),
        aud: app.id,
        sub: citizen.accountId,
        sid: idClaims.sid,
        events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      });
      expect(claims.nonce).toBeUndefined();
      expect(JSON.parse(Buffer.from((logoutToken ?? '').split('.')[0] ?? '', 'base64url').toString())).toMatchObject({
        typ: 'logout+jwt',
      });
      expect(await signedByIdentity(logoutToken ?? '')).toBe(true);
    }

    // App B's refresh token no longer works (nor A's), and the browser must log in again.
    for (const [app, refreshToken] of [
      [b, tokensB.refresh_token],
      [a, forPayment.refresh_token],
    ] as const) {
      const refused = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: refreshToken });
      expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }
    const again = await authorize(browser, b);
    expect(again.code).toBeUndefined();
    expect(again.page.html).toContain('action="/login/password"');
  });
});
