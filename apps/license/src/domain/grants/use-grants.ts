// 用证授权: a holder lets a named third party (an app or department, identified by its client id)
// fetch a license for a stated purpose, with chosen fields, until an expiry. The fetch yields an
// annotated copy (加注件) carrying the purpose and its own, shorter expiry, signed by the issuer key.
// No active grant for this caller → no data.
import { AppError, type AnnotatedCopy, type FieldValue, type Principal } from '@platform/contracts';
import { COPY_TYP } from '@platform/license-verifier';
import { addSeconds, type Clock } from '../../clock.ts';
import type { GrantRepository, GrantRow } from '../../repositories/grants.ts';
import type { LicenseRepository } from '../../repositories/licenses.ts';
import { signJws } from '../credentials/license-credential.ts';
import { actorOf, holderCodeOf } from '../holders/holder-code.ts';
import type { IssuerKeys } from '../keys/issuer-keys.ts';
import { effectiveStatus } from '../licenses/license-view.ts';
import { checkFieldNames, heldLicense } from '../presentations/presentations.ts';
import type { UsageLog } from '../usage/usage-log.ts';

export function grantView(grant: GrantRow, now: Date) {
  return {
    id: grant.id,
    identifier: grant.license.identifier,
    granteeId: grant.granteeId,
    granteeName: grant.granteeName,
    purpose: grant.purpose,
    fields: grant.fields,
    expiresAt: grant.expiresAt.toISOString(),
    createdAt: grant.createdAt.toISOString(),
    revokedAt: grant.revokedAt?.toISOString() ?? null,
    status: grant.revokedAt
      ? ('revoked' as const)
      : grant.expiresAt <= now
        ? ('expired' as const)
        : ('active' as const),
  };
}

export class UseGrants {
  constructor(
    private readonly deps: {
      grants: GrantRepository;
      licenses: LicenseRepository;
      keys: IssuerKeys;
      usage: UsageLog;
      clock: Clock;
      copyTtlSeconds: number;
      nodeUrl: string;
    },
  ) {}

  async create(
    principal: Principal | undefined,
    request: {
      identifier: string;
      granteeId: string;
      granteeName: string;
      purpose: string;
      fields: string[];
      expiresAt: string;
    },
  ): Promise<GrantRow> {
    const license = await heldLicense(this.deps.licenses, principal, request.identifier);
    checkFieldNames(license, request.fields);
    const now = this.deps.clock.now();
    const expiresAt = new Date(request.expiresAt);
    if (expiresAt <= now)
      throw new AppError('VALIDATION_FAILED', 'expiresAt must be in the future', {
        issues: [{ path: 'expiresAt', message: 'must be in the future' }],
      });
    if (effectiveStatus(license, now) !== 'active')
      throw new AppError('LICENSE_NOT_VALID', 'Only a valid license can be granted for use');
    return this.deps.grants.create({
      licenseId: license.id,
      holderCode: license.holderCode,
      granteeId: request.granteeId,
      granteeName: request.granteeName,
      purpose: request.purpose,
      fields: [...new Set(request.fields)],
      expiresAt,
      createdAt: now,
      createdBy: actorOf(principal),
    });
  }

  list(principal: Principal | undefined): Promise<GrantRow[]> {
    return this.deps.grants.forHolder(holderCodeOf(principal));
  }

  async revoke(principal: Principal | undefined, grantId: string): Promise<GrantRow> {
    const holderCode = holderCodeOf(principal);
    const grant = await this.deps.grants.byId(grantId);
    // Another holder's grant looks exactly like a missing one.
    if (!grant || grant.holderCode !== holderCode) throw new AppError('GRANT_NOT_FOUND', 'No such grant');
    if (!(await this.deps.grants.revoke(grantId, holderCode, this.deps.clock.now())))
      throw new AppError('GRANT_REVOKED', 'The grant was already revoked');
    return (await this.deps.grants.byId(grantId)) as GrantRow;
  }

  async fetch(principal: Principal | undefined, request: { grantId: string; purpose: string }): Promise<AnnotatedCopy> {
    const grant = await this.deps.grants.byId(request.grantId);
    if (!grant) throw new AppError('GRANT_NOT_FOUND', 'No such grant');
    const caller = principal?.clientId;
    if (!caller || caller !== grant.granteeId)
      throw new AppError('GRANT_WRONG_PARTY', 'The grant was given to another party');
    const now = this.deps.clock.now();
    if (grant.revokedAt) throw new AppError('GRANT_REVOKED', 'The holder revoked this grant');
    if (grant.expiresAt <= now) throw new AppError('GRANT_EXPIRED', 'The grant has expired');
    if (request.purpose !== grant.purpose)
      throw new AppError('GRANT_PURPOSE_MISMATCH', 'The grant does not cover this purpose');
    const license = await this.deps.licenses.byIdentifier(grant.license.identifier);
    if (!license) throw new AppError('GRANT_NOT_FOUND', 'No such grant');
    const status = effectiveStatus(license, now);
    if (status !== 'active') throw new AppError('LICENSE_NOT_VALID', `The license is ${status}`);
    const all = license.fields as Record<string, FieldValue>;
    const fields = Object.fromEntries(
      grant.fields.filter((name) => Object.hasOwn(all, name)).map((name) => [name, all[name] as FieldValue]),
    );
    const copyUntil = new Date(
      Math.min(grant.expiresAt.getTime(), addSeconds(now, this.deps.copyTtlSeconds).getTime()),
    );
    const body = {
      identifier: license.identifier,
      type: { code: license.typeCode, name: license.type.name },
      issuer: { code: license.issuerCode, name: license.issuerName },
      holderName: license.holderName,
      status,
      fields,
      annotation: {
        madeAt: now.toISOString(),
        madeBy: this.deps.nodeUrl,
        purpose: grant.purpose,
        usedBy: `${grant.granteeName} (${grant.granteeId})`,
        validUntil: copyUntil.toISOString(),
      },
    };
    const signed = await signJws(body, await this.deps.keys.signingKey(license.issuerCode), COPY_TYP);
    await this.deps.usage.record({
      holderCode: license.holderCode,
      licenseId: license.id,
      identifier: license.identifier,
      action: 'fetch',
      actor: actorOf(principal),
      purpose: grant.purpose,
    });
    return { ...body, signed };
  }
}
