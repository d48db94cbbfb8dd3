// Client authentication at the token, introspection and revocation endpoints:
// client_secret_basic, client_secret_post, or none (public clients, by client_id alone).
import type { Request } from 'express';
import type { Client } from '../domain/clients/client-registry.ts';
import { OAuthError } from '../domain/oauth/oauth-error.ts';
import { RULES } from '../domain/security/rate-limiter.ts';
import type { OidcContext } from './context.ts';

export interface PresentedCredentials {
  clientId: string;
  secret: string | undefined;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

export function presentedCredentials(req: Request, params: Record<string, string>): PresentedCredentials {
  const header = req.get('authorization');
  if (header?.toLowerCase().startsWith('basic ')) {
    if (params.client_secret !== undefined)
      throw new OAuthError('invalid_request', 'use one client authentication method');
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials');
    try {
      // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
      const clientId = decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, ' '));
      const secret = decodeURIComponent(decoded.slice(separator + 1).replace(/\+/g, ' '));
      if (params.client_id !== undefined && params.client_id !== clientId)
        throw new OAuthError('invalid_request', 'client_id differs from the authenticated client');
      return { clientId, secret, method: 'client_secret_basic' };
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      throw new OAuthError('invalid_client', 'malformed Basic credentials');
    }
  }
  if (!params.client_id) throw new OAuthError('invalid_client', 'client authentication is required');
  return params.client_secret !== undefined
    ? { clientId: params.client_id, secret: params.client_secret, method: 'client_secret_post' }
    : { clientId: params.client_id, secret: undefined, method: 'none' };
}

/**
 * The authenticated client, or invalid_client (401). Secrets are 256-bit random values, so there is
 * nothing to guess and the happy path costs no extra query; failures are counted per client id so
 * that the audit log notes an attack without being flooded by it.
 */
export async function authenticateClient(context: OidcContext, credentials: PresentedCredentials): Promise<Client> {
  if (credentials.clientId.length > 100) throw new OAuthError('invalid_client', 'client authentication failed');
  const client = await context.clients.authenticate(credentials.clientId, credentials.secret);
  if (!client) {
    const { count } = await context.limiter.consume(RULES.clientAuthFailures, credentials.clientId);
    if (count === 1 || count === RULES.clientAuthFailures.limit)
      await context.audit.record({
        type: 'client.auth_failed',
        clientId: credentials.clientId,
        detail: { failuresInWindow: count },
      });
    throw new OAuthError('invalid_client', 'client authentication failed');
  }
  return client;
}
