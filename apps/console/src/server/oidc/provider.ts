// Identity as this console sees it: discovery, signing keys, and the token endpoint with the
// console's client credentials (client_secret_basic). Token checks live in tokens.ts.
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

/** A token endpoint refusal (OAuth error code), e.g. invalid_grant when the SSO session ended. */
export class TokenEndpointError extends Error {
  constructor(
    readonly error: string,
    readonly status: number,
  ) {
    super(`token endpoint refused: ${error}`);
    this.name = 'TokenEndpointError';
  }
}

export interface ProviderOptions {
  /** The issuer exactly as in identity's tokens (the browser's view of identity). */
  issuer: string;
  /** Where this server reaches identity; differs from the issuer behind a proxy or in containers. */
  internalUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
}

/** Identity's endpoints, resolved once from discovery; back-channel calls go to the internal URL. */
export class OidcProvider {
  private metadata: Promise<ProviderMetadata> | undefined;
  private keys: JWTVerifyGetKey | undefined;

  constructor(private readonly options: ProviderOptions) {}

  get clientId(): string {
    return this.options.clientId;
  }

  get issuer(): string {
    return this.options.issuer;
  }

  /** Discovery, checked: its issuer must be the configured one (a mix-up defence). */
  discover(): Promise<ProviderMetadata> {
    this.metadata ??= this.load().catch((error: unknown) => {
      this.metadata = undefined;
      throw error;
    });
    return this.metadata;
  }

  private async load(): Promise<ProviderMetadata> {
    const response = await this.fetch(`${this.options.internalUrl}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`identity discovery answered HTTP ${response.status}`);
    const document = (await response.json()) as ProviderMetadata;
    if (document.issuer !== this.options.issuer)
      throw new Error(`identity's issuer is ${document.issuer}, configured ${this.options.issuer}`);
    return document;
  }

  /** The JWKS, fetched from the internal URL (cached and refreshed on unknown kid by jose). */
  async keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const metadata = await this.discover();
      this.keys = createRemoteJWKSet(new URL(this.internal(metadata.jwks_uri)), { timeoutDuration: 5_000 });
    }
    return this.keys;
  }

  /** Token endpoint call authenticated with the client secret (RFC 6749 §2.3.1). */
  async token(params: Record<string, string>): Promise<TokenResponse> {
    const metadata = await this.discover();
    const basic = Buffer.from(
      `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`,
    ).toString('base64');
    const response = await this.fetch(this.internal(metadata.token_endpoint), {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== 'string')
      throw new TokenEndpointError(typeof body.error === 'string' ? body.error : 'invalid_response', response.status);
    return body as unknown as TokenResponse;
  }

  /** The user's claims (name, ID number, trust level) for an access token with identity as audience. */
  async userinfo(accessToken: string): Promise<Record<string, unknown>> {
    const metadata = await this.discover();
    if (!metadata.userinfo_endpoint) return {};
    const response = await this.fetch(this.internal(metadata.userinfo_endpoint), {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`userinfo answered HTTP ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  }

  /** Revokes a refresh token at logout (best effort: identity also ends the grant with the session). */
  async revoke(token: string): Promise<void> {
    const metadata = await this.discover();
    if (!metadata.revocation_endpoint) return;
    const basic = Buffer.from(
      `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`,
    ).toString('base64');
    await this.fetch(this.internal(metadata.revocation_endpoint), {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }).toString(),
      signal: AbortSignal.timeout(5_000),
    }).then((r) => r.body?.cancel());
  }

  /** An endpoint URL under the issuer, rewritten to the internal URL for server-side calls. */
  private internal(url: string): string {
    return url.startsWith(this.options.issuer) ? this.options.internalUrl + url.slice(this.options.issuer.length) : url;
  }

  private fetch(url: string, init: RequestInit): Promise<Response> {
    return (this.options.fetch ?? fetch)(url, init);
  }
}
