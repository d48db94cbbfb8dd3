// /auth/*: login (authorization code + PKCE S256, state, nonce, optional acr_values for step-up),
// the callback (code exchange, ID token check, new session), logout (RP-initiated at identity),
// back-channel logout (identity ends the console session). Who is signed in: session.me
// (console-router.ts).
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from '@platform/service-kit';
import type { OidcProvider } from './oidc/provider.ts';
import { randomToken, s256, sameSecret } from './oidc/random.ts';
import { TokenRejected, verifyIdToken, verifyLogoutToken, type VerificationKeys } from './oidc/tokens.ts';
import { clearCookie, readCookie, setCookie, type CookieNames } from './sessions/cookies.ts';
import { SeenTokenIds, type ConsoleSession, type SessionStore } from './sessions/session-store.ts';

/** How long a started login may take (the user types a password, maybe an SMS code). */
const LOGIN_TTL_SECONDS = 600;
const MAX_PENDING_LOGINS = 10_000;
export const IDENTITY_RESOURCE = 'urn:platform:identity';

interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  createdAt: number;
}

export interface AuthRoutesOptions {
  provider: OidcProvider;
  sessions: SessionStore;
  cookies: CookieNames;
  publicUrl: string;
  scopes: string;
  sessionAbsoluteSeconds: number;
  log: Logger;
  now?: () => number;
}

/** Only local paths: an open redirect would let a phishing link borrow the console's name. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  return value;
}

/** The state-changing requests of the app carry this header; cross-site forms cannot set it. */
export function sameOriginRequest(req: Request, publicUrl: string): boolean {
  const origin = req.get('origin');
  if (origin !== undefined && origin !== new URL(publicUrl).origin) return false;
  return req.get('x-console-request') === '1';
}

