// Pending authorization requests while the user logs in, consents or steps up.
import type { Database } from '../db.ts';
import type { Interaction, Prisma } from '../generated/prisma/client.ts';

export type { Interaction };

export class InteractionRepository {
  constructor(private readonly db: Database) {}

  create(data: Prisma.InteractionUncheckedCreateInput): Promise<Interaction> {
    return this.db.interaction.create({ data });
  }

  find(id: string): Promise<Interaction | null> {
    return this.db.interaction.findUnique({ where: { id } });
  }

  async setLoginSession(id: string, sessionId: string): Promise<void> {
    await this.db.interaction.update({ where: { id }, data: { loginSessionId: sessionId } });
  }

  async setParams(id: string, params: Prisma.InputJsonValue): Promise<void> {
    await this.db.interaction.update({ where: { id }, data: { params } });
  }

  async delete(id: string): Promise<void> {
    await this.db.interaction.deleteMany({ where: { id } });
  }
}
