// How a stored license is shown: its effective status (expiry is derived from validUntil, so no
// background job has to flip it at the right moment) and its wire shape.
import type { FieldValue, LicenseStatus, LicenseView } from '@platform/contracts';
import type { LicenseRecord } from '../../repositories/licenses.ts';

export function effectiveStatus(
  license: Pick<LicenseRecord, 'status' | 'validFrom' | 'validUntil'>,
  now: Date,
): LicenseStatus {
  if (license.status !== 'active') return license.status;
  if (license.validUntil && now.getTime() >= license.validUntil.getTime()) return 'expired';
  if (now.getTime() < license.validFrom.getTime()) return 'not_yet_valid';
  return 'active';
}

export const holderCodeType = (codeType: string): 'citizen_id' | 'credit_code' =>
  codeType === '111' ? 'citizen_id' : 'credit_code';

export function toLicenseView(license: LicenseRecord, now: Date): LicenseView {
  return {
    id: license.id,
    identifier: license.identifier,
    type: { code: license.typeCode, version: license.type.version, name: license.type.name },
    issuer: { code: license.issuerCode, name: license.issuerName },
    holder: { codeType: holderCodeType(license.holderCodeType), code: license.holderCode, name: license.holderName },
    fields: license.fields as Record<string, FieldValue>,
    validFrom: license.validFrom.toISOString(),
    validUntil: license.validUntil?.toISOString() ?? null,
    issuedAt: license.issuedAt.toISOString(),
    status: effectiveStatus(license, now),
    statusReason: license.statusReason,
    version: license.version,
    caseId: license.caseId,
    replacesIdentifier: license.replaces?.identifier ?? null,
    replacedByIdentifier: license.replacedBy?.identifier ?? null,
    credential: license.credential,
  };
}