export function mountAuthRoutes(app: Express, options: AuthRoutesOptions): void {
  const { provider, sessions, cookies, publicUrl, log } = options;
  const now = options.now ?? Date.now;
  const redirectUri = `${publicUrl}/auth/callback`;
  const pending = new Map<string, PendingLogin>();
  const seenLogoutTokens = new SeenTokenIds(now);

  const verificationKeys = async (): Promise<VerificationKeys> => ({
    issuer: provider.issuer,
    clientId: provider.clientId,
    keys: await provider.keySet(),
  });

  const takePending = (req: Request): PendingLogin | undefined => {
    const id = readCookie(req, cookies.login);
    if (!id) return undefined;
    const login = pending.get(id);
    pending.delete(id);
    if (!login || now() - login.createdAt > LOGIN_TTL_SECONDS * 1000) return undefined;
    return login;
  };

  app.get('/auth/login', async (req: Request, res: Response) => {
    const metadata = await provider.discover();
    const acr = typeof req.query.acr === 'string' && /^[1-4]$/.test(req.query.acr) ? req.query.acr : undefined;
    for (const [id, login] of pending)
      if (now() - login.createdAt > LOGIN_TTL_SECONDS * 1000 || pending.size > MAX_PENDING_LOGINS) pending.delete(id);
    const login: PendingLogin = {
      state: randomToken(),
      nonce: randomToken(),
      verifier: randomToken(),
      returnTo: safeReturnTo(req.query.returnTo),
      createdAt: now(),
    };
    const id = randomToken();
    pending.set(id, login);
    setCookie(res, cookies, cookies.login, id, LOGIN_TTL_SECONDS);
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: redirectUri,
      scope: options.scopes,
      state: login.state,
      nonce: login.nonce,
      code_challenge: s256(login.verifier),
      code_challenge_method: 'S256',
      // The first access token is for identity itself (userinfo, account pages); the services' tokens
      // are asked for by refresh with their own resource.
      resource: IDENTITY_RESOURCE,
      ...(acr ? { acr_values: acr } : {}),
    }).toString();
    res.set('cache-control', 'no-store').redirect(302, url.toString());
  });

  app.get('/auth/callback', async (req: Request, res: Response) => {
    res.set('cache-control', 'no-store');
    const login = takePending(req);
    clearCookie(res, cookies, cookies.login);
    const fail = (reason: string) => {
      log.warn({ reason }, 'login callback refused');
      res.redirect(302, `/?loginError=${encodeURIComponent(reason)}`);
    };
    const query = req.query as Record<string, unknown>;
    if (!login) return fail('login_expired');
    if (typeof query.state !== 'string' || !sameSecret(query.state, login.state)) return fail('state_mismatch');
    // RFC 9207: the response must come from the issuer we sent the user to (mix-up defence).
    if (query.iss !== undefined && query.iss !== provider.issuer) return fail('issuer_mismatch');
    if (typeof query.error === 'string') return fail(query.error.slice(0, 50));
    if (typeof query.code !== 'string' || !query.code) return fail('code_missing');

    let session: { cookieValue: string; session: ConsoleSession };
    try {
      const tokens = await provider.token({
        grant_type: 'authorization_code',
        code: query.code,
        redirect_uri: redirectUri,
        code_verifier: login.verifier,
      });
      if (!tokens.id_token) return fail('id_token_missing');
      const claims = await verifyIdToken(tokens.id_token, await verificationKeys(), login.nonce);
      // Profile claims come from userinfo; its `sub` must be the ID token's (OIDC Core §5.3.2).
      const info = await provider.userinfo(tokens.access_token);
      if (info.sub !== claims.sub) return fail('userinfo_mismatch');
      const text = (value: unknown, fallback: unknown) =>
        typeof value === 'string' ? value : typeof fallback === 'string' ? fallback : undefined;
      const scopes = (tokens.scope ?? options.scopes).split(' ').filter(Boolean);
      const accessExp = Math.floor(now() / 1000) + tokens.expires_in;
      session = sessions.create({
        subject: claims.sub,
        sid: claims.sid,
        name: text(info.name, claims.name),
        subjectType: text(info.subject_type, claims.subject_type),
        subjectCode: text(info.id_number, claims.id_number),
        acr: claims.acr,
        scopes,
        idToken: tokens.id_token,
        refreshToken: tokens.refresh_token,
        accessTokens: new Map([[IDENTITY_RESOURCE, { token: tokens.access_token, expiresAt: accessExp, scopes }]]),
      });
    } catch (error) {
      if (error instanceof TokenRejected) return fail('id_token_invalid');
      log.warn({ err: error }, 'code exchange failed');
      return fail('token_exchange_failed');
    }
    // Replace any earlier session of this browser (new id at every login).
    const previous = sessions.find(readCookie(req, cookies.session));
    if (previous) sessions.delete(previous);
    setCookie(res, cookies, cookies.session, session.cookieValue, options.sessionAbsoluteSeconds);
    res.redirect(302, login.returnTo);
  });

  app.post('/auth/logout', async (req: Request, res: Response) => {
    res.set('cache-control', 'no-store');
    if (!sameOriginRequest(req, publicUrl)) {
      res.status(403).json({ error: 'cross_site_request' });
      return;
    }
    const session = sessions.find(readCookie(req, cookies.session));
    clearCookie(res, cookies, cookies.session);
    const metadata = await provider.discover();
    const url = new URL(metadata.end_session_endpoint);
    url.searchParams.set('client_id', provider.clientId);
    url.searchParams.set('post_logout_redirect_uri', `${publicUrl}/`);
    if (session) {
      sessions.delete(session);
      url.searchParams.set('id_token_hint', session.idToken);
      if (session.refreshToken)
        await provider.revoke(session.refreshToken).catch((error: unknown) => {
          log.warn({ err: error }, 'refresh token revocation failed');
        });
    }
    // The app navigates there: identity ends the SSO session and tells the other apps.
    res.json({ redirect: url.toString() });
  });

  app.post(
    '/auth/backchannel-logout',
    express.urlencoded({ extended: false, limit: '16kb' }),
    async (req: Request, res: Response) => {
      res.set('cache-control', 'no-store');
      const token = (req.body as Record<string, unknown> | undefined)?.logout_token;
      if (typeof token !== 'string' || token.length > 8192) {
        res.status(400).json({ error: 'invalid_request', error_description: 'logout_token is required' });
        return;
      }
      try {
        const claims = await verifyLogoutToken(token, await verificationKeys());
        if (!seenLogoutTokens.firstUse(claims.jti, claims.exp)) throw new TokenRejected('replayed');
        const ended = sessions.endBy({ sid: claims.sid, sub: claims.sub });
        log.info({ ended }, 'back-channel logout');
        res.status(200).end();
      } catch (error) {
        if (!(error instanceof TokenRejected)) throw error;
        log.warn({ reason: error.reason }, 'logout token refused');
        res.status(400).json({ error: 'invalid_request', error_description: 'the logout token is not valid' });
      }
    },
  );
}
