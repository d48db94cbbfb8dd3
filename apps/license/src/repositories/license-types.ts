// License types (catalogue), one row per version.
import type { Database } from '../db.ts';
import type { LicenseType, Prisma } from '../generated/prisma/client.ts';

export type LicenseTypeRow = LicenseType;

export class LicenseTypeRepository {
  constructor(private readonly db: Database) {}

  latest(code: string): Promise<LicenseTypeRow | null> {
    return this.db.licenseType.findFirst({ where: { code }, orderBy: { version: 'desc' } });
  }

  version(code: string, version: number): Promise<LicenseTypeRow | null> {
    return this.db.licenseType.findUnique({ where: { code_version: { code, version } } });
  }

  byId(id: string): Promise<LicenseTypeRow | null> {
    return this.db.licenseType.findUnique({ where: { id } });
  }

  /** The newest version of every type. */
  async latestOfEach(includeRetired: boolean): Promise<LicenseTypeRow[]> {
    const rows = await this.db.licenseType.findMany({
      where: includeRetired ? {} : { status: 'active' },
      orderBy: [{ code: 'asc' }, { version: 'desc' }],
      distinct: ['code'],
    });
    return rows;
  }

  create(data: Prisma.LicenseTypeUncheckedCreateInput): Promise<LicenseTypeRow> {
    return this.db.licenseType.create({ data });
  }

  /** Inserts types that are not there yet (seeding is safe to repeat and to run on several replicas). */
  async createMissing(data: Prisma.LicenseTypeCreateManyInput[]): Promise<number> {
    const { count } = await this.db.licenseType.createMany({ data, skipDuplicates: true });
    return count;
  }

  async retire(code: string, at: Date, reason: string): Promise<number> {
    const { count } = await this.db.licenseType.updateMany({
      where: { code, status: 'active' },
      data: { status: 'retired', retiredAt: at, retiredReason: reason },
    });
    return count;
  }
}
