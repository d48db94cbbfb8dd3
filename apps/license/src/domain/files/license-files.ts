// License files: rendered from the type version the license was issued under, sealed by the issuing
// authority's seal at the seal service, and handed out only once sealed. Issuing writes the file row
// as pending_seal (the outbox); this worker renders and seals it after commit and, when the seal
// service is down or refuses, retries with backoff. The license itself is valid all along: it is a
// signed credential; the file is its printable, sealed form.
import { createHash } from 'node:crypto';
import { AppError, type FieldValue, type LicenseFileView, type Principal } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { LicenseFileRepository, LicenseFileRow } from '../../repositories/license-files.ts';
import type { LicenseRecord, LicenseRepository } from '../../repositories/licenses.ts';
import type { GrantRepository } from '../../repositories/grants.ts';
import { actorOf } from '../holders/holder-code.ts';
import { effectiveStatus } from '../licenses/license-view.ts';
import { typeDefinitionOf } from '../types/license-types.ts';
import type { UsageLog } from '../usage/usage-log.ts';
import { renderLicensePdf, type LicenseDocument, type SealAnchor } from './license-pdf.ts';
import type { LicenseSealer } from './license-sealer.ts';

export const FILE_READ_SCOPE = 'license:read';

export interface LicenseFilesOptions {
  claimSize: number;
  leaseSeconds: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** Base URL of this node: the QR code points at `<url>/verify/<identifier>`. */
  publicUrl: string;
}

function anchorOf(json: unknown): SealAnchor {
  const { page, x, y } = (json ?? {}) as Partial<Record<keyof SealAnchor, unknown>>;
  if (typeof page !== 'number' || typeof x !== 'number' || typeof y !== 'number')
    throw new Error('the stored rendering has no seal anchor');
  return { page, x, y };
}

/** Same license, same version → same key: the seal service returns the first result, never seals twice. */
export const sealingKey = (license: { id: string; version: number }) =>
  `license-file:${license.id}:v${license.version}`;

/** Told of each failed sealing attempt (the service logs it: the file only keeps a short reason). */
export type SealingFailureListener = (failure: { licenseId: string; error: unknown; retryAt: Date }) => void;

export class LicenseFiles {
  private readonly failureListeners: SealingFailureListener[] = [];

  onSealingFailed(listener: SealingFailureListener): void {
    this.failureListeners.push(listener);
  }

  constructor(
    private readonly deps: {
      files: LicenseFileRepository;
      licenses: LicenseRepository;
      grants: GrantRepository;
      usage: UsageLog;
      /** Undefined when no seal service is configured: files stay pending_seal (development only). */
      sealer: LicenseSealer | undefined;
      clock: Clock;
      options: LicenseFilesOptions;
    },
  ) {}

  get sealing(): boolean {
    return this.deps.sealer !== undefined;
  }

  /** Seals the files that are due; returns how many it worked on (0 = nothing to do). */
  async processRound(): Promise<number> {
    if (!this.deps.sealer) return 0;
    const now = this.deps.clock.now();
    const { claimSize, leaseSeconds } = this.deps.options;
    const due = await this.deps.files.claimDue(claimSize, now, new Date(now.getTime() + leaseSeconds * 1000));
    for (const licenseId of due) await this.sealOne(licenseId);
    return due.length;
  }

  private async sealOne(licenseId: string): Promise<void> {
    const sealer = this.deps.sealer;
    const file = await this.deps.files.byLicenseId(licenseId);
    if (!sealer || !file || file.state === 'sealed') return;
    try {
      const license = await this.deps.licenses.byId(licenseId);
      if (!license) throw new Error(`license ${licenseId} of a file is missing`);
      const kept = file.renderedPdf ? file : await this.render(license);
      const sealed = await sealer.seal(new Uint8Array(kept.renderedPdf as Uint8Array), {
        issuerCode: license.issuerCode,
        idempotencyKey: sealingKey(license),
        anchor: anchorOf(kept.sealAnchor),
        reason: `电子证照签发 ${license.identifier}`,
      });
      await this.deps.files.markSealed(licenseId, {
        pdf: sealed.pdf,
        sha256: createHash('sha256').update(sealed.pdf).digest('hex'),
        sealId: sealed.sealId,
        signature: { ...sealed.signature },
        at: this.deps.clock.now(),
      });
    } catch (error) {
      const { retryBaseSeconds, retryMaxSeconds } = this.deps.options;
      const delay = Math.min(retryBaseSeconds * 2 ** Math.min(file.attempts, 20), retryMaxSeconds);
      const message = error instanceof AppError ? `${error.code}: ${error.message}` : 'unexpected error while sealing';
      const retryAt = new Date(this.deps.clock.now().getTime() + delay * 1000);
      await this.deps.files.markFailed(licenseId, retryAt, message);
      for (const listener of this.failureListeners) listener({ licenseId, error, retryAt });
    }
  }

