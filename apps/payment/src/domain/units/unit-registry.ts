// Registers collecting units and maps calling OAuth clients to the unit they act for.
import { randomBytes } from 'node:crypto';
import { AppError, type Principal } from '@platform/contracts';
import type { Database } from '../../db.ts';
import { UnitRepository, type UnitRecord } from '../../repositories/units.ts';
import { isUniqueViolation } from '../errors.ts';

export interface RegisterUnit {
  creditCode: string;
  name: string;
  clientIds: string[];
  webhookUrl: string | null;
}

export class UnitRegistry {
  private readonly units: UnitRepository;
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

  /** The unit the calling client acts for; client-credentials tokens carry the client as `sub`. */
  async unitOf(principal: Principal | undefined): Promise<UnitRecord> {
    if (!principal) throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
    const unit = await this.units.unitOfClient(principal.clientId ?? principal.subject);
    if (!unit) throw new AppError('PAYMENT_CLIENT_NOT_REGISTERED', 'The calling client acts for no collecting unit');
    return unit;
  }
}
