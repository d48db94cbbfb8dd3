// 亮证: the holder makes a short-lived QR token that discloses chosen fields only. Single use is
// enforced in the database when a verifier scans it online (domain/verification).
import { AppError, type FieldValue, type Principal } from '@platform/contracts';
import { addSeconds, type Clock } from '../../clock.ts';
import type { PresentationRepository } from '../../repositories/presentations.ts';
import type { LicenseRecord, LicenseRepository } from '../../repositories/licenses.ts';
import { signPresentation } from '../credentials/license-credential.ts';
import { holderCodeOf } from '../holders/holder-code.ts';
import type { IssuerKeys } from '../keys/issuer-keys.ts';
import { effectiveStatus } from '../licenses/license-view.ts';
import type { StatusLists } from '../status/status-lists.ts';
import { typeDefinitionOf } from '../types/license-types.ts';

/** The license, if the caller holds it (or acts for its holder). */
export async function heldLicense(
  licenses: LicenseRepository,
  principal: Principal | undefined,
  identifier: string,
): Promise<LicenseRecord> {
  const holderCode = holderCodeOf(principal);
  const license = await licenses.byIdentifier(identifier);
  if (!license) throw new AppError('LICENSE_NOT_FOUND', `No license ${identifier}`);
  if (license.holderCode !== holderCode) throw new AppError('NOT_LICENSE_HOLDER', 'This license is not yours');
  return license;
}

/** Fields must be fields of the license's type (version); unknown names are refused, not ignored. */
export function checkFieldNames(license: LicenseRecord, names: string[]): void {
  const properties = typeDefinitionOf(license.type).fieldSchema.properties;
  const unknown = names.filter((name) => !Object.hasOwn(properties, name));
  if (unknown.length > 0)
    throw new AppError('LICENSE_FIELD_UNKNOWN', `Not fields of ${license.type.name}: ${unknown.join(', ')}`, {
      issues: unknown.map((name) => ({ path: `fields.${name}`, message: 'is not a field of this license type' })),
    });
}

export class Presentations {
  constructor(
    private readonly deps: {
      licenses: LicenseRepository;
      presentations: PresentationRepository;
      keys: IssuerKeys;
      statusLists: StatusLists;
      clock: Clock;
      ttlSeconds: number;
    },
  ) {}

  async create(
    principal: Principal | undefined,
    request: { identifier: string; fields: string[]; nonce?: string | undefined },
  ): Promise<{ token: string; expiresAt: string; disclosed: string[] }> {
    const license = await heldLicense(this.deps.licenses, principal, request.identifier);
    checkFieldNames(license, request.fields);
    const now = this.deps.clock.now();
    const status = effectiveStatus(license, now);
    if (status !== 'active') throw new AppError('LICENSE_NOT_VALID', `The license is ${status} and cannot be shown`);
    const expiresAt = addSeconds(now, this.deps.ttlSeconds);
    const key = await this.deps.keys.signingKey(license.issuerCode);
    const presentation = await signPresentation(
      {
        iss: this.deps.keys.issuerId(license.issuerCode),
        iat: Math.floor(now.getTime() / 1000),
        exp: Math.floor(expiresAt.getTime() / 1000),
        ...(request.nonce ? { nonce: request.nonce } : {}),
        vct: `urn:platform:license:${license.typeCode}`,
        license: {
          identifier: license.identifier,
          typeCode: license.typeCode,
          typeName: license.type.name,
          issuerName: license.issuerName,
          holderName: license.holderName,
          validFrom: license.validFrom.toISOString(),
          validUntil: license.validUntil?.toISOString() ?? null,
        },
        credentialStatus: this.deps.statusLists.entries(license.issuerCode, license.statusIndex),
      },
      license.fields as Record<string, FieldValue>,
      [...new Set(request.fields)],
      key,
    );
    await this.deps.presentations.create({
      id: presentation.jti,
      licenseId: license.id,
      holderCode: license.holderCode,
      fields: presentation.disclosed,
      nonce: request.nonce ?? null,
      createdAt: now,
      expiresAt,
      usedAt: null,
      usedBy: null,
    });
    return { token: presentation.token, expiresAt: expiresAt.toISOString(), disclosed: presentation.disclosed };
  }
}
