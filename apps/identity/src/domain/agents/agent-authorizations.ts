// Agents (经办人): a legal person authorises a natural person for chosen service items and a
// period; the agent confirms; either side revokes; a change of legal representative lapses it.
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { AccountRepository } from '../../repositories/accounts.ts';
import type { AgentAuthorizationWithParties, AgentRepository } from '../../repositories/agents.ts';
import type { AuditLog } from '../security/audit-log.ts';

export type { AgentAuthorizationWithParties };
export type AgentStatus = 'pending' | 'active' | 'revoked' | 'lapsed' | 'expired';

const MAX_VALIDITY_DAYS = 366 * 3;

export class AgentAuthorizations {
  constructor(
    private readonly deps: {
      agents: AgentRepository;
      accounts: AccountRepository;
      audit: AuditLog;
      clock: Clock;
      revokeActingGrants: (principalId: string, agentId: string, reason: string) => Promise<void>;
    },
  ) {}

  /** The status as seen now: an active authorisation past its end is expired. */
  statusOf(authorization: { status: string; validUntil: Date }): AgentStatus {
    if (authorization.status === 'active' && authorization.validUntil <= this.deps.clock.now()) return 'expired';
    return authorization.status as AgentStatus;
  }

  async grant(
    principalId: string,
    input: { agentSubjectId: string; scopes: string[]; validFrom?: Date; validUntil: Date },
  ): Promise<AgentAuthorizationWithParties> {
    const principal = await this.deps.accounts.findById(principalId);
    if (!principal || principal.kind !== 'legal_person' || principal.status !== 'active')
      throw new AppError('AGENT_AUTHORIZATION_INVALID', 'Only an active legal person can authorise agents');
    if (!principal.legalRepresentativeId)
      throw new AppError('AGENT_AUTHORIZATION_INVALID', 'The legal person has no recorded legal representative');
    const agent = await this.deps.accounts.findBySubjectId(input.agentSubjectId);
    if (!agent || agent.kind !== 'natural_person')
      throw new AppError('AGENT_AUTHORIZATION_INVALID', 'The agent must be a registered natural person');
    const now = this.deps.clock.now();
    const validFrom = input.validFrom ?? now;
    if (input.validUntil <= validFrom || input.validUntil <= now)
      throw new AppError('AGENT_AUTHORIZATION_INVALID', 'validUntil must be after validFrom and in the future');
    if (input.validUntil.getTime() - validFrom.getTime() > MAX_VALIDITY_DAYS * 24 * 3600 * 1000)
      throw new AppError('AGENT_AUTHORIZATION_INVALID', 'An authorisation lasts at most three years');
    const created = await this.deps.agents.create({
      principalId,
      agentId: agent.id,
      scopes: [...new Set(input.scopes)],
      validFrom,
      validUntil: input.validUntil,
      representativeId: principal.legalRepresentativeId,
      status: 'pending',
      createdAt: now,
    });
    await this.deps.audit.record({
      type: 'agent.granted',
      accountId: principalId,
      detail: { authorization: created.id, agent: agent.id, scopes: created.scopes },
    });
    return created;
  }

  async confirm(agentId: string, id: string): Promise<AgentAuthorizationWithParties> {
    const existing = await this.deps.agents.find(id);
    if (!existing || existing.agentId !== agentId) throw new AppError('NOT_FOUND', 'No such authorisation for you');
    if (existing.validUntil <= this.deps.clock.now())
      throw new AppError('AGENT_AUTHORIZATION_INVALID', 'The authorisation has expired');
    const confirmed = await this.deps.agents.transition(id, ['pending'], {
      status: 'active',
      confirmedAt: this.deps.clock.now(),
    });
    if (!confirmed) throw new AppError('AGENT_AUTHORIZATION_INVALID', 'Only a pending authorisation can be confirmed');
    await this.deps.audit.record({ type: 'agent.confirmed', accountId: agentId, detail: { authorization: id } });
    return confirmed;
  }

  async revoke(callerId: string, id: string): Promise<AgentAuthorizationWithParties> {
    const existing = await this.deps.agents.find(id);
    if (!existing || (existing.agentId !== callerId && existing.principalId !== callerId))
      throw new AppError('NOT_FOUND', 'No such authorisation for you');
    const revoked = await this.deps.agents.transition(id, ['pending', 'active'], {
      status: 'revoked',
      endedAt: this.deps.clock.now(),
      endedBy: callerId,
    });
    if (!revoked) throw new AppError('AGENT_AUTHORIZATION_INVALID', 'The authorisation has already ended');
    // Tokens the agent holds for this legal person stop working now.
    await this.deps.revokeActingGrants(existing.principalId, existing.agentId, 'agent_revoked');
    await this.deps.audit.record({ type: 'agent.revoked', accountId: callerId, detail: { authorization: id } });
    return revoked;
  }

  /** A new legal representative: every authorisation granted under the previous one lapses. */
  async representativeChanged(principalId: string, representativeId: string): Promise<number> {
    const lapsed = await this.deps.agents.lapseForPrincipal(principalId, representativeId, this.deps.clock.now());
    for (const authorization of lapsed)
      await this.deps.revokeActingGrants(principalId, authorization.agentId, 'agent_lapsed');
    if (lapsed.length)
      await this.deps.audit.record({ type: 'agent.lapsed', accountId: principalId, detail: { count: lapsed.length } });
    return lapsed.length;
  }

  listFor(accountId: string): Promise<AgentAuthorizationWithParties[]> {
    return this.deps.agents.listForAccount(accountId);
  }

  /** The scopes the agent may use for the legal person right now (empty: none). */
  async activeScopes(principalId: string, agentId: string): Promise<string[]> {
    const principal = await this.deps.accounts.findById(principalId);
    if (!principal || principal.status !== 'active') return [];
    const now = this.deps.clock.now();
    const scopes = new Set<string>();
    for (const authorization of await this.deps.agents.findActive(principalId, agentId))
      if (
        authorization.validFrom <= now &&
        authorization.validUntil > now &&
        authorization.representativeId === principal.legalRepresentativeId
      )
        for (const scope of authorization.scopes) scopes.add(scope);
    return [...scopes];
  }
}
