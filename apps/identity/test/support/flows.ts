// Whole flows tests build on: a user's tokens through the real login page and code exchange.
import { Browser, login } from './browser.ts';
import { createClient, type TestIdentity, type TestUser } from './identity.ts';
import { authorizeUrl, codeOf, pkce, tokenRequest } from './oauth.ts';

export const PORTAL = { id: 'portal', redirectUri: 'https://portal.example.test/cb' };

/** Registers (once per service) the first-party portal client the helpers log in with. */
export async function ensurePortal(
  identity: TestIdentity,
  extra: {
    scopes?: string[];
    grantTypes?: Array<'authorization_code' | 'refresh_token' | 'urn:ietf:params:oauth:grant-type:token-exchange'>;
    resources?: string[];
  } = {},
): Promise<{ id: string; secret: string | null }> {
  const existing = await identity.core.clients.find(PORTAL.id);
  if (existing) return { id: PORTAL.id, secret: portalSecrets.get(identity) ?? null };
  const created = await createClient(identity, {
    id: PORTAL.id,
    redirectUris: [PORTAL.redirectUri],
    scopes: extra.scopes ?? ['openid', 'profile', 'phone', 'offline_access', 'identity:admin'],
    grantTypes: extra.grantTypes ?? ['authorization_code', 'refresh_token'],
    resources: extra.resources ?? [],
  });
  portalSecrets.set(identity, created.secret);
  return created;
}
const portalSecrets = new WeakMap<TestIdentity, string | null>();

export interface UserTokens {
  access_token: string;
  id_token: string;
  refresh_token: string;
  browser: Browser;
}

/** Logs the user in through the login page and exchanges the code at the token endpoint. */
export async function userTokens(
  identity: TestIdentity,
  user: Pick<TestUser, 'phone' | 'password'>,
  options: { scope?: string; browser?: Browser; params?: Record<string, string> } = {},
): Promise<UserTokens> {
  const portal = await ensurePortal(identity);
  const browser = options.browser ?? new Browser();
  const { challenge, verifier } = pkce();
  const page = await login(
    browser,
    authorizeUrl(identity.url, {
      client_id: portal.id,
      redirect_uri: PORTAL.redirectUri,
      scope: options.scope ?? 'openid profile',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...options.params,
    }),
    identity.url,
    { loginName: user.phone, password: user.password },
  );
  const response = await tokenRequest(
    identity.url,
    {
      grant_type: 'authorization_code',
      code: codeOf(page.location),
      redirect_uri: PORTAL.redirectUri,
      code_verifier: verifier,
    },
    portal,
  );
  if (response.status !== 200) throw new Error(`token request failed: ${JSON.stringify(response.body)}`);
  return { ...(response.body as Omit<UserTokens, 'browser'>), browser };
}
