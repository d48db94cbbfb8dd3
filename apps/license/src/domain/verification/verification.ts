// Online verification by identifier, by credential or by scanned QR token. The answer says whether
// the license is authentic, its current status (from this node's database, fresher than any list),
// its issuer, the fields this verifier may see and, when it fails, a stable failure code. A failed
// check is an answer, not an error; every check is recorded in the holder's usage log.
import type { FieldValue, Principal, VerificationResult } from '@platform/contracts';
import {
  StatusListCache,
  TrustStore,
  parseJws,
  verifyLicenseCredential,
  verifyLicensePresentation,
} from '@platform/license-verifier';
import type { Clock } from '../../clock.ts';
import type { License, LicenseType } from '../../generated/prisma/client.ts';
import type { LicenseTypeRepository } from '../../repositories/license-types.ts';
import type { LicenseRepository } from '../../repositories/licenses.ts';
import type { PresentationRepository } from '../../repositories/presentations.ts';
import { actorOf } from '../holders/holder-code.ts';
import type { IssuerKeys } from '../keys/issuer-keys.ts';
import { effectiveStatus } from '../licenses/license-view.ts';
import { sensitiveFields } from '../types/field-schema.ts';
import { typeDefinitionOf } from '../types/license-types.ts';
import type { UsageLog } from '../usage/usage-log.ts';
import type { LicenseRowCache } from './license-row-cache.ts';

export const VERIFY_SCOPE = 'license:verify';
export const VERIFY_SENSITIVE_SCOPE = 'license:verify:sensitive';

type FieldRights = 'none' | 'public' | 'all';

/** Anonymous callers learn authenticity and status only; `license:verify` adds non-sensitive fields. */
export function fieldRightsOf(principal: Principal | undefined): FieldRights {
  if (!principal) return 'none';
  if (principal.scopes.includes(VERIFY_SENSITIVE_SCOPE)) return 'all';
  return principal.scopes.includes(VERIFY_SCOPE) ? 'public' : 'none';
}

export const maskName = (name: string): string => {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
};

/** What a verification answer is built from: the license row and the type version it was issued under. */
type VerifiedLicense = License & { type: LicenseType };

type FailureCode = NonNullable<VerificationResult['failure']>['code'];

export const verificationFailure = (code: FailureCode, message: string): VerificationResult => ({
  authentic: false,
  valid: false,
  status: null,
  identifier: null,
  type: null,
  issuer: null,
  holderName: null,
  validFrom: null,
  validUntil: null,
  fields: {},
  failure: { code, message },
});

export class Verification {
  private readonly trust = new TrustStore();
  // A type version's name and field schema never change (a revision is a new version), so the rows
  // are cached by id; retiring a type changes neither.
  private readonly typeVersions = new Map<string, LicenseType>();
  // Online, status comes from the database; the verifier package is used for integrity only.
  private readonly noLists: StatusListCache;

  constructor(
    private readonly deps: {
      licenses: LicenseRepository;
      types: LicenseTypeRepository;
      presentations: PresentationRepository;
      keys: IssuerKeys;
      usage: UsageLog;
      clock: Clock;
      /** Keeps license rows between calls, dropped on every change; without it each call reads. */
      rows?: LicenseRowCache;
      /** Credentials of other regions' trusted nodes (互认互通). */
      recognition?: { verify(jwt: string, principal: Principal | undefined): Promise<VerificationResult | null> };
    },
  ) {
    this.noLists = new StatusListCache(this.trust);
  }

  async byIdentifier(identifier: string, principal: Principal | undefined): Promise<VerificationResult> {
    const license = await this.licenseByIdentifier(identifier);
    if (!license) return verificationFailure('LICENSE_NOT_FOUND', `No license ${identifier} was issued by this node`);
    return this.answer(license, principal, {
      fields: this.visible(license, license.fields as Record<string, FieldValue>, principal),
      action: 'verify',
    });
  }

  async byCredential(jwt: string, principal: Principal | undefined): Promise<VerificationResult> {
    const foreign = await this.deps.recognition?.verify(jwt, principal);
    if (foreign) return foreign;
    await this.ensureKeyKnown(jwt);
    const verdict = verifyLicenseCredential(jwt, {
      trust: this.trust,
      statusLists: this.noLists,
      now: this.deps.clock.now(),
    });
    if (!verdict.authentic || !verdict.credential)
      return verificationFailure(
        verdict.failure?.code ?? 'CREDENTIAL_MALFORMED',
        verdict.failure?.message ?? 'Not authentic',
      );
    const subject = verdict.credential.credentialSubject.license;
    const license = await this.licenseByIdentifier(subject.identifier);
    if (!license)
      return verificationFailure(
        'LICENSE_NOT_FOUND',
        'The credential is signed by this node but its license is unknown',
      );
    return this.answer(license, principal, {
      fields: this.visible(license, subject.fields, principal),
      action: 'verify',
    });
  }

