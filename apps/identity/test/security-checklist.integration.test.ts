// The identity checklist of DOMAIN.md (OWASP ASVS 5.0 ch. 6, 7, 9, 10; RFC 9700), one test (or
// more) per item, each failing if its protection were removed. Items covered elsewhere:
// OTP single use and lifetime, TOTP replay, re-authentication before sensitive changes
// (accounts.integration.test.ts); back-channel logout (sso-backchannel.integration.test.ts).
import { createHash, createHmac } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, login } from './support/browser.ts';
import { PORTAL, ensurePortal, userTokens } from './support/flows.ts';
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

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('identity security checklist', () => {
  let identity: TestIdentity;
  let user: TestUser;
  let portal: { id: string; secret: string | null };

  beforeAll(async () => {
    identity = await startIdentity({
      env: {
        REFRESH_TOKEN_IDLE_TTL_SECONDS: '3600',
        REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: '7200',
        LOGIN_ATTEMPTS_PER_IP: '50',
      },
    });
    portal = await ensurePortal(identity);
    user = await registerUser(identity);
  });
  afterAll(() => identity?.close());

  /** Logs in and returns a fresh code with its verifier (not yet exchanged). */
  async function freshCode(browser = new Browser(), params: Record<string, string> = {}) {
    const { challenge, verifier } = pkce();
    const page = await login(
      browser,
      authorizeUrl(identity.url, {
        client_id: PORTAL.id,
        redirect_uri: PORTAL.redirectUri,
        scope: 'openid profile',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'st',
        ...params,
      }),
      identity.url,
      { loginName: user.phone, password: user.password },
    );
    return { code: codeOf(page.location), verifier, location: page.location ?? '', browser };
  }
  const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    tokenRequest(
      identity.url,
      { grant_type: 'authorization_code', code, redirect_uri: PORTAL.redirectUri, code_verifier: verifier, ...extra },
      portal,
    );
  const introspect = async (token: string) =>
    (await tokenRequest(identity.url, { token }, portal, '/oidc/introspect')).body;
  const userinfoStatus = async (token: string) =>
    (await fetch(`${identity.url}/oidc/userinfo`, { headers: { authorization: `Bearer ${token}` } })).status;

  describe('redirect URIs', () => {
    it('requires an exact redirect_uri match and never redirects to an unregistered one', async () => {
      const { challenge } = pkce();
      for (const redirectUri of [
        `${PORTAL.redirectUri}/more`,
        `${PORTAL.redirectUri}?x=1`,
        'https://PORTAL.example.test/cb',
        'https://evil.example/cb',
      ]) {
        const page = await new Browser().request(
          authorizeUrl(identity.url, {
            client_id: PORTAL.id,
            redirect_uri: redirectUri,
            code_challenge: challenge,
            code_challenge_method: 'S256',
          }),
        );
        expect(page.status).toBe(400);
        expect(page.location).toBeUndefined();
      }
    });

    it('refuses a code redeemed with another redirect_uri', async () => {
      const { code, verifier } = await freshCode();
      const response = await exchange(code, verifier, { redirect_uri: `${PORTAL.redirectUri}/other` });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_grant' });
      expect(response.body.access_token).toBeUndefined();
    });
  });

  describe('PKCE', () => {
    const authorizeWith = (params: Record<string, string | undefined>) =>
      new Browser().request(
        authorizeUrl(identity.url, { client_id: PORTAL.id, redirect_uri: PORTAL.redirectUri, ...params }),
      );

    it('refuses plain and missing code challenges', async () => {
      const { challenge } = pkce();
      for (const params of [
        { code_challenge: challenge, code_challenge_method: 'plain' },
        { code_challenge: challenge },
        {},
      ]) {
        const page = await authorizeWith(params);
        const url = new URL(page.location ?? '');
        expect(url.origin + url.pathname).toBe(PORTAL.redirectUri);
        expect(url.searchParams.get('error')).toBe('invalid_request');
        expect(url.searchParams.get('code')).toBeNull();
      }
    });

    it('refuses a wrong or missing code_verifier', async () => {
      const { code } = await freshCode();
      expect((await exchange(code, pkce().verifier)).body.error).toBe('invalid_grant');
      const second = await freshCode();
      const withoutVerifier = await tokenRequest(
        identity.url,
        { grant_type: 'authorization_code', code: second.code, redirect_uri: PORTAL.redirectUri },
        portal,
      );
      expect(withoutVerifier.body.error).toBe('invalid_grant');
    });
  });

  describe('authorization codes', () => {
    it('accepts a code once; a replay revokes the tokens it issued', async () => {
      const { code, verifier } = await freshCode();
      const first = await exchange(code, verifier);
      expect(first.status).toBe(200);
      expect(await introspect(String(first.body.access_token))).toMatchObject({ active: true });
      const replay = await exchange(code, verifier);
      expect(replay.status).toBe(400);
      expect(replay.body).toMatchObject({ error: 'invalid_grant' });
      expect(await introspect(String(first.body.access_token))).toEqual({ active: false });
      const refresh = await tokenRequest(
        identity.url,
        { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) },
        portal,
      );
      expect(refresh.body.error).toBe('invalid_grant');
    });

    it('expires codes after 60 seconds', async () => {
      const { code, verifier } = await freshCode();
      identity.clock.advanceSeconds(61);
      const response = await exchange(code, verifier);
      expect(response.body).toMatchObject({ error: 'invalid_grant', error_description: 'the code expired' });
    });

    it('puts iss in every authorization response, success or error (RFC 9207)', async () => {
      const { location } = await freshCode();
      expect(new URL(location).searchParams.get('iss')).toBe(identity.url);
      const error = await new Browser().request(
        authorizeUrl(identity.url, { client_id: PORTAL.id, redirect_uri: PORTAL.redirectUri, state: 'x' }),
      );
      const url = new URL(error.location ?? '');
      expect([url.searchParams.get('error'), url.searchParams.get('state'), url.searchParams.get('iss')]).toEqual([
        'invalid_request',
        'x',
        identity.url,
      ]);
    });
  });

  describe('grants that do not exist', () => {
    it('has no implicit flow', async () => {
      const page = await new Browser().request(
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          response_type: 'token',
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
        }),
      );
      const url = new URL(page.location ?? '');
      expect(url.searchParams.get('error')).toBe('unsupported_response_type');
      expect(url.hash).toBe('');
    });

    it('has no password grant', async () => {
      const response = await tokenRequest(
        identity.url,
        { grant_type: 'password', username: user.phone, password: user.password },
        portal,
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'unsupported_grant_type' });
    });
  });

  describe('refresh tokens', () => {
    it('rotates on every use; reusing a spent one revokes the whole family', async () => {
      const { code, verifier } = await freshCode();
      const first = await exchange(code, verifier);
      const rt1 = String(first.body.refresh_token);
      const second = await tokenRequest(identity.url, { grant_type: 'refresh_token', refresh_token: rt1 }, portal);
      const rt2 = String(second.body.refresh_token);
      expect(rt2).not.toBe(rt1);
      const reuse = await tokenRequest(identity.url, { grant_type: 'refresh_token', refresh_token: rt1 }, portal);
      expect(reuse.body).toMatchObject({ error: 'invalid_grant' });
      // The newest token of the family is dead too, and so are its access tokens.
      expect(
        (await tokenRequest(identity.url, { grant_type: 'refresh_token', refresh_token: rt2 }, portal)).body.error,
      ).toBe('invalid_grant');
      expect(await introspect(String(second.body.access_token))).toEqual({ active: false });
    });

    it('stops at the absolute expiry however often it was rotated', async () => {
      // offline_access: the family outlives the SSO session, so only its own limits apply.
      const { code, verifier } = await freshCode(new Browser(), { scope: 'openid offline_access' });
      let refreshToken = String((await exchange(code, verifier)).body.refresh_token);
      // Idle limit 1 h, absolute 2 h: rotating every 50 min works twice, then the family is over.
      for (let i = 0; i < 2; i += 1) {
        identity.clock.advanceSeconds(50 * 60);
        const response = await tokenRequest(
          identity.url,
          { grant_type: 'refresh_token', refresh_token: refreshToken },
          portal,
        );
        expect(response.status).toBe(200);
        refreshToken = String(response.body.refresh_token);
      }
      identity.clock.advanceSeconds(50 * 60);
      const expired = await tokenRequest(
        identity.url,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        portal,
      );
      expect(expired.body).toMatchObject({ error: 'invalid_grant', error_description: 'the refresh token expired' });
    });

    it('belongs to its client only', async () => {
      const other = await createClient(identity, { id: 'other-app', redirectUris: ['https://other.example.test/cb'] });
      const { code, verifier } = await freshCode();
      const tokens = await exchange(code, verifier);
      const stolen = await tokenRequest(
        identity.url,
        { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token) },
        other,
      );
      expect(stolen.body.error).toBe('invalid_grant');
    });
  });

  describe('JWT verification', () => {
    let accessToken: string;
    let idToken: string;
    beforeAll(async () => {
      const { code, verifier } = await freshCode();
      const tokens = await exchange(code, verifier);
      accessToken = String(tokens.body.access_token);
      idToken = String(tokens.body.id_token);
    });

    const ourHeader = () =>
      JSON.parse(Buffer.from(accessToken.split('.')[0] ?? '', 'base64url').toString()) as { kid: string };
    const ourPayload = () =>
      JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

    async function forged(): Promise<Record<string, string>> {
      const attacker = await generateKeyPair('ES256', { extractable: true });
      const attackerJwk = await exportJWK(attacker.publicKey);
      const payload = ourPayload();
      const { kid } = ourHeader();
      const jwks = (await (await fetch(`${identity.url}/oidc/jwks`)).json()) as {
        keys: Array<Record<string, unknown>>;
      };
      const ourPublicJwk = JSON.stringify(jwks.keys[0]);
      const hs256Body = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(payload)}`;
      return {
        'alg=none': `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(payload)}.`,
        'HS256 keyed with our public key': `${hs256Body}.${createHmac('sha256', ourPublicJwk).update(hs256Body).digest('base64url')}`,
        'embedded jwk header': await new SignJWT(payload)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: attackerJwk })
          .sign(attacker.privateKey),
        'jku header': await new SignJWT(payload)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'attacker', jku: 'https://evil.example/jwks' })
          .sign(attacker.privateKey),
        'x5u header': await new SignJWT(payload)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid, x5u: 'https://evil.example/cert' })
          .sign(attacker.privateKey),
        'our kid, attacker key': await new SignJWT(payload)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
          .sign(attacker.privateKey),
        'foreign kid': await new SignJWT(payload)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'someone-elses-key' })
          .sign(attacker.privateKey),
        'alg not matching the key type': `${b64({ alg: 'RS256', typ: 'at+jwt', kid })}.${accessToken.split('.').slice(1).join('.')}`,
        malformed: 'not.a.jwt',
        garbage: '%%%',
      };
    }

    it('accepts only ES256 tokens signed by a key of its own JWKS', async () => {
      expect(await introspect(accessToken)).toMatchObject({ active: true });
      for (const [name, token] of Object.entries(await forged())) {
        expect([name, await introspect(token)]).toEqual([name, { active: false }]);
        expect([name, await userinfoStatus(token)]).toEqual([name, 401]);
      }
    });

    it('checks typ: an ID token is never an access token', async () => {
      expect(await introspect(idToken)).toEqual({ active: false });
      expect(await userinfoStatus(idToken)).toBe(401);
      // And an access token is not accepted where an ID token is expected.
      const logout = await new Browser().request(`${identity.url}/oidc/logout?id_token_hint=${accessToken}`);
      expect(logout.status).toBe(400);
    });

    it('checks aud: a token for another resource is refused by identity itself', async () => {
      await createClient(identity, {
        id: 'license-caller',
        grantTypes: ['client_credentials'],
        scopes: ['license:read'],
        resources: ['urn:platform:license'],
      });
      const secret = await identity.core.clients.rotateSecret('license-caller');
      const token = await tokenRequest(
        identity.url,
        { grant_type: 'client_credentials', resource: 'urn:platform:license' },
        { id: 'license-caller', secret },
      );
      expect(
        JSON.parse(Buffer.from(String(token.body.access_token).split('.')[1] ?? '', 'base64url').toString()).aud,
      ).toBe('urn:platform:license');
      const response = await fetch(`${identity.url}/trpc/account.me`, {
        headers: { authorization: `Bearer ${String(token.body.access_token)}` },
      });
      expect(response.status).toBe(401);
      expect(await userinfoStatus(String(token.body.access_token))).toBe(401);
    });

    it('honours exp with a bounded clock skew (30 s) and nbf', async () => {
      const { code, verifier } = await freshCode();
      const token = String((await exchange(code, verifier)).body.access_token);
      identity.clock.advanceSeconds(identity.env.ACCESS_TOKEN_TTL_SECONDS + 20);
      expect(await introspect(token)).toMatchObject({ active: true });
      identity.clock.advanceSeconds(15);
      expect(await introspect(token)).toEqual({ active: false });
      const future = await identity.core.jwt.sign(
        'access',
        { ...ourPayload(), jti: 'nbf-test', nbf: Math.floor(identity.clock.now().getTime() / 1000) + 120 },
        600,
      );
      expect(await introspect(future.token)).toEqual({ active: false });
    });
  });

  describe('login abuse', () => {
    const attempt = (browser: Browser, loginName: string, password: string) =>
      login(
        browser,
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
        }),
        identity.url,
        { loginName, password },
      );

    it('locks a login name after 5 failures, with the same answers for unknown and existing accounts', async () => {
      const victim = await registerUser(identity);
      const unknownName = '13800000000';
      const answers = async (loginName: string, correct: string) => {
        const seen: Array<[number, string]> = [];
        for (let i = 0; i < 6; i += 1) {
          const page = await attempt(new Browser(), loginName, i < 5 ? 'wrong-password-123' : correct);
          seen.push([page.status, /role="alert">([^<]*)</.exec(page.html)?.[1] ?? '']);
        }
        return seen;
      };
      const existing = await answers(victim.phone, victim.password);
      const unknown = await answers(unknownName, 'whatever-password');
      expect(existing).toEqual(unknown);
      expect(
        existing
          .slice(0, 5)
          .every(([status, message]) => status === 401 && message === '账号或密码错误，或验证码无效。'),
      ).toBe(true);
      // The sixth attempt, even with the right password, is refused while locked.
      expect(existing[5]?.[0]).toBe(429);
      identity.clock.advanceSeconds(15 * 60 + 1);
      expect((await attempt(new Browser(), victim.phone, victim.password)).location).toMatch(/code=/);
    });

    it('forgets a name’s failures after a successful login, so they do not add up across successes', async () => {
      const person = await registerUser(identity);
      const counter = () =>
        identity.core.db.rateLimitCounter.findUnique({ where: { key: `login-fail-name:${person.phone}` } });
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < 4; i += 1)
          expect((await attempt(new Browser(), person.phone, 'wrong-password-123')).status).toBe(401);
        expect((await counter())?.count).toBe(4);
        expect((await attempt(new Browser(), person.phone, person.password)).location).toMatch(/code=/);
        expect(await counter()).toBeNull();
      }
    });

    it('spends similar time on an unknown account and a wrong password', async () => {
      const attempt = async (loginName: string, i: number) => {
        const started = performance.now();
        await identity.core.authenticator.withPassword(loginName, 'wrong-password-xyz', `203.0.113.${i}`);
        return performance.now() - started;
      };
      const wrong: number[] = [];
      const unknown: number[] = [];
      // Interleaved (five each, under the lockout limit), so load on the machine falls on both alike.
      for (let i = 0; i < 5; i += 1) {
        wrong.push(await attempt(user.phone, i));
        unknown.push(await attempt('13900000001', i));
      }
      identity.clock.advanceSeconds(15 * 60 + 1);
      const median = (samples: number[]) => samples.sort((a, b) => a - b)[2] ?? 0;
      const wrongPassword = median(wrong);
      const unknownAccount = median(unknown);
      expect(unknownAccount / wrongPassword).toBeGreaterThan(0.5);
      expect(unknownAccount / wrongPassword).toBeLessThan(2);
    });

    it('shares rate-limit counters between replicas through PostgreSQL', async () => {
      const replica = await startIdentity({
        databaseUrl: identity.env.DATABASE_URL,
        clock: identity.clock,
        env: { KEY_ENCRYPTION_KEY: identity.env.KEY_ENCRYPTION_KEY ?? '' },
      });
      try {
        const name = '13700000002';
        for (let i = 0; i < 5; i += 1) {
          const core = i % 2 === 0 ? identity.core : replica.core;
          expect((await core.authenticator.withPassword(name, 'bad-password', '192.0.2.1')).ok).toBe(false);
        }
        expect(await replica.core.authenticator.withPassword(name, 'bad-password', '192.0.2.1')).toMatchObject({
          ok: false,
          failure: 'locked',
        });
        expect(await identity.core.authenticator.withPassword(name, 'bad-password', '192.0.2.1')).toMatchObject({
          ok: false,
          failure: 'locked',
        });
      } finally {
        await replica.service.close();
      }
    });

    it('limits login attempts per IP address', async () => {
      const ip = '192.0.2.77';
      let limited = 0;
      for (let i = 0; i < 52; i += 1) {
        const outcome = await identity.core.authenticator.withPassword(
          `1360000${String(i).padStart(4, '0')}`,
          'bad-password',
          ip,
        );
        if (!outcome.ok && outcome.failure === 'rate_limited') limited += 1;
      }
      expect(limited).toBe(2);
      identity.clock.advanceSeconds(5 * 60 + 1);
    });
  });

  describe('session-bound refresh tokens', () => {
    it('keep the SSO session alive while used, and end with it when it times out', async () => {
      const { code, verifier } = await freshCode();
      let refreshToken = String((await exchange(code, verifier)).body.refresh_token);
      // Refreshing every 20 minutes is activity: the 30-minute idle timeout never hits.
      for (let i = 0; i < 3; i += 1) {
        identity.clock.advanceSeconds(20 * 60);
        const response = await tokenRequest(
          identity.url,
          { grant_type: 'refresh_token', refresh_token: refreshToken },
          portal,
        );
        expect(response.status).toBe(200);
        refreshToken = String(response.body.refresh_token);
      }
      identity.clock.advanceSeconds(identity.env.SESSION_IDLE_TIMEOUT_SECONDS + 1);
      const afterIdle = await tokenRequest(
        identity.url,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        portal,
      );
      expect(afterIdle.body).toMatchObject({
        error: 'invalid_grant',
        error_description: 'the login session has ended',
      });
    });

    it('are ended by the sweeper with the timed-out session, which tells the apps', async () => {
      const { code, verifier, browser } = await freshCode();
      const tokens = await exchange(code, verifier);
      identity.clock.advanceSeconds(identity.env.SESSION_IDLE_TIMEOUT_SECONDS + 1);
      expect(await identity.core.sessions.endExpired()).toBeGreaterThanOrEqual(1);
      expect(await introspect(String(tokens.body.access_token))).toEqual({ active: false });
      const sid = JSON.parse(Buffer.from(String(tokens.body.id_token).split('.')[1] ?? '', 'base64url').toString())
        .sid as string;
      expect((await identity.core.sessions.findBySid(sid))?.endReason).toBe('expired');
      const silent = await browser.request(
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
          prompt: 'none',
        }),
      );
      expect(new URL(silent.location ?? '').searchParams.get('error')).toBe('login_required');
    });
  });

  describe('sessions', () => {
    const cookieName = 'idp_session';

    it('issues a new session id at every login (no fixation)', async () => {
      const browser = new Browser();
      browser.cookiesOf(identity.url).set(cookieName, 'attacker-chosen-value');
      await freshCode(browser);
      const first = browser.cookiesOf(identity.url).get(cookieName);
      expect(first).toBeDefined();
      expect(first).not.toBe('attacker-chosen-value');
      await freshCode(browser, { prompt: 'login' });
      const second = browser.cookiesOf(identity.url).get(cookieName);
      expect(second).not.toBe(first);
      expect(await identity.core.sessions.resolve(decodeURIComponent(first ?? ''))).toBeUndefined();
      expect(await identity.core.sessions.resolve(decodeURIComponent(second ?? ''))).toBeDefined();
    });

    const silent = (browser: Browser) =>
      browser.request(
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
          prompt: 'none',
        }),
      );

    it('ends an idle session after the idle timeout', async () => {
      const { browser } = await freshCode();
      identity.clock.advanceSeconds(identity.env.SESSION_IDLE_TIMEOUT_SECONDS - 60);
      expect((await silent(browser)).location).toMatch(/code=/);
      identity.clock.advanceSeconds(identity.env.SESSION_IDLE_TIMEOUT_SECONDS + 1);
      expect(new URL((await silent(browser)).location ?? '').searchParams.get('error')).toBe('login_required');
    });

    it('ends an active session at the absolute timeout', async () => {
      const { browser } = await freshCode();
      const steps = Math.ceil(identity.env.SESSION_ABSOLUTE_TIMEOUT_SECONDS / (20 * 60));
      let last = '';
      for (let i = 0; i < steps; i += 1) {
        identity.clock.advanceSeconds(20 * 60);
        last = (await silent(browser)).location ?? '';
      }
      expect(new URL(last).searchParams.get('error')).toBe('login_required');
    });

    it('ends every session and token of an account that is disabled', async () => {
      const target = await registerUser(identity);
      const tokens = await userTokens(identity, target, { scope: 'openid profile' });
      const admin = api(identity, await adminToken(identity));
      await admin.admin.account.setStatus.mutate({ accountId: target.id, status: 'disabled' });
      expect(await identity.core.sessions.listOpen(target.id)).toEqual([]);
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
      expect(
        (await tokenRequest(identity.url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, portal))
          .body.error,
      ).toBe('invalid_grant');
      const page = await login(
        new Browser(),
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
        }),
        identity.url,
        { loginName: target.phone, password: target.password },
      );
      expect(page.status).toBe(403);
    });
  });

  describe('forms', () => {
    it('refuses a login form posted without the CSRF token of the browser', async () => {
      const browser = new Browser();
      const page = await browser.open(
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
        }),
        identity.url,
      );
      const interaction = /name="interaction" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
      const forged = await browser.request(`${identity.url}/login/password`, {
        form: {
          interaction,
          csrf: createHash('sha256').update('guess').digest('base64url'),
          login_name: user.phone,
          password: user.password,
        },
      });
      expect(forged.status).toBe(403);
      const otherOrigin = await browser.request(`${identity.url}/login/password`, {
        form: {
          interaction,
          csrf: /name="csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '',
          login_name: user.phone,
          password: user.password,
        },
        headers: { origin: 'https://evil.example' },
      });
      expect(otherOrigin.status).toBe(403);
    });

    it('binds the login request to the browser that started it', async () => {
      const victim = new Browser();
      const started = await victim.open(
        authorizeUrl(identity.url, {
          client_id: PORTAL.id,
          redirect_uri: PORTAL.redirectUri,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
        }),
        identity.url,
      );
      const interaction = /name="interaction" value="([^"]+)"/.exec(started.html)?.[1] ?? '';
      const other = new Browser();
      const page = await other.request(`${identity.url}/login?interaction=${interaction}`);
      expect(page.status).toBe(400);
      expect(page.html).toContain('登录请求已过期或不属于当前浏览器');
    });
  });
});
