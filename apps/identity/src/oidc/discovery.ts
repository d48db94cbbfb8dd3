// OpenID Provider metadata (OIDC Discovery 1.0, RFC 8414) and the JWKS.
import type { Request, Response } from 'express';
import { IDENTITY_RESOURCE, OIDC_SCOPES } from '../domain/oauth/scopes.ts';
import type { OidcContext } from './context.ts';

export function discoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oidc/authorize`,
    token_endpoint: `${issuer}/oidc/token`,
    userinfo_endpoint: `${issuer}/oidc/userinfo`,
    jwks_uri: `${issuer}/oidc/jwks`,
    introspection_endpoint: `${issuer}/oidc/introspect`,
    revocation_endpoint: `${issuer}/oidc/revoke`,
    end_session_endpoint: `${issuer}/oidc/logout`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:token-exchange',
    ],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [...OIDC_SCOPES],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'amr',
      'sid',
      'nonce',
      'name',
      'subject_type',
      'id_number',
      'trust_level',
      'phone_number',
      'phone_number_verified',
      'email',
    ],
    acr_values_supported: ['1', '2', '3', '4'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    access_token_signing_alg_values_supported: ['ES256'],
    resource_indicators_supported: true,
    identity_resource: IDENTITY_RESOURCE,
  };
}

export function discoveryHandler(context: OidcContext) {
  const document = discoveryDocument(context.issuer);
  return (_req: Request, res: Response) => {
    res.set('cache-control', 'public, max-age=300').json(document);
  };
}

export function jwksHandler(context: OidcContext) {
  return async (_req: Request, res: Response) => {
    // Short cache: verifiers must see a pre-published key well within the overlap window.
    res
      .set('cache-control', 'public, max-age=300')
      .type('application/jwk-set+json')
      .send(JSON.stringify(await context.keys.jwks()));
  };
}
