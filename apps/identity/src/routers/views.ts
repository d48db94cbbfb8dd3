// Database rows → the contract's views (UTC ISO strings on the wire).
import type { Account } from '../repositories/accounts.ts';
import type { Client } from '../repositories/clients.ts';
import type { AgentAuthorizationWithParties } from '../repositories/agents.ts';
import { clientType, settingsOf } from '../domain/clients/client-registry.ts';
import type { AgentStatus } from '../domain/agents/agent-authorizations.ts';

export function accountView(account: Account) {
  return {
    id: account.id,
    kind: account.kind,
    subjectId: account.subjectId,
    name: account.name,
    phone: account.phone,
    email: account.email,
    status: account.status,
    trustLevel: account.trustLevel,
    totpEnabled: account.totpConfirmedAt !== null,
    roles: account.roles,
    legalRepresentativeId: account.legalRepresentativeId,
    createdAt: account.createdAt.toISOString(),
  };
}

export function clientView(client: Client) {
  return {
    ...settingsOf(client),
    id: client.id,
    type: clientType(client),
    enabled: client.enabled,
    createdAt: client.createdAt.toISOString(),
    updatedAt: client.updatedAt.toISOString(),
  };
}

export function agentView(authorization: AgentAuthorizationWithParties, status: AgentStatus) {
  const party = (account: Account) => ({ id: account.id, subjectId: account.subjectId, name: account.name });
  return {
    id: authorization.id,
    principal: party(authorization.principal),
    agent: party(authorization.agent),
    scopes: authorization.scopes,
    validFrom: authorization.validFrom.toISOString(),
    validUntil: authorization.validUntil.toISOString(),
    status,
    createdAt: authorization.createdAt.toISOString(),
    confirmedAt: authorization.confirmedAt?.toISOString() ?? null,
    endedAt: authorization.endedAt?.toISOString() ?? null,
  };
}
