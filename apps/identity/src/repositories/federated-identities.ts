// Links between upstream subjects (issuer + sub) and local accounts.
import type { Database } from '../db.ts';
import type { FederatedIdentity } from '../generated/prisma/client.ts';

export class FederatedIdentityRepository {
  constructor(private readonly db: Database) {}

  find(provider: string, upstreamSubject: string): Promise<FederatedIdentity | null> {
    return this.db.federatedIdentity.findUnique({ where: { provider_upstreamSubject: { provider, upstreamSubject } } });
  }

  async link(provider: string, upstreamSubject: string, accountId: string, at: Date): Promise<void> {
    await this.db.federatedIdentity.upsert({
      where: { provider_upstreamSubject: { provider, upstreamSubject } },
      create: { provider, upstreamSubject, accountId, linkedAt: at },
      update: {},
    });
  }
}