  async byPresentation(
    token: string,
    nonce: string | undefined,
    principal: Principal | undefined,
  ): Promise<VerificationResult> {
    await this.ensureKeyKnown(token.split('~')[0] ?? '');
    const now = this.deps.clock.now();
    const verdict = verifyLicensePresentation(token, {
      trust: this.trust,
      statusLists: this.noLists,
      now,
      clockToleranceSeconds: 0,
      ...(nonce !== undefined ? { nonce } : {}),
    });
    if (!verdict.authentic || !verdict.claims)
      return verificationFailure(
        verdict.failure?.code ?? 'PRESENTATION_INVALID',
        verdict.failure?.message ?? 'Not authentic',
      );
    const actor = actorOf(principal);
    if (!(await this.deps.presentations.consume(verdict.claims.jti, now, actor))) {
      const row = await this.deps.presentations.byId(verdict.claims.jti);
      if (!row) return verificationFailure('PRESENTATION_INVALID', 'This QR code was not issued by this node');
      if (row.usedAt)
        return verificationFailure(
          'PRESENTATION_ALREADY_USED',
          'This QR code was already shown; ask the holder for a new one',
        );
      return verificationFailure('PRESENTATION_EXPIRED', 'The QR code has expired; ask the holder for a new one');
    }
    const license = await this.licenseByIdentifier(verdict.claims.license.identifier);
    if (!license) return verificationFailure('PRESENTATION_INVALID', 'The QR code names an unknown license');
    // The holder chose these fields for this verifier: they are shown whatever the verifier's rights.
    return this.answer(license, principal, { fields: verdict.fields, action: 'present', holderNameVisible: true });
  }

  private visible(
    license: VerifiedLicense,
    fields: Record<string, FieldValue>,
    principal: Principal | undefined,
  ): Record<string, FieldValue> {
    const rights = fieldRightsOf(principal);
    if (rights === 'all') return fields;
    if (rights === 'none') return {};
    const hidden = new Set(sensitiveFields(typeDefinitionOf(license.type).fieldSchema));
    return Object.fromEntries(Object.entries(fields).filter(([name]) => !hidden.has(name)));
  }

  private async answer(
    license: VerifiedLicense,
    principal: Principal | undefined,
    shown: { fields: Record<string, FieldValue>; action: 'verify' | 'present'; holderNameVisible?: boolean },
  ): Promise<VerificationResult> {
    const status = effectiveStatus(license, this.deps.clock.now());
    await this.deps.usage.record({
      holderCode: license.holderCode,
      licenseId: license.id,
      identifier: license.identifier,
      action: shown.action,
      actor: actorOf(principal),
      purpose: null,
    });
    const nameVisible = shown.holderNameVisible === true || fieldRightsOf(principal) !== 'none';
    return {
      authentic: true,
      valid: status === 'active',
      status,
      identifier: license.identifier,
      type: { code: license.typeCode, name: license.type.name },
      issuer: { code: license.issuerCode, name: license.issuerName },
      holderName: nameVisible ? license.holderName : maskName(license.holderName),
      validFrom: license.validFrom.toISOString(),
      validUntil: license.validUntil?.toISOString() ?? null,
      fields: shown.fields,
      failure: null,
    };
  }

  private async licenseByIdentifier(identifier: string): Promise<VerifiedLicense | null> {
    const load = (id: string) => this.deps.licenses.rowByIdentifier(id);
    return this.withType(await (this.deps.rows ? this.deps.rows.get(identifier, load) : load(identifier)));
  }

  private async withType(row: License | null): Promise<VerifiedLicense | null> {
    if (!row) return null;
    let type = this.typeVersions.get(row.typeId);
    if (!type) {
      type = (await this.deps.types.byId(row.typeId)) ?? undefined;
      if (!type) return null;
      this.typeVersions.set(type.id, type);
    }
    return { ...row, type };
  }

  /** Trusts a key of this node the first time a token names it (issuer keys are created on first use). */
  private async ensureKeyKnown(jwt: string): Promise<void> {
    const kid = parseJws(jwt)?.header.kid;
    if (typeof kid !== 'string' || this.trust.keyFor(kid)) return;
    const issuer = await this.deps.keys.publishedKey(kid);
    if (issuer) this.trust.add(issuer);
  }
}
