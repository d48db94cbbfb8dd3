// Signing operations: the idempotency record and usage log of every signature. A signature is
// committed in one transaction that re-checks the seal is active, counts the use against the
// authorisation (never beyond maxUses), spends the usage request and stores the operation.
import { AppError } from '@platform/contracts';
import type { Database } from '../db.ts';
import type { Prisma, SigningOperation } from '../generated/prisma/client.ts';
import { isUniqueViolation } from '@platform/db';

export type OperationRecord = SigningOperation;

export interface NewOperation {
  id: string;
  subject: string;
  idempotencyKey: string;
  requestHash: string;
  procedure: 'pdf' | 'cms' | 'gbt38540';
  sealId: string;
  documentType: string;
  authorizationId: string;
  usageRequestId: string | null;
  result: Prisma.InputJsonObject;
  output: Buffer;
  outputSha256: string;
}

/** Another call with the same caller and idempotency key committed first. */
export class DuplicateOperationError extends Error {
  constructor() {
    super('an operation with this idempotency key exists');
    this.name = 'DuplicateOperationError';
  }
}

export class SigningOperationRepository {
  constructor(private readonly db: Database) {}

  async find(subject: string, idempotencyKey: string): Promise<OperationRecord | undefined> {
    return (
      (await this.db.signingOperation.findUnique({
        where: { subject_idempotencyKey: { subject, idempotencyKey } },
      })) ?? undefined
    );
  }

  /**
   * Commits a signature. `refusal` explains why the authorisation could not be used when its
   * conditional update matched nothing (another call took the last use, or it was revoked).
   */
  async commit(
    operation: NewOperation,
    now: Date,
    refusal: (authorizationId: string) => Promise<AppError>,
  ): Promise<OperationRecord> {
    try {
      return await this.db.$transaction(
        async (tx) => {
          // A share lock: a concurrent cancel or loss report (FOR UPDATE) waits for this signature
          // or, having committed first, is seen here.
          const seal = await tx.$queryRaw<Array<{ status: string }>>`
            SELECT "status"::text AS "status" FROM "seal" WHERE "id" = ${operation.sealId}::uuid FOR SHARE`;
          const status = seal[0]?.status;
          if (status !== 'active') throw new AppError('SEAL_NOT_ACTIVE', `The seal is ${status ?? 'gone'}`);
          const used = await tx.$executeRaw`
            UPDATE "seal_authorization" SET "used_count" = "used_count" + 1
            WHERE "id" = ${operation.authorizationId}::uuid AND "revoked_at" IS NULL
              AND "valid_from" <= ${now} AND "valid_until" > ${now}
              AND ("max_uses" IS NULL OR "used_count" < "max_uses")`;
          if (used !== 1) throw await refusal(operation.authorizationId);
          if (operation.usageRequestId) {
            const spent = await tx.$executeRaw`
              UPDATE "usage_request" SET "status" = 'used', "used_at" = ${now}
              WHERE "id" = ${operation.usageRequestId}::uuid AND "status" = 'approved'`;
            if (spent !== 1) {
              throw new AppError('USAGE_REQUEST_ALREADY_USED', 'The usage request was already used for a signature');
            }
          }
          return tx.signingOperation.create({
            data: { ...operation, output: new Uint8Array(operation.output) },
          });
        },
        { timeout: 30_000, maxWait: 30_000 },
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        if (operation.usageRequestId && !(await this.find(operation.subject, operation.idempotencyKey))) {
          throw new AppError('USAGE_REQUEST_ALREADY_USED', 'The usage request was already used for a signature');
        }
        throw new DuplicateOperationError();
      }
      throw error;
    }
  }

  countForSeal(sealId: string): Promise<number> {
    return this.db.signingOperation.count({ where: { sealId } });
  }
}
