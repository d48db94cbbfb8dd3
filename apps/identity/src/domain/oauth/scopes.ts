// Scopes, the claims they release, and the resource (audience) rules.
export const IDENTITY_RESOURCE = 'urn:platform:identity';
export const ADMIN_SCOPE = 'identity:admin';
export const OIDC_SCOPES = ['openid', 'profile', 'phone', 'email', 'offline_access'] as const;

export const CLAIMS_BY_SCOPE: Record<string, string[]> = {
  profile: ['name', 'subject_type', 'id_number', 'trust_level'],
  phone: ['phone_number', 'phone_number_verified'],
  email: ['email'],
};

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/;

/** Space-separated scope string → unique tokens; undefined when any token is malformed. */
export function parseScope(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return [];
  const tokens = raw.split(' ').filter(Boolean);
  if (tokens.length > 50 || !tokens.every((token) => SCOPE_TOKEN.test(token))) return undefined;
  return [...new Set(tokens)];
}

export const formatScope = (scopes: string[]): string => scopes.join(' ');

/** Resource indicators (RFC 8707) are absolute URIs without a fragment. */
export function isResourceIndicator(value: string): boolean {
  if (value.length > 300) return false;
  try {
    const url = new URL(value);
    return !url.hash && url.protocol.length > 1;
  } catch {
    return false;
  }
}

/** The audience for a client: the requested resource if allowed, else its default, else identity itself. */
export function resolveResource(
  client: { resources: string[]; defaultResource: string | null },
  requested: string | undefined,
): string | undefined {
  if (requested === undefined) return client.defaultResource ?? IDENTITY_RESOURCE;
  if (requested === IDENTITY_RESOURCE || client.resources.includes(requested)) return requested;
  return undefined;
}
