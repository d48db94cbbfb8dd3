// The console's authenticate hook decides a session's fate by why its token was refused: a token
// that fails the checks ends the session; keys that cannot be fetched right now do not.
import { AppError, type Principal } from '@platform/contracts';
import { createLogger } from '@platform/service-kit';
import { describe, expect, it } from 'vitest';
import type { OidcProvider } from '../src/server/oidc/provider.ts';
import { AccessTokens } from '../src/server/sessions/access-tokens.ts';
import { cookieNames } from '../src/server/sessions/cookies.ts';
import { CONSOLE_RESOURCE, sessionAuthenticator } from '../src/server/sessions/session-principal.ts';
import { SessionStore } from '../src/server/sessions/session-store.ts';

const cookies = cookieNames('http://console.test');

function setUp(verify: (token: string) => Promise<Principal>) {
  const sessions = new SessionStore({ idleSeconds: 600, absoluteSeconds: 3600, maxSessions: 10 });
  // The session already holds a fresh token for the console, so identity is never asked.
  const { cookieValue } = sessions.create({
    subject: 'account-1',
    sid: 'sid-1',
    name: undefined,
    subjectType: undefined,
    subjectCode: undefined,
    acr: '2',
    scopes: ['openid'],
    idToken: 'id-token',
    refreshToken: 'refresh-1',
    accessTokens: new Map([
      [CONSOLE_RESOURCE.resource, { token: 'console-token', expiresAt: Date.now() / 1000 + 600, scopes: ['openid'] }],
    ]),
  });
  const authenticate = sessionAuthenticator({
    sessions,
    tokens: new AccessTokens({} as OidcProvider),
    cookies,
    verify,
    log: createLogger({ service: 'console-test', level: 'silent' }),
  });
  const request = { headers: { cookie: `${cookies.session}=${cookieValue}` } };
  return { authenticate: () => authenticate(request), alive: () => sessions.find(cookieValue) !== undefined };
}

describe('session principal', () => {
  it('passes the verified principal through', async () => {
    const principal = { subject: 'account-1', scopes: ['openid'] };
    const { authenticate } = setUp((token) =>
      token === 'console-token' ? Promise.resolve(principal) : Promise.reject(new Error('wrong token')),
    );
    expect(await authenticate()).toBe(principal);
  });

  it('ends the session when the token fails the checks', async () => {
    const { authenticate, alive } = setUp(() => Promise.reject(new AppError('UNAUTHENTICATED', 'bad signature')));
    await expect(authenticate()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(alive()).toBe(false);
  });

  it('keeps the session when identity’s keys cannot be fetched', async () => {
    const { authenticate, alive } = setUp(() => Promise.reject(new AppError('AUTH_UNAVAILABLE', 'keys unreachable')));
    await expect(authenticate()).rejects.toMatchObject({ code: 'AUTH_UNAVAILABLE' });
    expect(alive()).toBe(true);
  });
});
