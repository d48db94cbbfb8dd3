// Seals and their audit events in PostgreSQL. Every status change runs in one transaction that
// locks the seal row, writes the new status and appends the event; the database trigger refuses
// any transition the lifecycle does not allow.
import { AppError, type SealKind, type SealStatus } from '@platform/contracts';
import type { CertificateStore, StoredCertificate } from '../domain/ca/store.ts';
import type { SealKeyAlgorithm } from '../domain/keys/key-algorithm.ts';
import type { Database, Transaction } from '../db.ts';
import type { Certificate, Prisma, Seal, SealEvent } from '../generated/prisma/client.ts';
import {
  CertificateRepository,
  fromDbAlgorithm,
  toDbAlgorithm,
  toStoredCertificate,
} from './certificate-repository.ts';
import { isCheckViolation } from '@platform/db';

export interface SealRecord {
  id: string;
  orgCode: string;
  orgName: string;
  name: string;
  kind: SealKind;
  status: SealStatus;
  keyAlgorithm: SealKeyAlgorithm;
  widthMm: number;
  heightMm: number;
  validFrom: Date | null;
  validUntil: Date;
  certificate: StoredCertificate | null;
  filingNumber: string | null;
  appliedBy: string;
  approvedBy: string | null;
  imageSvg: string | null;
  imagePng: Buffer | null;
  /** SM2 seals, once made: the GB/T 38540 SESeal (DER). */
  gbt38540Seal: Buffer | null;
  createdAt: Date;
  updatedAt: Date;
}

export type SealEventRecord = Pick<SealEvent, 'id' | 'fromStatus' | 'toStatus' | 'actor' | 'reason' | 'at'>;

export interface NewSeal {
  orgCode: string;
  orgName: string;
  name: string;
  kind: SealKind;
  keyAlgorithm: SealKeyAlgorithm;
  widthMm: number;
  heightMm: number;
  validUntil: Date;
  appliedBy: string;
}

/** Fields a transition may set besides the status. */
export interface SealChanges {
  approvedBy?: string;
  certificateId?: string;
  validFrom?: Date;
  filingNumber?: string;
  imageSvg?: string;
  imagePng?: Buffer;
  gbt38540Seal?: Buffer;
}

/** What a transition step may do inside the seal's transaction. */
export interface TransitionScope {
  /** The CA's store bound to this transaction. */
  certificates: CertificateStore;
  /** Takes a database-wide advisory lock for the rest of the transaction. */
  lock(name: string): Promise<void>;
}

type SealRow = Seal & { certificate: Certificate | null };

function toRecord(row: SealRow): SealRecord {
  return {
    id: row.id,
    orgCode: row.orgCode,
    orgName: row.orgName,
    name: row.name,
    kind: row.kind,
    status: row.status,
    keyAlgorithm: fromDbAlgorithm(row.keyAlgorithm),
    widthMm: row.widthMm,
    heightMm: row.heightMm,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    certificate: row.certificate ? toStoredCertificate(row.certificate) : null,
    filingNumber: row.filingNumber,
    appliedBy: row.appliedBy,
    approvedBy: row.approvedBy,
    imageSvg: row.imageSvg,
    imagePng: row.imagePng ? Buffer.from(row.imagePng) : null,
    gbt38540Seal: row.gbt38540Seal ? Buffer.from(row.gbt38540Seal) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const withCertificate = { certificate: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SealRepository {
  constructor(private readonly db: Database) {}

  async create(seal: NewSeal, reason: string | undefined): Promise<SealRecord> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.seal.create({
        data: { ...seal, keyAlgorithm: toDbAlgorithm(seal.keyAlgorithm) },
        include: withCertificate,
      });
      await tx.sealEvent.create({
        data: { sealId: row.id, fromStatus: null, toStatus: 'applied', actor: seal.appliedBy, reason: reason ?? null },
      });
      return toRecord(row);
    });
  }

  async find(id: string): Promise<SealRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.db.seal.findUnique({ where: { id }, include: withCertificate });
    return row ? toRecord(row) : undefined;
  }

  async list(filter: { orgCode?: string; status?: SealStatus; limit: number }): Promise<SealRecord[]> {
    const where: Prisma.SealWhereInput = {};
    if (filter.orgCode) where.orgCode = filter.orgCode;
    if (filter.status) where.status = filter.status;
    const rows = await this.db.seal.findMany({
      where,
      include: withCertificate,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: filter.limit,
    });
    return rows.map(toRecord);
  }

  async events(sealId: string): Promise<SealEventRecord[]> {
    return this.db.sealEvent.findMany({
      where: { sealId },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      select: { id: true, fromStatus: true, toStatus: true, actor: true, reason: true, at: true },
    });
  }

  /**
   * Moves a seal to a new status: `step` sees the locked current record and returns the target
   * status and any fields to set (it may issue or revoke certificates through `scope`, in the same
   * transaction). The event is written with the actor and reason.
   */
  async transition(
    sealId: string,
    actor: string,
    reason: string | undefined,
    step: (seal: SealRecord, scope: TransitionScope) => Promise<{ to: SealStatus; changes?: SealChanges }>,
  ): Promise<SealRecord> {
    if (!UUID.test(sealId)) throw new AppError('SEAL_NOT_FOUND', 'No such seal');
    try {
      return await this.db.$transaction(
        async (tx) => {
          const current = await lockedSeal(tx, sealId);
          const scope: TransitionScope = {
            certificates: new CertificateRepository(tx),
            lock: async (name) => {
              await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))`;
            },
          };
          const { to, changes = {} } = await step(current, scope);
          const { imagePng, gbt38540Seal, ...fields } = changes;
          const data: Prisma.SealUncheckedUpdateInput = {
            status: to,
            ...fields,
            ...(imagePng ? { imagePng: new Uint8Array(imagePng) } : {}),
            ...(gbt38540Seal ? { gbt38540Seal: new Uint8Array(gbt38540Seal) } : {}),
          };
          const row = await tx.seal.update({ where: { id: sealId }, data, include: withCertificate });
          await tx.sealEvent.create({
            data: { sealId, fromStatus: current.status, toStatus: to, actor, reason: reason ?? null },
          });
          return toRecord(row);
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
    } catch (error) {
      if (isCheckViolation(error)) {
        throw new AppError('SEAL_TRANSITION_INVALID', 'The seal’s lifecycle does not allow this change now');
      }
      throw error;
    }
  }
}

async function lockedSeal(tx: Transaction, sealId: string): Promise<SealRecord> {
  const locked = await tx.$queryRaw<
    Array<{ id: string }>
  >`SELECT "id" FROM "seal" WHERE "id" = ${sealId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new AppError('SEAL_NOT_FOUND', 'No such seal');
  const row = await tx.seal.findUniqueOrThrow({ where: { id: sealId }, include: withCertificate });
  return toRecord(row);
}
