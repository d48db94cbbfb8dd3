// Revoke, suspend, reinstate and replace. Each change is one transaction: the license's status
// (changed only from an allowed status, so concurrent changes cannot both win), its bit in the
// issuer's status list, and an audit event with who and why.
import { AppError, type FieldValue } from '@platform/contracts';
import type { LicenseStatus } from '../../generated/prisma/client.ts';
import type { Clock } from '../../clock.ts';
import type { LicenseRecord, LicenseRepository } from '../../repositories/licenses.ts';
import { isUniqueViolation } from '@platform/db';
import type { StatusLists } from '../status/status-lists.ts';
import { fieldIssues } from '../types/field-schema.ts';
import { typeDefinitionOf } from '../types/license-types.ts';
import { requestHash, validityPeriod, type Actor, type LicenseIssuing } from './issuing.ts';
import { holderCodeType } from './license-view.ts';

type Change = 'revoke' | 'suspend' | 'reinstate';

const TRANSITIONS: Record<Change, { from: LicenseStatus[]; to: LicenseStatus; event: string }> = {
  revoke: { from: ['active', 'suspended'], to: 'revoked', event: 'revoked' },
  suspend: { from: ['active'], to: 'suspended', event: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active', event: 'reinstated' },
};

export class LicenseStatusChanges {
  constructor(
    private readonly deps: {
      licenses: LicenseRepository;
      statusLists: StatusLists;
      issuing: LicenseIssuing;
      clock: Clock;
      /**
       * Told once a change to a license has committed, so this replica's own caches drop it at
       * once (read-your-writes); other replicas learn of it through PostgreSQL NOTIFY.
       */
      committed?: (identifier: string) => void;
    },
  ) {}

  async find(identifier: string): Promise<LicenseRecord> {
    const license = await this.deps.licenses.byIdentifier(identifier);
    if (!license) throw new AppError('LICENSE_NOT_FOUND', `No license ${identifier}`);
    return license;
  }

  async change(identifier: string, change: Change, reason: string, actor: Actor): Promise<LicenseRecord> {
    const license = await this.find(identifier);
    const rule = TRANSITIONS[change];
    const changed = await this.deps.licenses.transaction(async (tx) => {
      if (!(await tx.changeStatus(license.id, rule.from, rule.to, reason)))
        throw new AppError(
          'LICENSE_STATUS_TRANSITION_NOT_ALLOWED',
          `Cannot ${change} a license that is ${(await tx.byId(license.id))?.status ?? license.status}`,
        );
      if (change === 'revoke')
        await this.deps.statusLists.set(tx, license.issuerCode, 'revocation', license.statusIndex, true);
      // Suspension is its own list, so lifting it leaves no trace in the revocation list.
      if (change === 'suspend' || (change === 'revoke' && license.status === 'suspended') || change === 'reinstate')
        await this.deps.statusLists.set(
          tx,
          license.issuerCode,
          'suspension',
          license.statusIndex,
          change === 'suspend',
        );
      await tx.addEvent({
        licenseId: license.id,
        type: rule.event,
        fromStatus: license.status,
        toStatus: rule.to,
        actor: actor.subject,
        actorClient: actor.clientId ?? null,
        reason,
        at: this.deps.clock.now(),
      });
      return (await tx.byId(license.id)) as LicenseRecord;
    });
    this.deps.committed?.(identifier);
    return changed;
  }

  /**
   * Issues the next version of a license (same serial, version + 1) and marks the old one replaced;
   * the old one's revocation bit is set so that offline verifiers stop accepting it. The new case id
   * is the idempotency key, as for issuing.
   */
  async replace(
    request: {
      identifier: string;
      caseId: string;
      reason: string;
      fields?: Record<string, FieldValue> | undefined;
      validUntil?: string | null | undefined;
    },
    actor: Actor,
  ): Promise<LicenseRecord> {
    const hash = requestHash({ replace: request });
    const existing = await this.deps.licenses.byCaseId(request.caseId);
    if (existing) return this.replay(existing, hash);
    const old = await this.find(request.identifier);
    const type = old.type;
    if (old.version >= 999)
      throw new AppError('LICENSE_STATUS_TRANSITION_NOT_ALLOWED', 'The license has no versions left');
    const fields = request.fields ?? (old.fields as Record<string, FieldValue>);
    const issues = fieldIssues(typeDefinitionOf(type).fieldSchema, fields);
    if (issues.length > 0)
      throw new AppError('LICENSE_FIELDS_INVALID', `The fields do not fit ${type.name}`, { issues });
    const now = this.deps.clock.now();
    const period = validityPeriod(
      type,
      {
        validFrom: now.toISOString(),
        validUntil: request.validUntil === undefined ? (old.validUntil?.toISOString() ?? null) : request.validUntil,
      },
      now,
    );
    try {
      const created = await this.deps.licenses.transaction(async (tx) => {
        if (!(await tx.changeStatus(old.id, ['active', 'suspended'], 'replaced', request.reason)))
          throw new AppError('LICENSE_STATUS_TRANSITION_NOT_ALLOWED', `Cannot replace a license that is ${old.status}`);
        await this.deps.statusLists.set(tx, old.issuerCode, 'revocation', old.statusIndex, true);
        await tx.addEvent({
          licenseId: old.id,
          type: 'replaced',
          fromStatus: old.status,
          toStatus: 'replaced',
          actor: actor.subject,
          actorClient: actor.clientId ?? null,
          reason: request.reason,
          at: now,
        });
        return this.deps.issuing.write(
          tx,
          {
            // Read with the type version it was issued under: a replacement keeps its template.
            type,
            holder: { codeType: holderCodeType(old.holderCodeType), code: old.holderCode, name: old.holderName },
            fields,
            ...period,
            caseId: request.caseId,
            requestHash: hash,
            serial: old.serial,
            version: old.version + 1,
            replacesId: old.id,
          },
          actor,
          'replacement',
        );
      });
      this.deps.committed?.(request.identifier);
      return created;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.deps.licenses.byCaseId(request.caseId);
      if (!winner) throw new AppError('CONFLICT', 'The license was replaced concurrently; reload it');
      return this.replay(winner, hash);
    }
  }

  private replay(existing: LicenseRecord, hash: string): LicenseRecord {
    if (existing.requestHash !== hash)
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        `Case ${existing.caseId} already produced license ${existing.identifier}`,
      );
    return existing;
  }
}
