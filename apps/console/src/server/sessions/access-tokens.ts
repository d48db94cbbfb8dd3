// Access tokens per service for a session. Identity issues one audience per token, so the console
// asks for each service's token with the refresh token and `resource` (RFC 8707), narrowed to that
// service's scopes (least privilege). Refresh tokens rotate on every use: refreshes of one session
// run one after another, each with the token the previous one returned.
import type { OidcProvider } from '../oidc/provider.ts';
import { TokenEndpointError } from '../oidc/provider.ts';
import type { ConsoleSession } from './session-store.ts';

/** A token this close to expiry is refreshed before use (seconds). */
const EXPIRY_MARGIN_SECONDS = 30;

export class SessionEndedError extends Error {
  constructor() {
    super('the login session has ended');
    this.name = 'SessionEndedError';
  }
}

/** Identity refused to let this user act for the legal person (no active authorisation covering it). */
export class AgentRefusedError extends Error {
  constructor(readonly oauthError: string) {
    super(`identity refused the agent token (${oauthError})`);
    this.name = 'AgentRefusedError';
  }
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface ResourceSpec {
  /** Audience, e.g. urn:platform:license. */
  resource: string;
  /** Scope prefix the service reads, e.g. `license:`. */
  scopePrefix: string;
}

const decodeExp = (token: string): number | undefined => {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
};

export class AccessTokens {
  constructor(
    private readonly provider: OidcProvider,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token for the resource, refreshed when missing or about to expire. */
  async forResource(session: ConsoleSession, spec: ResourceSpec): Promise<string> {
    const cached = this.fresh(session, spec.resource);
    if (cached) return cached;
    const next = session.refreshChain.then(async () => {
      // Another request may have refreshed this resource while we waited in the chain.
      const again = this.fresh(session, spec.resource);
      if (again) return again;
      if (!session.refreshToken) throw new SessionEndedError();
      const narrowed = session.scopes.filter((scope) => scope.startsWith(spec.scopePrefix));
      let response;
      try {
        response = await this.provider.token({
          grant_type: 'refresh_token',
          refresh_token: session.refreshToken,
          resource: spec.resource,
          // Without a service scope the token still identifies the user (openid is always granted).
          scope: (narrowed.length ? narrowed : ['openid']).join(' '),
        });
      } catch (error) {
        if (error instanceof TokenEndpointError && error.error === 'invalid_grant') {
          session.refreshToken = undefined;
          throw new SessionEndedError();
        }
        throw error;
      }
      if (response.refresh_token) session.refreshToken = response.refresh_token;
      const expiresAt = decodeExp(response.access_token) ?? Math.floor(this.now() / 1000) + response.expires_in;
      session.accessTokens.set(spec.resource, {
        token: response.access_token,
        expiresAt,
        scopes: (response.scope ?? '').split(' ').filter(Boolean),
      });
      return response.access_token;
    });
    // The chain continues whether this refresh worked or not.
    session.refreshChain = next.catch(() => undefined);
    return next;
  }

  /**
   * A token for the resource acting for a legal person the user is an authorised agent of: the
   * user's own token exchanged at identity (RFC 8693) for one with `sub` = the legal person and
   * `act` = the user, limited to `scope`. Cached per resource and legal person, like the others.
   */
  async actingFor(session: ConsoleSession, spec: ResourceSpec, legalPerson: string, scope: string): Promise<string> {
    const key = `${spec.resource}#${legalPerson}`;
    const cached = this.fresh(session, key);
    if (cached) return cached;
    const own = await this.forResource(session, spec);
    let response;
    try {
      response = await this.provider.token({
        grant_type: TOKEN_EXCHANGE,
        subject_token: own,
        subject_token_type: ACCESS_TOKEN_TYPE,
        requested_subject: legalPerson,
        resource: spec.resource,
        scope,
      });
    } catch (error) {
      if (error instanceof TokenEndpointError) throw new AgentRefusedError(error.error);
      throw error;
    }
    session.accessTokens.set(key, {
      token: response.access_token,
      expiresAt: decodeExp(response.access_token) ?? Math.floor(this.now() / 1000) + response.expires_in,
      scopes: (response.scope ?? '').split(' ').filter(Boolean),
    });
    return response.access_token;
  }

  private fresh(session: ConsoleSession, resource: string): string | undefined {
    const entry = session.accessTokens.get(resource);
    if (!entry) return undefined;
    return entry.expiresAt - EXPIRY_MARGIN_SECONDS > this.now() / 1000 ? entry.token : undefined;
  }
}
