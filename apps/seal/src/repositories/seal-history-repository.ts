// Seals with their lifecycle events, looked up by their certificate's serial (for verification).
import type { Database } from '../db.ts';
import type { SealHistory, SealLookup } from '../domain/verify/seal-status.ts';

export class SealHistoryRepository implements SealLookup {
  constructor(private readonly db: Database) {}

  async bySerial(serialHex: string): Promise<SealHistory | undefined> {
    const certificate = await this.db.certificate.findUnique({
      where: { serial: serialHex },
      select: { seal: { include: { events: { select: { toStatus: true, at: true }, orderBy: { at: 'asc' } } } } },
    });
    const seal = certificate?.seal;
    if (!seal) return undefined;
    return {
      id: seal.id,
      name: seal.name,
      orgName: seal.orgName,
      orgCode: seal.orgCode,
      kind: seal.kind,
      status: seal.status,
      validFrom: seal.validFrom,
      validUntil: seal.validUntil,
      events: seal.events,
    };
  }
}
