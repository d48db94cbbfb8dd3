// License files (the sealing outbox). Due files are claimed with a lease under FOR UPDATE SKIP
// LOCKED, so any number of replicas share the work and a crashed replica's files are retaken.
import type { Database } from '../db.ts';
import type { LicenseFile, Prisma } from '../generated/prisma/client.ts';

export type LicenseFileRow = LicenseFile;

export class LicenseFileRepository {
  constructor(private readonly db: Database) {}

  byLicenseId(licenseId: string): Promise<LicenseFileRow | null> {
    return this.db.licenseFile.findUnique({ where: { licenseId } });
  }

  async claimDue(limit: number, now: Date, leaseUntil: Date): Promise<string[]> {
    const rows = await this.db.$queryRaw<Array<{ licenseId: string }>>`
      UPDATE license_file SET claimed_until = ${leaseUntil}
      WHERE license_id IN (
        SELECT license_id FROM license_file
        WHERE state = 'pending_seal' AND next_attempt_at <= ${now}
          AND (claimed_until IS NULL OR claimed_until < ${now})
        ORDER BY next_attempt_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING license_id AS "licenseId"`;
    return rows.map((row) => row.licenseId);
  }

  /** Keeps the first rendering (a concurrent renderer's loses) and returns the one kept. */
  async keepRendering(licenseId: string, pdf: Uint8Array, anchor: Prisma.InputJsonObject): Promise<LicenseFileRow> {
    await this.db.licenseFile.updateMany({
      where: { licenseId, renderedPdf: null },
      data: { renderedPdf: Buffer.from(pdf), sealAnchor: anchor },
    });
    return this.db.licenseFile.findUniqueOrThrow({ where: { licenseId } });
  }

  async markSealed(
    licenseId: string,
    sealed: { pdf: Uint8Array; sha256: string; sealId: string; signature: Prisma.InputJsonObject; at: Date },
  ): Promise<void> {
    await this.db.licenseFile.updateMany({
      where: { licenseId, state: 'pending_seal' },
      data: {
        state: 'sealed',
        sealedPdf: Buffer.from(sealed.pdf),
        sha256: sealed.sha256,
        sealId: sealed.sealId,
        signature: sealed.signature,
        sealedAt: sealed.at,
        attempts: { increment: 1 },
        claimedUntil: null,
        lastError: null,
      },
    });
  }

  async markFailed(licenseId: string, nextAttemptAt: Date, error: string): Promise<void> {
    await this.db.licenseFile.updateMany({
      where: { licenseId, state: 'pending_seal' },
      data: { attempts: { increment: 1 }, nextAttemptAt, claimedUntil: null, lastError: error.slice(0, 500) },
    });
  }
}
