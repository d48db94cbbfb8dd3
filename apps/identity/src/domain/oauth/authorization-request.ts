// Validates an authorization request (RFC 6749 §4.1, OIDC Core §3.1.2, RFC 7636, RFC 8707).
// Until client_id and redirect_uri are proven, errors are shown to the user, never redirected
// (an open redirector otherwise); after that they go back to the client with `state` and `iss`.
import type { Client, ClientRegistry } from '../clients/client-registry.ts';
import { OAuthError, type OAuthErrorCode } from './oauth-error.ts';
import { isResourceIndicator, parseScope, resolveResource } from './scopes.ts';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope: string[];
  state?: string | undefined;
  nonce?: string | undefined;
  codeChallenge: string;
  resource: string;
  prompt: string[];
  maxAge?: number | undefined;
  /** The lowest trust level the client accepts (from acr_values), or undefined. */
  minAcr?: number | undefined;
  loginHint?: string | undefined;
}

/** An error the user sees on our page: the redirect URI could not be trusted. */
export class UntrustedRequestError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'UntrustedRequestError';
  }
}

/** An error for the client, delivered to its (verified) redirect URI. */
export class RedirectableError extends OAuthError {
  constructor(
    error: OAuthErrorCode,
    description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(error, description);
  }
}

const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

export async function validateAuthorizationRequest(
  params: Record<string, string>,
  clients: ClientRegistry,
): Promise<{ request: AuthorizationRequest; client: Client }> {
  const clientId = params.client_id;
  if (!clientId || clientId.length > 100) throw new UntrustedRequestError('缺少或无效的 client_id');
  const client = await clients.find(clientId);
  if (!client || !client.enabled) throw new UntrustedRequestError('未知的应用（client_id）');
  const redirectUri = params.redirect_uri;
  // Exact string match against the registration (RFC 9700 §4.1.3): no prefix, no normalisation.
  if (!redirectUri || !client.redirectUris.includes(redirectUri))
    throw new UntrustedRequestError('回调地址（redirect_uri）与注册信息不符');

  const state = params.state;
  const fail = (error: OAuthErrorCode, description: string): never => {
    throw new RedirectableError(error, description, redirectUri, state && state.length <= 2048 ? state : undefined);
  };

  if (state !== undefined && state.length > 2048) fail('invalid_request', 'state is too long');
  if (params.request !== undefined) fail('request_not_supported', 'request objects are not supported');
  if (params.request_uri !== undefined) fail('request_uri_not_supported', 'request_uri is not supported');
  if (params.response_type !== 'code') fail('unsupported_response_type', 'only response_type=code is supported');
  if (params.response_mode !== undefined && params.response_mode !== 'query')
    fail('invalid_request', 'only response_mode=query is supported');
  if (!client.grantTypes.includes('authorization_code'))
    fail('unauthorized_client', 'the client may not use the authorization code grant');

  // PKCE S256 only: `plain` (or a missing method, which means plain) is refused.
  if (!params.code_challenge) fail('invalid_request', 'code_challenge is required (PKCE)');
  if (params.code_challenge_method !== 'S256') fail('invalid_request', 'code_challenge_method must be S256');
  if (!CODE_CHALLENGE.test(params.code_challenge ?? '')) fail('invalid_request', 'code_challenge is malformed');

  const scope = parseScope(params.scope);
  if (!scope) return fail('invalid_scope', 'scope is malformed');
  const notAllowed = scope.filter((token) => !client.scopes.includes(token));
  if (notAllowed.length) fail('invalid_scope', `scope not allowed for this client: ${notAllowed.join(' ')}`);

  if (params.resource !== undefined && !isResourceIndicator(params.resource))
    fail('invalid_target', 'resource must be an absolute URI');
  const resource = resolveResource(client, params.resource);
  if (!resource) return fail('invalid_target', 'resource not allowed for this client');

  const prompt = (params.prompt ?? '').split(' ').filter(Boolean);
  if (!prompt.every((value) => PROMPTS.has(value))) fail('invalid_request', 'unknown prompt value');
  if (prompt.includes('none') && prompt.length > 1) fail('invalid_request', 'prompt=none cannot be combined');

  let maxAge: number | undefined;
  if (params.max_age !== undefined) {
    if (!/^\d{1,9}$/.test(params.max_age)) fail('invalid_request', 'max_age must be a non-negative integer');
    maxAge = Number(params.max_age);
  }

  const levels = (params.acr_values ?? '')
    .split(' ')
    .filter((value) => /^[1-4]$/.test(value))
    .map(Number);
  const nonce = params.nonce;
  if (nonce !== undefined && nonce.length > 512) fail('invalid_request', 'nonce is too long');

  return {
    client,
    request: {
      clientId,
      redirectUri,
      scope,
      state,
      nonce,
      codeChallenge: params.code_challenge ?? '',
      resource,
      prompt,
      maxAge,
      minAcr: levels.length ? Math.min(...levels) : undefined,
      loginHint: params.login_hint?.slice(0, 64),
    },
  };
}
