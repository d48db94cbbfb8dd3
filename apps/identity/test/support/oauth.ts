// Raw OAuth requests for tests that need to see (and bend) every parameter.
import { createHash, randomBytes } from 'node:crypto';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(issuer: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${issuer}/oidc/authorize`);
  for (const [key, value] of Object.entries({ response_type: 'code', scope: 'openid', ...params }))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export async function tokenRequest(
  issuer: string,
  params: Record<string, string>,
  client?: { id: string; secret: string | null },
  path = '/oidc/token',
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = { ...params };
  if (client?.secret)
    headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  else if (client) form.client_id = client.id;
  const response = await fetch(`${issuer}${path}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

export const codeOf = (location: string | undefined): string => {
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`no code in ${location}`);
  return code;
};
