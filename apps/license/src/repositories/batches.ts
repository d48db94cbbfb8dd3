// Batch issue jobs and their rows. Rows are claimed with a lease under FOR UPDATE SKIP LOCKED, so
// several replicas share the work without taking the same row twice.
import type { Database } from '../db.ts';
import type { BatchRowOutcome, LicenseBatch, LicenseBatchRow } from '../generated/prisma/client.ts';

export type BatchRow = LicenseBatchRow;
export type Batch = LicenseBatch;

export interface BatchCounts {
  total: number;
  issued: number;
  duplicates: number;
  errors: number;
}

export class BatchRepository {
  constructor(private readonly db: Database) {}

  async create(
    batch: { id: string; createdBy: string; createdAt: Date },
    rows: Array<{ caseId: string | null; request: object }>,
  ): Promise<void> {
    // A batch transaction, not an interactive one: a 10,000-row upload takes longer than an
    // interactive transaction's timeout on a busy database, and needs no reads in between.
    await this.db.$transaction([
      this.db.licenseBatch.create({ data: { ...batch, total: rows.length } }),
      this.db.licenseBatchRow.createMany({
        data: rows.map((row, index) => ({ batchId: batch.id, index, caseId: row.caseId, request: row.request })),
      }),
    ]);
  }

  byId(id: string): Promise<Batch | null> {
    return this.db.licenseBatch.findUnique({ where: { id } });
  }

  rows(batchId: string): Promise<BatchRow[]> {
    return this.db.licenseBatchRow.findMany({ where: { batchId }, orderBy: { index: 'asc' } });
  }

  async counts(batchId: string): Promise<BatchCounts> {
    const groups = await this.db.licenseBatchRow.groupBy({ by: ['outcome'], where: { batchId }, _count: true });
    const of = (outcome: BatchRowOutcome) => groups.find((group) => group.outcome === outcome)?._count ?? 0;
    return {
      total: groups.reduce((sum, group) => sum + group._count, 0),
      issued: of('issued'),
      duplicates: of('duplicate'),
      errors: of('error'),
    };
  }

  /** Takes up to `limit` pending rows whose lease is free or expired, oldest batch first. */
  claim(limit: number, now: Date, leaseUntil: Date): Promise<BatchRow[]> {
    return this.db.$queryRaw<BatchRow[]>`
      UPDATE license_batch_row AS r SET claimed_until = ${leaseUntil}
      FROM (
        SELECT batch_id, index FROM license_batch_row
        WHERE outcome = 'pending' AND (claimed_until IS NULL OR claimed_until < ${now})
        ORDER BY batch_id, index
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ) AS picked
      WHERE r.batch_id = picked.batch_id AND r.index = picked.index
      RETURNING r.batch_id AS "batchId", r.index, r.case_id AS "caseId", r.request, r.outcome,
        r.identifier, r.error_code AS "errorCode", r.error_message AS "errorMessage",
        r.claimed_until AS "claimedUntil", r.processed_at AS "processedAt"`;
  }

  async finish(
    row: Pick<BatchRow, 'batchId' | 'index'>,
    result: {
      outcome: Exclude<BatchRowOutcome, 'pending'>;
      identifier?: string;
      errorCode?: string;
      errorMessage?: string;
    },
    at: Date,
  ): Promise<void> {
    await this.db.licenseBatchRow.update({
      where: { batchId_index: { batchId: row.batchId, index: row.index } },
      data: {
        outcome: result.outcome,
        identifier: result.identifier ?? null,
        errorCode: result.errorCode ?? null,
        errorMessage: result.errorMessage?.slice(0, 1000) ?? null,
        processedAt: at,
        claimedUntil: null,
      },
    });
  }

  /** Marks batches complete once no row is pending. */
  async completeFinished(batchIds: string[], at: Date): Promise<void> {
    await this.db.$executeRaw`
      UPDATE license_batch AS b SET completed_at = ${at}
      WHERE b.id = ANY(${batchIds}::uuid[]) AND b.completed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM license_batch_row r WHERE r.batch_id = b.id AND r.outcome = 'pending')`;
  }
}
