// Registers collecting units and maps calling OAuth clients to the unit they act for.
import { randomBytes } from 'node:crypto';
import { AppError, type Principal } from '@platform/contracts';
import type { Database } from '../../db.ts';
import { UnitRepository, type UnitRecord } from '../../repositories/units.ts';
import { isUniqueViolation } from '@platform/db';
import { TtlCache } from '../ttl-cache.ts';

/** Every request maps its client to a unit, every payment reads its unit: cached this long. */
const UNIT_TTL_MS = 5_000;

export interface RegisterUnit {
  creditCode: string;
  name: string;
  clientIds: string[];
  webhookUrl: string | null;
}

export class UnitRegistry {
  private readonly units: UnitRepository;
  private readonly byClient = new TtlCache<string, UnitRecord>(UNIT_TTL_MS);
  private readonly byCode = new TtlCache<string, UnitRecord>(UNIT_TTL_MS);
  constructor(private readonly db: Database) {
    this.units = new UnitRepository(db);
  }

  async register(input: RegisterUnit): Promise<UnitRecord & { clientIds: string[] }> {
    const clientIds = [...new Set(input.clientIds)];
    const unit: UnitRecord = {
      creditCode: input.creditCode,
      name: input.name,
      webhookUrl: input.webhookUrl,
      webhookSecret: `whsec_${randomBytes(24).toString('base64url')}`,
    };
    try {
      await this.units.create(unit, clientIds);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (await this.units.find(input.creditCode))
        throw new AppError('COLLECTING_UNIT_ALREADY_EXISTS', 'The collecting unit is already registered');
      throw new AppError('PAYMENT_CLIENT_TAKEN', 'A client id already acts for another collecting unit');
    }
    return { ...unit, clientIds };
  }

  /** A unit by credit code, from the short-lived cache. */
  find(creditCode: string): Promise<UnitRecord | null> {
    return this.byCode.get(creditCode, () => this.units.find(creditCode));
  }

  /** The unit the calling client acts for; client-credentials tokens carry the client as `sub`. */
  async unitOf(principal: Principal | undefined): Promise<UnitRecord> {
    if (!principal) throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
    const clientId = principal.clientId ?? principal.subject;
    const unit = await this.byClient.get(clientId, () => this.units.unitOfClient(clientId));
    if (!unit) throw new AppError('PAYMENT_CLIENT_NOT_REGISTERED', 'The calling client acts for no collecting unit');
    return unit;
  }
}
