// Signing keys shared by every replica; rotation runs under an advisory lock so that two replicas
// never create two "next" keys at once.
import type { Database, Transaction } from '../db.ts';
import type { Prisma, SigningKey } from '../generated/prisma/client.ts';

export type { SigningKey };

const KEY_ROTATION_LOCK_ID = 73_420_002;

export class SigningKeyRepository {
  constructor(private readonly db: Database) {}

  all(): Promise<SigningKey[]> {
    return this.db.signingKey.findMany({ orderBy: { activatesAt: 'asc' } });
  }

  async underLock<T>(work: (tx: SigningKeyTransaction) => Promise<T>): Promise<T> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_ROTATION_LOCK_ID})`;
      return work(new SigningKeyTransaction(tx));
    });
  }
}

export class SigningKeyTransaction {
  constructor(private readonly tx: Transaction) {}

  all(): Promise<SigningKey[]> {
    return this.tx.signingKey.findMany({ orderBy: { activatesAt: 'asc' } });
  }

  create(data: Prisma.SigningKeyCreateInput): Promise<SigningKey> {
    return this.tx.signingKey.create({ data });
  }

  async setRemoveAt(kid: string, removeAt: Date): Promise<void> {
    await this.tx.signingKey.update({ where: { kid }, data: { removeAt } });
  }

  async deleteRemovedBefore(instant: Date): Promise<void> {
    await this.tx.signingKey.deleteMany({ where: { removeAt: { lt: instant } } });
  }
}
