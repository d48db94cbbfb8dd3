// What a verified access token says about the caller (RFC 9068 claims, mapped).
import type { Principal } from '@platform/contracts';

export type { Principal };
type Claims = Record<string, unknown>;

function stringClaim(payload: Claims, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' ? value : undefined;
}

export function principalFromClaims(payload: Claims): Principal {
  const act = payload.act;
  const actor =
    typeof act === 'object' && act !== null && 'sub' in act && typeof act.sub === 'string' ? act.sub : undefined;
  const principal: Principal = {
    subject: stringClaim(payload, 'sub') ?? '',
    scopes: (stringClaim(payload, 'scope') ?? '').split(' ').filter(Boolean),
  };
  const clientId = stringClaim(payload, 'client_id');
  const acr = stringClaim(payload, 'acr');
  const sessionId = stringClaim(payload, 'sid');
  const subjectCode = stringClaim(payload, 'subject_code');
  if (subjectCode) principal.subjectCode = subjectCode;
  if (clientId) principal.clientId = clientId;
  if (acr) principal.acr = acr;
  if (actor) principal.actor = actor;
  if (sessionId) principal.sessionId = sessionId;
  const tokenId = stringClaim(payload, 'jti');
  if (tokenId) principal.tokenId = tokenId;
  if (typeof payload.exp === 'number') principal.expiresAt = payload.exp;
  return principal;
}
