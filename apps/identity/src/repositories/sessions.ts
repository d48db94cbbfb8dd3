// SSO sessions and the clients each session logged into.
import type { Database } from '../db.ts';
import type { Prisma, Session } from '../generated/prisma/client.ts';

export type { Session };
export type SessionWithClients = Session & { clients: Array<{ clientId: string }> };

export class SessionRepository {
  constructor(private readonly db: Database) {}

  create(data: Prisma.SessionUncheckedCreateInput): Promise<Session> {
    return this.db.session.create({ data });
  }

  findBySecretHash(secretHash: string): Promise<Session | null> {
    return this.db.session.findUnique({ where: { secretHash } });
  }

  findById(id: string): Promise<Session | null> {
    return this.db.session.findUnique({ where: { id } });
  }

  findBySid(sid: string): Promise<SessionWithClients | null> {
    return this.db.session.findUnique({ where: { sid }, include: { clients: { select: { clientId: true } } } });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.session.update({ where: { id }, data: { lastSeenAt: at } });
  }

  async setAcr(id: string, acr: number, amr: string[]): Promise<void> {
    await this.db.session.update({ where: { id }, data: { acr, amr } });
  }

  /** Ends the session if still open; returns it (with its clients) only when this call ended it. */
  async end(id: string, at: Date, reason: string): Promise<SessionWithClients | null> {
    const updated = await this.db.session.updateMany({
      where: { id, endedAt: null },
      data: { endedAt: at, endReason: reason },
    });
    if (updated.count !== 1) return null;
    return this.db.session.findUnique({ where: { id }, include: { clients: { select: { clientId: true } } } });
  }

  /** Open sessions past their idle or absolute end, oldest activity first. */
  findExpired(idleCutoff: Date, now: Date, limit: number): Promise<Session[]> {
    return this.db.session.findMany({
      where: { endedAt: null, OR: [{ lastSeenAt: { lte: idleCutoff } }, { expiresAt: { lte: now } }] },
      orderBy: { lastSeenAt: 'asc' },
      take: limit,
    });
  }

  openForAccount(accountId: string, now: Date): Promise<SessionWithClients[]> {
    return this.db.session.findMany({
      where: { accountId, endedAt: null, expiresAt: { gt: now } },
      include: { clients: { select: { clientId: true } } },
      orderBy: { authTime: 'desc' },
    });
  }

  transferTo(fromId: string, toId: string): Promise<void> {
    return transferSession(this.db, fromId, toId);
  }

  async removeClient(sessionId: string, clientId: string): Promise<void> {
    await this.db.sessionClient.deleteMany({ where: { sessionId, clientId } });
  }

  async addClient(sessionId: string, clientId: string, at: Date): Promise<void> {
    await this.db.sessionClient.upsert({
      where: { sessionId_clientId: { sessionId, clientId } },
      create: { sessionId, clientId, firstAt: at },
      update: {},
    });
  }
}

/** Moves a session's clients and grants to its successor (same account logging in again). */
export async function transferSession(db: Database, fromId: string, toId: string): Promise<void> {
  await db.$transaction([
    db.$executeRaw`INSERT INTO session_client (session_id, client_id, first_at)
                   SELECT ${toId}::uuid, client_id, first_at FROM session_client WHERE session_id = ${fromId}::uuid
                   ON CONFLICT DO NOTHING`,
    db.sessionClient.deleteMany({ where: { sessionId: fromId } }),
    db.grant.updateMany({ where: { sessionId: fromId }, data: { sessionId: toId } }),
  ]);
}
