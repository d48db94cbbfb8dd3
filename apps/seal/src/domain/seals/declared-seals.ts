// Development seals declared by configuration (env BOOTSTRAP_SEALS), so that `npm start`, the
// compose file and the end-to-end suite have the seals the other services sign with: the license
// issuing authorities' official seals, the collecting units' finance seals, the finance bureau's
// supervision seal. Each goes through the real lifecycle (apply, four-eyes approve, make, file,
// activate), recorded with the bootstrap actors below, and is authorised for the declared callers.
// Production refuses the declaration: there, seals are applied for and approved by people.
import { SealApplication, SealKind } from '@platform/contracts';
import { z } from 'zod';
import type { Authorizations } from '../authorization/authorizations.ts';
import type { SealLifecycle } from './seal-lifecycle.ts';

export const BOOTSTRAP_APPLICANT = 'bootstrap:applicant';
export const BOOTSTRAP_APPROVER = 'bootstrap:approver';
const REASON = 'declared in BOOTSTRAP_SEALS (development)';
const VALIDITY_MS = 5 * 365 * 24 * 3600 * 1000;

const DeclaredSeal = z.strictObject({
  orgCode: SealApplication.shape.orgCode,
  orgName: SealApplication.shape.orgName,
  kind: SealKind,
  name: SealApplication.shape.name.optional(),
  /** Who may sign with it (identity subjects; a service's client id), and for which documents. */
  authorize: z.strictObject({
    subjects: z.array(z.string().min(1)).min(1),
    documentTypes: z.array(z.string().min(1)).min(1),
  }),
});
export type DeclaredSeal = z.infer<typeof DeclaredSeal>;

/** Parses the env value: a JSON array of seals; empty or unset means none. */
export const DeclaredSeals = z
  .string()
  .optional()
  .transform((text, ctx): DeclaredSeal[] => {
    if (!text?.trim()) return [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of seals' });
      return z.NEVER;
    }
    const parsed = z.array(DeclaredSeal).safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      ctx.addIssue({ code: 'custom', message: `[${first?.path.join('.')}] ${first?.message}` });
      return z.NEVER;
    }
    return parsed.data;
  });

const KIND_NAMES: Record<SealKind, string> = {
  official: '公章',
  contract: '合同专用章',
  finance: '财务专用章',
  invoice: '发票专用章',
  business: '业务专用章',
};

/**
 * Makes sure each declared seal is active and authorised; does nothing for those that already
 * are, so it runs on every start. (One replica at a time: it is a development convenience.)
 */
export async function declareSeals(
  parts: { lifecycle: SealLifecycle; authorizations: Authorizations; now: () => Date },
  declared: DeclaredSeal[],
): Promise<void> {
  for (const seal of declared) {
    const active = await parts.lifecycle.list({ orgCode: seal.orgCode, status: 'active', limit: 200 });
    const existing = active.find((candidate) => candidate.kind === seal.kind);
    const sealId = existing?.id ?? (await makeActive(parts, seal));
    const grants = await parts.authorizations.list(sealId);
    const now = parts.now().getTime();
    const covered = grants.some(
      (grant) =>
        !grant.revokedAt &&
        grant.validUntil.getTime() > now &&
        grant.maxUses === null &&
        !grant.requiresApproval &&
        seal.authorize.subjects.every((subject) => grant.subjects.includes(subject)) &&
        seal.authorize.documentTypes.every((type) => grant.documentTypes.includes(type)),
    );
    if (!covered)
      await parts.authorizations.grant(BOOTSTRAP_APPROVER, {
        sealId,
        subjects: seal.authorize.subjects,
        documentTypes: seal.authorize.documentTypes,
        validUntil: new Date(now + VALIDITY_MS).toISOString(),
        maxUses: null,
        requiresApproval: false,
        approvers: [],
      });
  }
}

async function makeActive(parts: { lifecycle: SealLifecycle; now: () => Date }, seal: DeclaredSeal): Promise<string> {
  const { lifecycle } = parts;
  const applied = await lifecycle.apply(BOOTSTRAP_APPLICANT, {
    orgCode: seal.orgCode,
    orgName: seal.orgName,
    name: seal.name ?? `${seal.orgName}${KIND_NAMES[seal.kind]}`,
    kind: seal.kind,
    keyAlgorithm: 'rsa-2048',
    widthMm: 42,
    heightMm: 42,
    validUntil: new Date(parts.now().getTime() + VALIDITY_MS).toISOString(),
    reason: REASON,
  });
  await lifecycle.approve(applied.id, BOOTSTRAP_APPROVER, REASON);
  await lifecycle.make(applied.id, BOOTSTRAP_APPLICANT, REASON);
  await lifecycle.file(applied.id, BOOTSTRAP_APPLICANT, REASON);
  await lifecycle.activate(applied.id, BOOTSTRAP_APPROVER, REASON);
  return applied.id;
}
