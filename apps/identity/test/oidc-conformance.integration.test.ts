// A standard OIDC client library (openid-client 6) against the running service: discovery,
// authorization code + PKCE with the login form driven over HTTP, refresh, userinfo,
// introspection, revocation and RP-initiated logout.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, login } from './support/browser.ts';
import { createClient, registerUser, startIdentity, type TestIdentity, type TestUser } from './support/identity.ts';

const RP = 'https://rp.example.test';
const REDIRECT_URI = `${RP}/callback`;
const POST_LOGOUT_URI = `${RP}/bye`;

describe('openid-client against the identity service', () => {
  let identity: TestIdentity;
  let user: TestUser;
  let config: oidc.Configuration;

  beforeAll(async () => {
    identity = await startIdentity();
    user = await registerUser(identity);
    const { secret } = await createClient(identity, {
      id: 'conformance-rp',
      redirectUris: [REDIRECT_URI],
      postLogoutRedirectUris: [POST_LOGOUT_URI],
      scopes: ['openid', 'profile', 'phone', 'offline_access'],
    });
    config = await oidc.discovery(
      new URL(identity.url),
      'conformance-rp',
      { client_secret: secret ?? '', id_token_signed_response_alg: 'ES256' },
      oidc.ClientSecretBasic(secret ?? ''),
      { execute: [oidc.allowInsecureRequests] },
    );
  });
  afterAll(() => identity?.close());

  it('completes discovery, login with PKCE, refresh, userinfo, introspection, revocation and logout', async () => {
    expect(config.serverMetadata().issuer).toBe(identity.url);
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(['S256']);

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizeUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile phone offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const browser = new Browser();
    const callback = await login(browser, authorizeUrl.toString(), identity.url, {
      loginName: user.phone,
      password: user.password,
    });
    expect(callback.status).toBe(303);
    expect(callback.location).toMatch(/^https:\/\/rp\.example\.test\/callback\?code=/);
    expect(new URL(callback.location ?? '').searchParams.get('iss')).toBe(identity.url);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback.location ?? ''), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: identity.url, sub: user.id, aud: 'conformance-rp', acr: '1', amr: ['pwd'] });
    expect(typeof claims?.sid).toBe('string');
    expect(tokens.refresh_token).toBeTruthy();
    // Resource servers (e.g. the license wallet) find the holder by ID number, not account id.
    const accessClaims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString());
    expect(accessClaims).toMatchObject({ sub: user.id, subject_code: user.subjectId, acr: '1' });

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(userinfo).toMatchObject({
      sub: user.id,
      name: user.name,
      id_number: user.subjectId,
      phone_number: user.phone,
    });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const introspected = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(introspected).toMatchObject({
      active: true,
      sub: user.id,
      client_id: 'conformance-rp',
      token_type: 'Bearer',
    });
    const introspectedRefresh = await oidc.tokenIntrospection(config, refreshed.refresh_token ?? '', {
      token_type_hint: 'refresh_token',
    });
    expect(introspectedRefresh).toMatchObject({ active: true, token_type: 'refresh_token', sub: user.id });

    await oidc.tokenRevocation(config, refreshed.access_token);
    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
    await oidc.tokenRevocation(config, refreshed.refresh_token ?? '');
    expect(await oidc.tokenIntrospection(config, refreshed.refresh_token ?? '')).toEqual({ active: false });

    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: 'bye-state',
    });
    const loggedOut = await browser.request(logoutUrl.toString());
    expect(loggedOut.status).toBe(303);
    expect(loggedOut.location).toBe(`${POST_LOGOUT_URI}?state=bye-state`);

    // The session is gone: the next authorization with prompt=none reports login_required.
    const silent = await browser.request(
      oidc
        .buildAuthorizationUrl(config, {
          redirect_uri: REDIRECT_URI,
          scope: 'openid',
          code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
          code_challenge_method: 'S256',
          prompt: 'none',
        })
        .toString(),
    );
    expect(new URL(silent.location ?? '').searchParams.get('error')).toBe('login_required');
  });
});