  private async render(license: LicenseRecord): Promise<LicenseFileRow> {
    const definition = typeDefinitionOf(license.type);
    const properties = definition.fieldSchema.properties;
    const values = license.fields as Record<string, FieldValue>;
    // The layout's order first, then any field it does not name, so no field is left off the file.
    const order = [
      ...definition.layout.fieldOrder,
      ...Object.keys(properties).filter((name) => !definition.layout.fieldOrder.includes(name)),
    ];
    const document: LicenseDocument = {
      identifier: license.identifier,
      typeName: license.type.name,
      layout: definition.layout,
      issuer: { name: license.issuerName, code: license.issuerCode },
      holder: {
        name: license.holderName,
        codeType: license.holderCodeType === '111' ? 'citizen_id' : 'credit_code',
        code: license.holderCode,
      },
      fields: order
        .filter((name) => values[name] !== undefined)
        .map((name) => ({ label: properties[name]?.title ?? name, value: values[name] as FieldValue })),
      validFrom: license.validFrom,
      validUntil: license.validUntil,
      issuedAt: license.issuedAt,
      verificationUrl: `${this.deps.options.publicUrl}/verify/${license.identifier}`,
    };
    const { pdf, anchor } = await renderLicensePdf(document);
    return this.deps.files.keepRendering(license.id, pdf, { ...anchor });
  }

  /**
   * The file for a clerk (license:read), the holder (or an agent acting for it), or a third party
   * whose active use grant covers every field of the license: the file shows all of them.
   */
  async read(
    principal: Principal | undefined,
    request: { identifier: string; grantId?: string | undefined; purpose?: string | undefined },
  ): Promise<LicenseFileView> {
    if (!principal) throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
    const license = await this.deps.licenses.byIdentifier(request.identifier);
    if (!license) throw new AppError('LICENSE_NOT_FOUND', `No license ${request.identifier}`);
    const clerk = principal.scopes.includes(FILE_READ_SCOPE);
    const holder = principal.subjectCode !== undefined && principal.subjectCode === license.holderCode;
    if (!clerk && !holder) await this.checkGrant(principal, license, request);
    const file = await this.deps.files.byLicenseId(license.id);
    if (!file) throw new AppError('LICENSE_NOT_FOUND', `No file for license ${request.identifier}`);
    return {
      identifier: license.identifier,
      state: file.state,
      pdf: file.state === 'sealed' && file.sealedPdf ? Buffer.from(file.sealedPdf).toString('base64') : null,
      sha256: file.state === 'sealed' ? file.sha256 : null,
      sealedAt: file.sealedAt?.toISOString() ?? null,
      attempts: file.attempts,
    };
  }

  private async checkGrant(
    principal: Principal,
    license: LicenseRecord,
    request: { grantId?: string | undefined; purpose?: string | undefined },
  ): Promise<void> {
    if (!request.grantId)
      throw new AppError('LICENSE_FILE_FORBIDDEN', 'Only clerks, the holder or a grantee may read this license file');
    const grant = await this.deps.grants.byId(request.grantId);
    if (!grant || grant.licenseId !== license.id) throw new AppError('GRANT_NOT_FOUND', 'No such grant');
    if (!principal.clientId || principal.clientId !== grant.granteeId)
      throw new AppError('GRANT_WRONG_PARTY', 'The grant was given to another party');
    const now = this.deps.clock.now();
    if (grant.revokedAt) throw new AppError('GRANT_REVOKED', 'The holder revoked this grant');
    if (grant.expiresAt <= now) throw new AppError('GRANT_EXPIRED', 'The grant has expired');
    if (request.purpose !== grant.purpose)
      throw new AppError('GRANT_PURPOSE_MISMATCH', 'The grant does not cover this purpose');
    const missing = Object.keys(license.fields as object).filter((name) => !grant.fields.includes(name));
    if (missing.length > 0)
      throw new AppError(
        'GRANT_FIELDS_INSUFFICIENT',
        `The license file shows every field; the grant does not cover ${missing.join(', ')}`,
      );
    const status = effectiveStatus(license, now);
    if (status !== 'active') throw new AppError('LICENSE_NOT_VALID', `The license is ${status}`);
    await this.deps.usage.record({
      holderCode: license.holderCode,
      licenseId: license.id,
      identifier: license.identifier,
      action: 'fetch-file',
      actor: actorOf(principal),
      purpose: grant.purpose,
    });
  }
}
