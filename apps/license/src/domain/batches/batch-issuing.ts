// Batch issue: an upload becomes a job whose rows are issued in the background, one by one through
// the same code as license.issue (the row's caseId is its idempotency key, so a re-submitted row
// or a row processed twice after a crash never yields a second license). Rows are claimed with a
// lease under SKIP LOCKED, so any number of replicas can run the worker.
import { randomUUID } from 'node:crypto';
import { AppError, licenseContract, type FieldValue, type IssueRequest } from '@platform/contracts';
import type { z } from 'zod';
import type { Clock } from '../../clock.ts';
import type { BatchRepository, BatchRow } from '../../repositories/batches.ts';
import type { LicenseRepository } from '../../repositories/licenses.ts';
import type { Actor, LicenseIssuing } from '../licenses/issuing.ts';
import { typeDefinitionOf, type LicenseTypes } from '../types/license-types.ts';
import { csvRequests } from './csv.ts';

export interface BatchOptions {
  /** Rows taken per claim. */
  claimSize: number;
  /** How long a claimed row is reserved for the replica that took it. */
  leaseSeconds: number;
}

type RowResult = Parameters<BatchRepository['finish']>[1];
type BatchView = z.infer<typeof licenseContract.batch.get.output>;
// The schema license.issue validates with: a batch row is held to exactly the same rules.
const issueRequestSchema = licenseContract.issue.input;

export class BatchIssuing {
  constructor(
    private readonly deps: {
      batches: BatchRepository;
      licenses: LicenseRepository;
      issuing: LicenseIssuing;
      types: LicenseTypes;
      clock: Clock;
      options: BatchOptions;
    },
  ) {}

  /** Stores the upload as a pending job; the worker issues it. */
  async submit(upload: { rows: Array<Record<string, unknown>> } | { csv: string }, actor: Actor): Promise<BatchView> {
    const rows = 'csv' in upload ? csvRequests(upload.csv) : upload.rows;
    if (rows.length > 10_000) throw new AppError('LICENSE_BATCH_INVALID', 'A batch holds at most 10,000 rows');
    const id = randomUUID();
    await this.deps.batches.create(
      { id, createdBy: actor.subject, createdAt: this.deps.clock.now() },
      rows.map((request) => ({
        caseId: typeof request.caseId === 'string' ? request.caseId.trim().slice(0, 100) || null : null,
        // The issuing clerk is part of the job: the worker issues as them.
        request: { ...request, issuedBy: actor },
      })),
    );
    return this.view(id, true);
  }

  async view(batchId: string, includeRows: boolean): Promise<BatchView> {
    const batch = await this.deps.batches.byId(batchId);
    if (!batch) throw new AppError('LICENSE_BATCH_NOT_FOUND', `No batch ${batchId}`);
    const counts = await this.deps.batches.counts(batchId);
    const rows = includeRows ? await this.deps.batches.rows(batchId) : [];
    const processed = counts.issued + counts.duplicates + counts.errors;
    return {
      id: batch.id,
      total: batch.total,
      processed,
      issued: counts.issued,
      duplicates: counts.duplicates,
      errors: counts.errors,
      // Done when the worker has marked it complete (after its last row), so done and completedAt agree.
      done: batch.completedAt !== null,
      createdAt: batch.createdAt.toISOString(),
      completedAt: batch.completedAt?.toISOString() ?? null,
      rows: rows.map((row) => ({
        index: row.index,
        caseId: row.caseId,
        outcome: row.outcome,
        identifier: row.identifier,
        error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
      })),
    };
  }

  /** Claims and processes one round of rows; returns how many were processed (0 = nothing to do). */
  async processRound(): Promise<number> {
    const now = this.deps.clock.now();
    const leaseUntil = new Date(now.getTime() + this.deps.options.leaseSeconds * 1000);
    const rows = await this.deps.batches.claim(this.deps.options.claimSize, now, leaseUntil);
    for (const row of rows) await this.deps.batches.finish(row, await this.processRow(row), this.deps.clock.now());
    if (rows.length > 0)
      await this.deps.batches.completeFinished([...new Set(rows.map((row) => row.batchId))], this.deps.clock.now());
    return rows.length;
  }

  private async processRow(row: BatchRow): Promise<RowResult> {
    try {
      const { issuedBy, csv, ...raw } = row.request as Record<string, unknown> & { issuedBy: Actor; csv?: boolean };
      const request = await this.parse(raw, csv === true);
      // A case that already has a license is a duplicate (the same request) or an error (another one).
      const existing = await this.deps.licenses.byCaseId(request.caseId);
      const license = await this.deps.issuing.issue(request, issuedBy);
      return { outcome: existing ? 'duplicate' : 'issued', identifier: license.identifier };
    } catch (error) {
      if (error instanceof AppError) {
        const detail = error.issues?.length
          ? `: ${error.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`
          : '';
        return { outcome: 'error', errorCode: error.code, errorMessage: `${error.message}${detail}` };
      }
      throw error;
    }
  }

  private async parse(raw: Record<string, unknown>, fromCsv: boolean): Promise<IssueRequest> {
    let candidate = raw;
    if (fromCsv && typeof raw.typeCode === 'string' && typeof raw.fields === 'object' && raw.fields !== null) {
      const type = await this.deps.types.forIssuing(raw.typeCode);
      candidate = { ...raw, fields: typedFields(raw.fields as Record<string, string>, type) };
    }
    const parsed = issueRequestSchema.safeParse(candidate);
    if (!parsed.success)
      throw new AppError('LICENSE_BATCH_ROW_INVALID', 'The row is not a well-formed issue request', {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    return parsed.data;
  }
}

/** CSV cells typed by the field schema: numbers, booleans and `|`-separated arrays. */
function typedFields(
  cells: Record<string, string>,
  type: Parameters<typeof typeDefinitionOf>[0],
): Record<string, FieldValue> {
  const { properties } = typeDefinitionOf(type).fieldSchema;
  return Object.fromEntries(
    Object.entries(cells).map(([name, cell]): [string, FieldValue] => {
      const kind = properties[name]?.type;
      if (kind === 'integer' || kind === 'number') return [name, cell.trim() === '' ? cell : Number(cell)];
      if (kind === 'boolean') return [name, cell === 'true' ? true : cell === 'false' ? false : cell];
      if (kind === 'array') return [name, cell.split('|').map((item) => item.trim())];
      return [name, cell];
    }),
  );
}
