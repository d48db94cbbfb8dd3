// Issuing a license for a closed case: the case id is the idempotency key, enforced by a unique
// constraint (so concurrent retries on several replicas still yield one license), the same key with
// another request is refused, and everything (serial, status slot, credential, audit) is written in
// one transaction.
import { createHash } from 'node:crypto';
import { AppError, type FieldValue, type Holder, type IssueRequest } from '@platform/contracts';
import { formatLicenseIdentifier } from '@platform/identifiers';
import { addDays, type Clock } from '../../clock.ts';
import type { LicenseRecord, LicenseRepository, LicenseTransaction } from '../../repositories/licenses.ts';
import { isUniqueViolation } from '@platform/db';
import type { LicenseTypeRow } from '../../repositories/license-types.ts';
import { licenseCredential, signCredential } from '../credentials/license-credential.ts';
import type { IssuerKeys } from '../keys/issuer-keys.ts';
import type { StatusLists } from '../status/status-lists.ts';
import { fieldIssues } from '../types/field-schema.ts';
import { typeDefinitionOf, type LicenseTypes } from '../types/license-types.ts';

export interface Actor {
  subject: string;
  clientId?: string | undefined;
}

/** JSON with sorted keys, so that the request hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

export const requestHash = (request: unknown): string => createHash('sha256').update(canonical(request)).digest('hex');

const CODE_TYPE = { citizen_id: '111', credit_code: '001' } as const;

function checkHolderKind(type: LicenseTypeRow, holder: Holder): void {
  const kind = type.holderKind;
  if (
    (kind === 'person' && holder.codeType !== 'citizen_id') ||
    (kind === 'organization' && holder.codeType !== 'credit_code')
  )
    throw new AppError(
      'LICENSE_HOLDER_KIND_MISMATCH',
      `${type.name} is held by ${kind === 'person' ? 'a natural person (citizen ID number)' : 'an organization (credit code)'}`,
    );
}

/** validFrom/validUntil from the request and the type's rules. */
export function validityPeriod(
  type: LicenseTypeRow,
  requested: { validFrom?: string | undefined; validUntil?: string | null | undefined },
  now: Date,
): { validFrom: Date; validUntil: Date | null } {
  const rules = typeDefinitionOf(type).validity;
  const validFrom = requested.validFrom ? new Date(requested.validFrom) : now;
  let validUntil: Date | null;
  if (requested.validUntil === undefined)
    validUntil = rules.defaultDays === null ? null : addDays(validFrom, rules.defaultDays);
  else validUntil = requested.validUntil === null ? null : new Date(requested.validUntil);
  if (validUntil === null && !rules.longTermAllowed)
    throw new AppError('LICENSE_VALIDITY_INVALID', `${type.name} cannot be long-term: give validUntil`);
  if (validUntil !== null && validUntil.getTime() <= validFrom.getTime())
    throw new AppError('LICENSE_VALIDITY_INVALID', 'validUntil must be after validFrom');
  if (
    validUntil !== null &&
    rules.maxDays !== null &&
    validUntil.getTime() > addDays(validFrom, rules.maxDays).getTime()
  )
    throw new AppError('LICENSE_VALIDITY_INVALID', `${type.name} is valid for at most ${rules.maxDays} days`);
  if (validUntil !== null && validUntil.getTime() <= now.getTime())
    throw new AppError('LICENSE_VALIDITY_INVALID', 'validUntil is already past');
  return { validFrom, validUntil };
}

export interface NewLicense {
  type: LicenseTypeRow;
  holder: { codeType: 'citizen_id' | 'credit_code'; code: string; name: string };
  fields: Record<string, FieldValue>;
  validFrom: Date;
  validUntil: Date | null;
  caseId: string;
  requestHash: string;
  serial?: string;
  version?: number;
  replacesId?: string;
}

