// Agent authorisations (a legal person lets a natural person act for it).
import type { Database } from '../db.ts';
import type { Account, AgentAuthorization, Prisma } from '../generated/prisma/client.ts';

export type AgentAuthorizationWithParties = AgentAuthorization & { principal: Account; agent: Account };
export type { AgentAuthorization };

const parties = { principal: true, agent: true } as const;

export class AgentRepository {
  constructor(private readonly db: Database) {}

  create(data: Prisma.AgentAuthorizationUncheckedCreateInput): Promise<AgentAuthorizationWithParties> {
    return this.db.agentAuthorization.create({ data, include: parties });
  }

  find(id: string): Promise<AgentAuthorizationWithParties | null> {
    return this.db.agentAuthorization.findUnique({ where: { id }, include: parties });
  }

  /** Moves from one of `from` statuses to `to`; null when the authorisation was not in such a status. */
  async transition(
    id: string,
    from: string[],
    data: Prisma.AgentAuthorizationUncheckedUpdateInput,
  ): Promise<AgentAuthorizationWithParties | null> {
    const updated = await this.db.agentAuthorization.updateMany({ where: { id, status: { in: from } }, data });
    return updated.count === 1 ? this.find(id) : null;
  }

  async lapseForPrincipal(
    principalId: string,
    currentRepresentativeId: string,
    at: Date,
  ): Promise<AgentAuthorization[]> {
    const affected = await this.db.agentAuthorization.findMany({
      where: { principalId, status: { in: ['pending', 'active'] }, representativeId: { not: currentRepresentativeId } },
    });
    await this.db.agentAuthorization.updateMany({
      where: { id: { in: affected.map((row) => row.id) } },
      data: { status: 'lapsed', endedAt: at },
    });
    return affected;
  }

  listForAccount(accountId: string): Promise<AgentAuthorizationWithParties[]> {
    return this.db.agentAuthorization.findMany({
      where: { OR: [{ principalId: accountId }, { agentId: accountId }] },
      include: parties,
      orderBy: { createdAt: 'desc' },
    });
  }

  findActive(principalId: string, agentId: string): Promise<AgentAuthorizationWithParties[]> {
    return this.db.agentAuthorization.findMany({ where: { principalId, agentId, status: 'active' }, include: parties });
  }
}
