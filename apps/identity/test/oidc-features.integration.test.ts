// Provider behaviour beyond the basic flow: consent, prompt, max_age, acr_values with step-up,
// TOTP and SMS logins, client_credentials tokens in the agreed format, and "my sessions".
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevelopmentFaceCheck } from '../src/domain/trust/face-check.ts';
import { base32Decode, hotp, totpStep } from '../src/domain/otp/totp.ts';
import { Browser, login, type Page } from './support/browser.ts';
import { PORTAL, ensurePortal, userTokens } from './support/flows.ts';
import {
  api,
  codeIn,
  createClient,
  lastSms,
  PASSWORD,
  registerUser,
  startIdentity,
  type TestIdentity,
  type TestUser,
} from './support/identity.ts';
import { authorizeUrl, codeOf, pkce, tokenRequest } from './support/oauth.ts';

describe('OIDC provider features', () => {
  let identity: TestIdentity;
  let user: TestUser;
  const THIRD_PARTY_CB = 'https://bank.example.test/cb';

  beforeAll(async () => {
    identity = await startIdentity();
    await ensurePortal(identity);
    user = await registerUser(identity, { name: '陈一' });
    await createClient(identity, {
      id: 'bank',
      firstParty: false,
      redirectUris: [THIRD_PARTY_CB],
      scopes: ['openid', 'profile', 'phone'],
    });
  });
  afterAll(() => identity?.close());

  const url = (client: string, redirectUri: string, params: Record<string, string> = {}) =>
    authorizeUrl(identity.url, {
      client_id: client,
      redirect_uri: redirectUri,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
      ...params,
    });
  const errorOf = (page: Page) => new URL(page.location ?? '').searchParams.get('error');

  describe('consent', () => {
    it('asks a third-party app’s users once, remembers the answer, and reports a refusal', async () => {
      const browser = new Browser();
      const consent = await login(browser, url('bank', THIRD_PARTY_CB, { scope: 'openid phone' }), identity.url, {
        loginName: user.phone,
        password: user.password,
      });
      expect(consent.html).toContain('授权确认');
      expect(consent.html).toContain('手机号码');
      const approved = await browser.submit(consent, '/consent', { decision: 'approve' }, identity.url);
      expect(approved.location).toMatch(/^https:\/\/bank\.example\.test\/cb\?code=/);
      // Remembered: no consent page the second time, even silently.
      expect(
        (await browser.open(url('bank', THIRD_PARTY_CB, { scope: 'openid phone', prompt: 'none' }), identity.url))
          .location,
      ).toMatch(/code=/);
      // A wider scope asks again; prompt=none cannot.
      expect(
        errorOf(
          await browser.open(
            url('bank', THIRD_PARTY_CB, { scope: 'openid phone profile', prompt: 'none' }),
            identity.url,
          ),
        ),
      ).toBe('consent_required');
      const again = await browser.open(url('bank', THIRD_PARTY_CB, { scope: 'openid phone profile' }), identity.url);
      const denied = await browser.submit(again, '/consent', { decision: 'deny' }, identity.url);
      expect(errorOf(denied)).toBe('access_denied');
    });

    it('never asks for first-party apps', async () => {
      const page = await login(
        new Browser(),
        url(PORTAL.id, PORTAL.redirectUri, { scope: 'openid profile' }),
        identity.url,
        { loginName: user.phone, password: user.password },
      );
      expect(page.location).toMatch(/code=/);
    });
  });

  describe('prompt and max_age', () => {
    it('prompt=login asks for the password although a session exists', async () => {
      const browser = new Browser();
      await login(browser, url(PORTAL.id, PORTAL.redirectUri), identity.url, {
        loginName: user.phone,
        password: user.password,
      });
      const page = await browser.open(url(PORTAL.id, PORTAL.redirectUri, { prompt: 'login' }), identity.url);
      expect(page.html).toContain('action="/login/password"');
    });

    it('max_age forces a fresh login once the authentication is older, and auth_time tells the client', async () => {
      const browser = new Browser();
      const { verifier, challenge } = pkce();
      const first = await login(
        browser,
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          max_age: '300',
        }),
        identity.url,
        { loginName: user.phone, password: user.password },
      );
      const tokens = await tokenRequest(
        identity.url,
        {
          grant_type: 'authorization_code',
          code: codeOf(first.location),
          redirect_uri: PORTAL.redirectUri,
          code_verifier: verifier,
        },
        await ensurePortal(identity),
      );
      expect(decodeJwt(String(tokens.body.id_token)).auth_time).toBe(Math.floor(identity.clock.now().getTime() / 1000));
      identity.clock.advanceSeconds(200);
      expect(
        (await browser.open(url(PORTAL.id, PORTAL.redirectUri, { max_age: '300' }), identity.url)).location,
      ).toMatch(/code=/);
      identity.clock.advanceSeconds(200);
      expect((await browser.open(url(PORTAL.id, PORTAL.redirectUri, { max_age: '300' }), identity.url)).html).toContain(
        'action="/login/password"',
      );
    });
  });

  describe('acr_values and step-up', () => {
    it('raises a registered user to real-person level (3) on the way and puts acr in the tokens', async () => {
      const citizen = await registerUser(identity, { name: '林二' });
      const browser = new Browser();
      const { verifier, challenge } = pkce();
      const stepUp = await login(
        browser,
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          acr_values: '3',
        }),
        identity.url,
        { loginName: citizen.phone, password: citizen.password },
      );
      expect(stepUp.html).toContain('提升认证等级');
      expect(stepUp.html).toContain('action="/step-up/registry"');
      const face = await browser.submit(stepUp, '/step-up/registry', { name: '林二' }, identity.url);
      expect(face.html).toContain('action="/step-up/face"');
      const failed = await browser.submit(face, '/step-up/face', { sample: 'not-me' }, identity.url);
      expect(failed.status).toBe(422);
      const done = await browser.submit(
        failed,
        '/step-up/face',
        { sample: DevelopmentFaceCheck.MATCHING_SAMPLE },
        identity.url,
      );
      const tokens = await tokenRequest(
        identity.url,
        {
          grant_type: 'authorization_code',
          code: codeOf(done.location),
          redirect_uri: PORTAL.redirectUri,
          code_verifier: verifier,
        },
        await ensurePortal(identity),
      );
      expect(decodeJwt(String(tokens.body.id_token))).toMatchObject({ acr: '3', amr: ['pwd', 'kba', 'face'] });
      expect(decodeJwt(String(tokens.body.access_token)).acr).toBe('3');
    });

    it('answers prompt=none with interaction_required and an unreachable level with unmet_authentication_requirements', async () => {
      const browser = new Browser();
      await login(browser, url(PORTAL.id, PORTAL.redirectUri), identity.url, {
        loginName: user.phone,
        password: user.password,
      });
      expect(
        errorOf(
          await browser.open(url(PORTAL.id, PORTAL.redirectUri, { acr_values: '2', prompt: 'none' }), identity.url),
        ),
      ).toBe('interaction_required');
      await identity.core.repositories.accounts.raiseTrustLevel(user.id, 3);
      await login(browser, url(PORTAL.id, PORTAL.redirectUri, { prompt: 'login' }), identity.url, {
        loginName: user.phone,
        password: user.password,
      });
      const counter = await browser.open(url(PORTAL.id, PORTAL.redirectUri, { acr_values: '4' }), identity.url);
      expect(counter.html).toContain('政务服务窗口');
      const cancelled = await browser.submit(counter, '/step-up/cancel', {}, identity.url);
      expect(errorOf(cancelled)).toBe('unmet_authentication_requirements');
    });
  });

  describe('login means', () => {
    it('asks for the authenticator code after the password when TOTP is enabled', async () => {
      const totpUser = await registerUser(identity);
      const me = api(identity, (await userTokens(identity, totpUser)).access_token);
      const { secret } = await me.account.totp.enroll.mutate({ currentPassword: PASSWORD });
      await me.account.totp.confirm.mutate({ code: hotp(base32Decode(secret), totpStep(identity.clock.now())) });
      identity.clock.advanceSeconds(30);
      const browser = new Browser();
      const challenge = await login(browser, url(PORTAL.id, PORTAL.redirectUri), identity.url, {
        loginName: totpUser.phone,
        password: totpUser.password,
      });
      expect(challenge.html).toContain('action="/login/totp"');
      const wrong = await browser.submit(challenge, '/login/totp', { code: '000000' }, identity.url);
      expect(wrong.status).toBe(401);
      const done = await browser.submit(
        wrong,
        '/login/totp',
        { code: hotp(base32Decode(secret), totpStep(identity.clock.now())) },
        identity.url,
      );
      expect(done.location).toMatch(/code=/);
    });

    it('logs in with an SMS code', async () => {
      const browser = new Browser();
      const page = await browser.open(url(PORTAL.id, PORTAL.redirectUri), identity.url);
      const sent = await browser.submit(page, '/login/sms', { phone: user.phone, action: 'send' }, identity.url);
      expect(sent.html).toContain('验证码已发送');
      const code = codeIn(await lastSms(identity, user.phone));
      const done = await browser.submit(sent, '/login/sms', { phone: user.phone, code, action: 'login' }, identity.url);
      expect(done.location).toMatch(/code=/);
      identity.clock.advanceSeconds(61);
    });
  });

  describe('client_credentials', () => {
    it('issues an at+jwt access token in the agreed format for the requested resource', async () => {
      const { secret } = await createClient(identity, {
        id: 'license-service',
        grantTypes: ['client_credentials'],
        scopes: ['seal:sign', 'payment:read'],
        resources: ['urn:platform:seal', 'urn:platform:payment'],
        defaultResource: 'urn:platform:seal',
      });
      const client = { id: 'license-service', secret };
      const response = await tokenRequest(
        identity.url,
        { grant_type: 'client_credentials', scope: 'seal:sign' },
        client,
      );
      expect(response.body).toMatchObject({
        token_type: 'Bearer',
        expires_in: identity.env.ACCESS_TOKEN_TTL_SECONDS,
        scope: 'seal:sign',
      });
      const token = String(response.body.access_token);
      const jwks = (await (await fetch(`${identity.url}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> };
      const header = decodeProtectedHeader(token);
      expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: jwks.keys.at(-1)?.kid });
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({
        iss: identity.url,
        sub: 'license-service',
        aud: 'urn:platform:seal',
        client_id: 'license-service',
        scope: 'seal:sign',
      });
      expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
      const payment = await tokenRequest(
        identity.url,
        { grant_type: 'client_credentials', resource: 'urn:platform:payment' },
        client,
      );
      expect(decodeJwt(String(payment.body.access_token))).toMatchObject({
        aud: 'urn:platform:payment',
        scope: 'seal:sign payment:read',
      });
      expect(
        (
          await tokenRequest(
            identity.url,
            { grant_type: 'client_credentials', resource: 'urn:platform:license' },
            client,
          )
        ).body.error,
      ).toBe('invalid_target');
      expect(
        (await tokenRequest(identity.url, { grant_type: 'client_credentials', scope: 'identity:admin' }, client)).body
          .error,
      ).toBe('invalid_scope');
    });

    it('publishes discovery as agreed with packages/auth', async () => {
      const document = (await (await fetch(`${identity.url}/.well-known/openid-configuration`)).json()) as Record<
        string,
        unknown
      >;
      expect(document).toMatchObject({
        issuer: identity.url,
        jwks_uri: `${identity.url}/oidc/jwks`,
        authorization_endpoint: `${identity.url}/oidc/authorize`,
        token_endpoint: `${identity.url}/oidc/token`,
        userinfo_endpoint: `${identity.url}/oidc/userinfo`,
        introspection_endpoint: `${identity.url}/oidc/introspect`,
        revocation_endpoint: `${identity.url}/oidc/revoke`,
        end_session_endpoint: `${identity.url}/oidc/logout`,
        authorization_response_iss_parameter_supported: true,
        code_challenge_methods_supported: ['S256'],
      });
      expect(document.grant_types_supported).not.toContain('implicit');
      expect(document.grant_types_supported).not.toContain('password');
    });
  });

  describe('logout without an ID token hint', () => {
    it('asks the user to confirm, with a CSRF-protected form, then ends the session', async () => {
      const browser = new Browser();
      await login(browser, url(PORTAL.id, PORTAL.redirectUri), identity.url, {
        loginName: user.phone,
        password: user.password,
      });
      const confirm = await browser.request(`${identity.url}/oidc/logout`);
      expect(confirm.status).toBe(200);
      expect(confirm.html).toContain('退出登录');
      // A forged post (no token) changes nothing.
      const forged = await browser.request(`${identity.url}/oidc/logout/confirm`, { form: { csrf: 'forged' } });
      expect(forged.status).toBe(403);
      expect(
        (await browser.open(url(PORTAL.id, PORTAL.redirectUri, { prompt: 'none' }), identity.url)).location,
      ).toMatch(/code=/);
      const done = await browser.submit(confirm, '/oidc/logout/confirm', {}, identity.url);
      expect(done.html).toContain('您已安全退出');
      expect(errorOf(await browser.open(url(PORTAL.id, PORTAL.redirectUri, { prompt: 'none' }), identity.url))).toBe(
        'login_required',
      );
    });
  });

  describe('my sessions', () => {
    it('lists my sessions and ends one, logging out its apps', async () => {
      const owner = await registerUser(identity);
      const first = await userTokens(identity, owner);
      const second = await userTokens(identity, owner);
      const me = api(identity, second.access_token);
      const sessions = await me.session.listMine.query();
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((session) => session.current)).toHaveLength(1);
      const other = sessions.find((session) => !session.current);
      expect(other?.clients).toEqual([PORTAL.id]);
      expect(await me.session.endMine.mutate({ sessionId: other?.id ?? '' })).toEqual({ ended: true });
      expect(await me.session.listMine.query()).toHaveLength(1);
      // The ended session's tokens are gone; someone else's session id changes nothing.
      expect(
        (
          await tokenRequest(
            identity.url,
            { grant_type: 'refresh_token', refresh_token: first.refresh_token },
            await ensurePortal(identity),
          )
        ).body.error,
      ).toBe('invalid_grant');
      const stranger = api(identity, (await userTokens(identity, user)).access_token);
      expect(
        await stranger.session.endMine.mutate({ sessionId: sessions.find((session) => session.current)?.id ?? '' }),
      ).toEqual({ ended: false });
    });
  });
});