export class LicenseIssuing {
  constructor(
    private readonly deps: {
      licenses: LicenseRepository;
      types: LicenseTypes;
      keys: IssuerKeys;
      statusLists: StatusLists;
      clock: Clock;
    },
  ) {}

  async issue(request: IssueRequest, actor: Actor): Promise<LicenseRecord> {
    const hash = requestHash(request);
    const existing = await this.deps.licenses.byCaseId(request.caseId);
    if (existing) return this.replay(existing, hash);

    const type = await this.deps.types.forIssuing(request.typeCode);
    checkHolderKind(type, request.holder);
    const schema = typeDefinitionOf(type).fieldSchema;
    const issues = fieldIssues(schema, request.fields);
    if (issues.length > 0)
      throw new AppError('LICENSE_FIELDS_INVALID', `The fields do not fit ${type.name} (version ${type.version})`, {
        issues,
      });
    const period = validityPeriod(type, request, this.deps.clock.now());
    try {
      return await this.deps.licenses.transaction((tx) =>
        this.write(
          tx,
          {
            type,
            holder: request.holder,
            fields: request.fields,
            ...period,
            caseId: request.caseId,
            requestHash: hash,
          },
          actor,
          'issued',
        ),
      );
    } catch (error) {
      // A concurrent request for the same case committed first: answer as its retry would.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.deps.licenses.byCaseId(request.caseId);
      if (!winner) throw error;
      return this.replay(winner, hash);
    }
  }

  private replay(existing: LicenseRecord, hash: string): LicenseRecord {
    if (existing.requestHash !== hash)
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        `Case ${existing.caseId} already produced license ${existing.identifier} from a different request`,
      );
    return existing;
  }

  /** Writes a license (first issue or replacement) inside the caller's transaction. */
  async write(
    tx: LicenseTransaction,
    license: NewLicense,
    actor: Actor,
    event: 'issued' | 'replacement',
  ): Promise<LicenseRecord> {
    const { type } = license;
    const issuerCode = type.issuingAuthorityCode;
    const now = this.deps.clock.now();
    const key = await this.deps.keys.signingKey(issuerCode);
    const year = now.getUTCFullYear();
    const serial =
      license.serial ?? `${year}${String(await tx.nextSerial(issuerCode, type.code, year)).padStart(7, '0')}`;
    const version = license.version ?? 1;
    const identifier = formatLicenseIdentifier({ typeCode: type.code, issuerCode, serial, version });
    const statusIndex = await this.deps.statusLists.allocate(tx, issuerCode);
    const credential = licenseCredential({
      identifier,
      issuer: { id: this.deps.keys.issuerId(issuerCode), name: type.issuingAuthority, code: issuerCode },
      holder: license.holder,
      type: { code: type.code, version: type.version, name: type.name },
      version,
      fields: license.fields,
      validFrom: license.validFrom,
      validUntil: license.validUntil,
      issuedAt: now,
      status: this.deps.statusLists.entries(issuerCode, statusIndex),
    });
    const record = await tx.insert({
      identifier,
      typeId: type.id,
      typeCode: type.code,
      issuerCode,
      issuerName: type.issuingAuthority,
      serial,
      version,
      holderCode: license.holder.code,
      holderCodeType: CODE_TYPE[license.holder.codeType],
      holderName: license.holder.name,
      fields: license.fields,
      validFrom: license.validFrom,
      validUntil: license.validUntil,
      issuedAt: now,
      issuedBy: actor.subject,
      statusIndex,
      credential: await signCredential(credential, key),
      caseId: license.caseId,
      requestHash: license.requestHash,
      replacesId: license.replacesId ?? null,
    });
    // The file is sealed after commit by the file worker: issuing never waits for the seal service.
    await tx.addFile(record.id, now);
    await tx.addEvent({
      licenseId: record.id,
      type: event,
      toStatus: 'active',
      actor: actor.subject,
      actorClient: actor.clientId ?? null,
      reason: `case ${license.caseId}`,
      at: now,
    });
    return record;
  }
}
