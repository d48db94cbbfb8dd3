// Access tokens for service-to-service calls (OAuth client_credentials). The token is cached and
// renewed shortly before it expires; concurrent callers share one request to identity.
import { AppError } from '@platform/contracts';

export interface ClientCredentialsOptions {
  /** Identity's token endpoint, e.g. http://localhost:4001/oidc/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Resource (RFC 8707) the token is for, e.g. urn:platform:seal */
  resource: string;
  scope?: string;
  /** Renew this many seconds before expiry. */
  renewBeforeSeconds?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

export interface TokenSource {
  getToken(): Promise<string>;
  /** Drop the cached token (e.g. after a 401), so the next call fetches a new one. */
  invalidate(): void;
}

interface TokenResponse {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

export function clientCredentialsTokenSource(options: ClientCredentialsOptions): TokenSource {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const renewBeforeMs = (options.renewBeforeSeconds ?? 60) * 1000;
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', resource: options.resource });
    if (options.scope) body.set('scope', options.scope);
    const basic = Buffer.from(
      `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
    ).toString('base64');
    let response: Response;
    try {
      response = await fetchFn(options.tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new AppError('AUTH_UNAVAILABLE', 'The identity service could not be reached for a token', { cause: error });
    }
    const json = (await response.json().catch(() => ({}))) as TokenResponse;
    if (!response.ok || typeof json.access_token !== 'string' || typeof json.expires_in !== 'number') {
      const reason =
        typeof json.error === 'string'
          ? `${json.error}${typeof json.error_description === 'string' ? `: ${json.error_description}` : ''}`
          : `HTTP ${response.status}`;
      throw new AppError(
        response.status >= 500 ? 'AUTH_UNAVAILABLE' : 'UNAUTHENTICATED',
        `The identity service refused a client_credentials token (${reason})`,
      );
    }
    const lifetimeMs = json.expires_in * 1000;
    cached = { token: json.access_token, renewAt: now() + Math.max(lifetimeMs - renewBeforeMs, lifetimeMs / 2) };
    return json.access_token;
  }

  return {
    async getToken() {
      if (cached && now() < cached.renewAt) return cached.token;
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
