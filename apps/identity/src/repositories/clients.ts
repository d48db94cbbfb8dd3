// OAuth clients.
import type { Database } from '../db.ts';
import type { Client, Prisma } from '../generated/prisma/client.ts';

export type { Client };

export class ClientRepository {
  constructor(private readonly db: Database) {}

  find(id: string): Promise<Client | null> {
    return this.db.client.findUnique({ where: { id } });
  }

  findMany(ids: string[]): Promise<Client[]> {
    return this.db.client.findMany({ where: { id: { in: ids } } });
  }

  list(): Promise<Client[]> {
    return this.db.client.findMany({ orderBy: { id: 'asc' } });
  }

  create(data: Prisma.ClientCreateInput): Promise<Client> {
    return this.db.client.create({ data });
  }

  update(id: string, data: Prisma.ClientUpdateInput): Promise<Client> {
    return this.db.client.update({ where: { id }, data });
  }
}
