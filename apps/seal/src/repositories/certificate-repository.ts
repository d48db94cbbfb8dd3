// Certificates, sealed keys and CRLs in PostgreSQL.
import type { CrlReason } from '../domain/ca/crl.ts';
import type {
  CertificateRole,
  CertificateStore,
  NewCertificate,
  StoredCertificate,
  StoredCrl,
} from '../domain/ca/store.ts';
import type { SealKeyAlgorithm } from '../domain/keys/key-algorithm.ts';
import type { Database, Transaction } from '../db.ts';
import type { Certificate } from '../generated/prisma/client.ts';

const DB_ALGORITHMS = { 'rsa-2048': 'rsa_2048', 'ecdsa-p256': 'ecdsa_p256', sm2: 'sm2' } as const;
type DbAlgorithm = (typeof DB_ALGORITHMS)[SealKeyAlgorithm];
const FROM_DB = Object.fromEntries(Object.entries(DB_ALGORITHMS).map(([api, db]) => [db, api])) as Record<
  DbAlgorithm,
  SealKeyAlgorithm
>;

export const toDbAlgorithm = (algorithm: SealKeyAlgorithm): DbAlgorithm => DB_ALGORITHMS[algorithm];
export const fromDbAlgorithm = (algorithm: DbAlgorithm): SealKeyAlgorithm => FROM_DB[algorithm];

export function toStoredCertificate(row: Certificate): StoredCertificate {
  return {
    ...row,
    der: Buffer.from(row.der),
    sealedKey: Buffer.from(row.sealedKey),
    keyAlgorithm: fromDbAlgorithm(row.keyAlgorithm),
    revocationReason: row.revocationReason as CrlReason | null,
  };
}

export class CertificateRepository implements CertificateStore {
  constructor(
    private readonly db: Database | Transaction,
    private readonly root?: Database,
  ) {}

  async findCurrent(role: Exclude<CertificateRole, 'seal'>) {
    const row = await this.db.certificate.findFirst({
      where: { role, revokedAt: null },
      orderBy: { createdAt: 'desc' },
    });
    return row ? toStoredCertificate(row) : undefined;
  }

  async findById(id: string) {
    const row = await this.db.certificate.findUnique({ where: { id } });
    return row ? toStoredCertificate(row) : undefined;
  }

  async findBySerial(serial: string) {
    const row = await this.db.certificate.findUnique({ where: { serial } });
    return row ? toStoredCertificate(row) : undefined;
  }

  async insert(certificate: NewCertificate) {
    const row = await this.db.certificate.create({
      data: {
        ...certificate,
        der: new Uint8Array(certificate.der),
        sealedKey: new Uint8Array(certificate.sealedKey),
        keyAlgorithm: toDbAlgorithm(certificate.keyAlgorithm),
      },
    });
    return toStoredCertificate(row);
  }

  async markRevoked(id: string, at: Date, reason: CrlReason) {
    await this.db.certificate.update({ where: { id }, data: { revokedAt: at, revocationReason: reason } });
  }

  async releaseHold(id: string) {
    // Conditional on the reason, so a hold that became a final revocation meanwhile stays revoked.
    const { count } = await this.db.certificate.updateMany({
      where: { id, revocationReason: 'certificateHold' },
      data: { revokedAt: null, revocationReason: null },
    });
    return count === 1;
  }

  async revokedBy(issuerId: string) {
    const rows = await this.db.certificate.findMany({
      where: { issuerId, revokedAt: { not: null } },
      orderBy: { revokedAt: 'asc' },
    });
    return rows.map(toStoredCertificate);
  }

  async findCrl(issuerId: string): Promise<StoredCrl | undefined> {
    const row = await this.db.revocationList.findUnique({ where: { issuerId } });
    return row ? { ...row, der: Buffer.from(row.der) } : undefined;
  }

  async saveCrl(crl: StoredCrl) {
    const data = { ...crl, der: new Uint8Array(crl.der) };
    await this.db.revocationList.upsert({ where: { issuerId: crl.issuerId }, create: data, update: data });
  }

  async exclusively<T>(name: string, work: (store: CertificateStore) => Promise<T>): Promise<T> {
    const db = this.root ?? (this.db as Database);
    return db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))`;
        return work(new CertificateRepository(tx));
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }
}
