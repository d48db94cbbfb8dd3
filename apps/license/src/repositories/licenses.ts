// Licenses, their audit events, serial and status-slot counters and status-list bits. Everything
// that must change together (a license and its status bit, its event) goes through `transaction`.
import type { Database } from '../db.ts';
import type { License, LicenseEvent, LicenseStatus, LicenseType, Prisma } from '../generated/prisma/client.ts';

export type LicenseRecord = License & {
  type: LicenseType;
  replaces: { identifier: string } | null;
  replacedBy: { identifier: string } | null;
};

const withRelations = {
  type: true,
  replaces: { select: { identifier: true } },
  replacedBy: { select: { identifier: true } },
} as const;

type Tx = Prisma.TransactionClient;

/** Operations available inside one database transaction. */
export class LicenseTransaction {
  constructor(private readonly tx: Tx) {}

  /** Next serial number for issuer + type + year; the row lock serialises concurrent issuers. */
  async nextSerial(issuerCode: string, typeCode: string, year: number): Promise<number> {
    const rows = await this.tx.$queryRaw<{ allocated: number }[]>`
      INSERT INTO serial_counter (issuer_code, type_code, year, next) VALUES (${issuerCode}, ${typeCode}, ${year}, 2)
      ON CONFLICT (issuer_code, type_code, year) DO UPDATE SET next = serial_counter.next + 1
      RETURNING next - 1 AS allocated`;
    return Number(rows[0]?.allocated);
  }

  /** Next status-list slot number of the issuer (0, 1, 2, …). */
  async nextStatusSlot(issuerCode: string): Promise<number> {
    const rows = await this.tx.$queryRaw<{ allocated: number }[]>`
      INSERT INTO status_counter (issuer_code, next) VALUES (${issuerCode}, 1)
      ON CONFLICT (issuer_code) DO UPDATE SET next = status_counter.next + 1
      RETURNING next - 1 AS allocated`;
    return Number(rows[0]?.allocated);
  }

  async ensureStatusList(issuerCode: string, purpose: string, listNumber: number, bytes: number): Promise<void> {
    await this.tx.$executeRaw`
      INSERT INTO status_list (issuer_code, purpose, list_number, bits, revision)
      VALUES (${issuerCode}, ${purpose}, ${listNumber}, decode(repeat('00', ${bytes}::int), 'hex'), 0)
      ON CONFLICT DO NOTHING`;
  }

  /**
   * Sets or clears the bit of a position. PostgreSQL numbers bits from the least significant bit of
   * each byte, the W3C list from the most significant: bit i of the list is PostgreSQL bit
   * 8·(i div 8) + 7 − (i mod 8).
   */
  async setStatusBit(
    issuerCode: string,
    purpose: string,
    listNumber: number,
    position: number,
    value: boolean,
  ): Promise<void> {
    const pgBit = (position >> 3) * 8 + (7 - (position & 7));
    const count = await this.tx.$executeRaw`
      UPDATE status_list SET bits = set_bit(bits, ${pgBit}::int, ${value ? 1 : 0}::int), revision = revision + 1
      WHERE issuer_code = ${issuerCode} AND purpose = ${purpose} AND list_number = ${listNumber}`;
    if (count !== 1) throw new Error(`status list ${issuerCode}/${purpose}/${listNumber} is missing`);
  }

  insert(data: Prisma.LicenseUncheckedCreateInput): Promise<LicenseRecord> {
    return this.tx.license.create({ data, include: withRelations });
  }

  /** Changes the status only if it is one of `from`; false when another change got there first. */
  async changeStatus(id: string, from: LicenseStatus[], to: LicenseStatus, reason: string): Promise<boolean> {
    const { count } = await this.tx.license.updateMany({
      where: { id, status: { in: from } },
      data: { status: to, statusReason: reason },
    });
    return count === 1;
  }

  /** The license's file, due for rendering and sealing now (the sealing outbox). */
  async addFile(licenseId: string, at: Date): Promise<void> {
    await this.tx.licenseFile.create({ data: { licenseId, nextAttemptAt: at, createdAt: at } });
  }

  async addEvent(data: Prisma.LicenseEventUncheckedCreateInput): Promise<void> {
    await this.tx.licenseEvent.create({ data });
  }

  byId(id: string): Promise<LicenseRecord | null> {
    return this.tx.license.findUnique({ where: { id }, include: withRelations });
  }
}

export class LicenseRepository {
  constructor(private readonly db: Database) {}

  transaction<T>(work: (tx: LicenseTransaction) => Promise<T>): Promise<T> {
    return this.db.$transaction((tx) => work(new LicenseTransaction(tx)), { timeout: 15_000 });
  }

  byIdentifier(identifier: string): Promise<LicenseRecord | null> {
    return this.db.license.findUnique({ where: { identifier }, include: withRelations });
  }

  byId(id: string): Promise<LicenseRecord | null> {
    return this.db.license.findUnique({ where: { id }, include: withRelations });
  }

  /** The license row alone: the hot path of online verification joins its type from a cache. */
  rowByIdentifier(identifier: string): Promise<License | null> {
    return this.db.license.findUnique({ where: { identifier } });
  }

  byCaseId(caseId: string): Promise<LicenseRecord | null> {
    return this.db.license.findUnique({ where: { caseId }, include: withRelations });
  }

  byHolder(holderCode: string): Promise<LicenseRecord[]> {
    return this.db.license.findMany({
      where: { holderCode },
      include: withRelations,
      orderBy: [{ issuedAt: 'desc' }, { identifier: 'asc' }],
    });
  }

  events(licenseId: string): Promise<LicenseEvent[]> {
    return this.db.licenseEvent.findMany({ where: { licenseId }, orderBy: { id: 'asc' } });
  }
}
