// Stored Bitstring Status Lists and their cached signed copies.
import type { Database } from '../db.ts';
import type { StatusList } from '../generated/prisma/client.ts';

export type StatusListRow = StatusList;

export class StatusListRepository {
  constructor(private readonly db: Database) {}

  get(issuerCode: string, purpose: string, listNumber: number): Promise<StatusListRow | null> {
    return this.db.statusList.findUnique({
      where: { issuerCode_purpose_listNumber: { issuerCode, purpose, listNumber } },
    });
  }

  async saveSigned(row: StatusListRow, jwt: string, revision: number, at: Date): Promise<void> {
    // Only moves forward: a replica that signed an older revision must not overwrite a newer copy.
    await this.db.statusList.updateMany({
      where: {
        issuerCode: row.issuerCode,
        purpose: row.purpose,
        listNumber: row.listNumber,
        OR: [{ signedRevision: null }, { signedRevision: { lte: revision } }],
      },
      data: { signedJwt: jwt, signedRevision: revision, signedAt: at },
    });
  }

  lists(issuerCode: string): Promise<Pick<StatusListRow, 'purpose' | 'listNumber'>[]> {
    return this.db.statusList.findMany({ where: { issuerCode }, select: { purpose: true, listNumber: true } });
  }
}
