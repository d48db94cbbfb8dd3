// The license-type catalogue: create, version, retire; licenses are always read with the version
// they were issued under, so a version is never changed once written.
import { AppError, type LicenseTypeDefinition, type LicenseTypeView } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { LicenseTypeRepository, LicenseTypeRow } from '../../repositories/license-types.ts';
import { isUniqueViolation } from '@platform/db';
import { definitionIssues } from './field-schema.ts';
import { SEED_TYPES } from './seed-types.ts';

export interface TypeDefinitionInput extends LicenseTypeDefinition {
  code: string;
}

export function typeDefinitionOf(row: LicenseTypeRow): LicenseTypeDefinition {
  return {
    name: row.name,
    issuingAuthority: { name: row.issuingAuthority, code: row.issuingAuthorityCode },
    holderKind: row.holderKind,
    fieldSchema: row.fieldSchema as unknown as LicenseTypeDefinition['fieldSchema'],
    validity: row.validity as unknown as LicenseTypeDefinition['validity'],
    layout: row.layout as unknown as LicenseTypeDefinition['layout'],
  };
}

export function toTypeView(row: LicenseTypeRow): LicenseTypeView {
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    status: row.status,
    retiredAt: row.retiredAt?.toISOString() ?? null,
    retiredReason: row.retiredReason,
    createdAt: row.createdAt.toISOString(),
    ...typeDefinitionOf(row),
  };
}

export class LicenseTypes {
  constructor(
    private readonly repository: LicenseTypeRepository,
    private readonly clock: Clock,
  ) {}

  /** Adds the seed types that are missing; safe to run on every boot and on every replica. */
  async seed(): Promise<number> {
    return this.repository.createMissing(SEED_TYPES.map((type) => this.rowData(type, 1, 'seed')));
  }

  async list(includeRetired: boolean): Promise<LicenseTypeView[]> {
    return (await this.repository.latestOfEach(includeRetired)).map(toTypeView);
  }

  async get(code: string, version?: number): Promise<LicenseTypeRow> {
    const row =
      version === undefined ? await this.repository.latest(code) : await this.repository.version(code, version);
    if (!row)
      throw new AppError('LICENSE_TYPE_NOT_FOUND', `No license type ${code}${version ? ` version ${version}` : ''}`);
    return row;
  }

  /** The version new licenses are issued under: the newest, which must not be retired. */
  async forIssuing(code: string): Promise<LicenseTypeRow> {
    const row = await this.get(code);
    if (row.status === 'retired') throw new AppError('LICENSE_TYPE_RETIRED', `License type ${code} is retired`);
    return row;
  }

  async create(input: TypeDefinitionInput, actor: string): Promise<LicenseTypeRow> {
    this.check(input);
    if (await this.repository.latest(input.code))
      throw new AppError('LICENSE_TYPE_EXISTS', `License type ${input.code} exists; add a version instead`);
    try {
      return await this.repository.create(this.rowData(input, 1, actor));
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('LICENSE_TYPE_EXISTS', `License type ${input.code} exists`);
      throw error;
    }
  }

  async revise(input: TypeDefinitionInput, actor: string): Promise<LicenseTypeRow> {
    this.check(input);
    const latest = await this.forIssuing(input.code);
    try {
      return await this.repository.create(this.rowData(input, latest.version + 1, actor));
    } catch (error) {
      // Two admins revising at once: one wins, the other retries on the new version.
      if (isUniqueViolation(error))
        throw new AppError('CONFLICT', `Another version of ${input.code} was added meanwhile; reload and retry`);
      throw error;
    }
  }

  async retire(code: string, reason: string): Promise<LicenseTypeRow> {
    await this.get(code);
    await this.repository.retire(code, this.clock.now(), reason);
    return this.get(code);
  }

  private check(input: TypeDefinitionInput): void {
    const issues = definitionIssues(input);
    if (issues.length > 0)
      throw new AppError('LICENSE_TYPE_DEFINITION_INVALID', 'The license type definition is not usable', { issues });
  }

  private rowData(input: TypeDefinitionInput, version: number, actor: string) {
    return {
      code: input.code,
      version,
      name: input.name,
      issuingAuthority: input.issuingAuthority.name,
      issuingAuthorityCode: input.issuingAuthority.code,
      fieldSchema: input.fieldSchema as object,
      validity: input.validity as object,
      holderKind: input.holderKind,
      layout: input.layout as object,
      createdBy: actor,
    };
  }
}
