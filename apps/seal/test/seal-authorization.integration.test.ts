// Authorisation to use a seal: subjects, document types, time window, maxUses counted atomically
// under parallel signing, revocation, and per-use approval (用印审批) by a second person, used once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealView } from '@platform/contracts';
import { activeSeal, expectAppError, startSealNode, writes, type SealNode } from './support/seal-node.ts';
import { samplePdf } from './support/pdfs.ts';

let node: SealNode;
let seal: SealView;
let pdf: string;

beforeAll(async () => {
  node = await startSealNode();
  seal = await activeSeal(node);
  pdf = (await samplePdf()).toString('base64');
});
afterAll(async () => {
  await node?.close();
});

const admin = () => node.as('chief-1', 'seal:admin');
const day = 86400_000;
const sign = (sub: string, key: string, extra: Record<string, unknown> = {}) =>
  node.as(sub, 'seal:sign').sign.pdf.mutate({
    sealId: seal.id,
    documentType: 'contract',
    idempotencyKey: key,
    pdf,
    placement: { page: 1, x: 300, y: 100 },
    ...extra,
  });

describe('authorisation to use a seal', () => {
  it('respects the time window and revocation', async () => {
    await admin().authorization.grant.mutate({
      sealId: seal.id,
      subjects: ['future-user'],
      documentTypes: ['contract'],
      validFrom: new Date(Date.now() + day).toISOString(),
      validUntil: new Date(Date.now() + 2 * day).toISOString(),
    });
    await expectAppError(sign('future-user', 'w-1'), 'AUTHORIZATION_NOT_YET_VALID');
    const past = await admin().authorization.grant.mutate({
      sealId: seal.id,
      subjects: ['past-user'],
      documentTypes: ['contract'],
      validUntil: new Date(Date.now() + 60_000).toISOString(),
    });
    await node.db
      .$executeRaw`UPDATE "seal_authorization" SET "valid_from" = now() - interval '2 days', "valid_until" = now() - interval '1 day' WHERE "id" = ${past.id}::uuid`;
    await expectAppError(sign('past-user', 'w-2'), 'AUTHORIZATION_EXPIRED');
    const revoked = await admin().authorization.grant.mutate({
      sealId: seal.id,
      subjects: ['revoked-user'],
      documentTypes: ['contract'],
      validUntil: new Date(Date.now() + day).toISOString(),
    });
    await sign('revoked-user', 'w-3');
    const after = await admin().authorization.revoke.mutate({ authorizationId: revoked.id });
    expect(after.revokedAt).not.toBeNull();
    await expectAppError(sign('revoked-user', 'w-4'), 'AUTHORIZATION_REVOKED');
    await expectAppError(
      node.as('clerk-9', 'seal:sign').authorization.list.query({ sealId: seal.id }),
      'INSUFFICIENT_SCOPE',
    );
    const listed = await admin().authorization.list.query({ sealId: seal.id });
    expect(listed.find((a) => a.id === revoked.id)).toMatchObject({ usedCount: 1, subjects: ['revoked-user'] });
  });

  it('never exceeds maxUses, even when many signatures race for the last uses', async () => {
    const grant = await admin().authorization.grant.mutate({
      sealId: seal.id,
      subjects: ['racer'],
      documentTypes: ['contract'],
      validUntil: new Date(Date.now() + day).toISOString(),
      maxUses: 3,
    });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => sign('racer', `race-${i}`)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(3);
    for (const r of results) {
      if (r.status === 'rejected') await expectAppError(Promise.reject(r.reason), 'AUTHORIZATION_EXHAUSTED');
    }
    const row = await node.db.sealAuthorization.findUniqueOrThrow({ where: { id: grant.id } });
    expect(row.usedCount).toBe(3);
    expect(await node.db.signingOperation.count({ where: { authorizationId: grant.id } })).toBe(3);
    // The database refuses more uses than allowed, whoever writes.
    await expect(
      node.db.$executeRaw`UPDATE "seal_authorization" SET "used_count" = 4 WHERE "id" = ${grant.id}::uuid`,
    ).rejects.toThrow(/seal_authorization_uses_within_max/);
  });
});

describe('approval of each use (用印审批)', () => {
  it('needs an approved request from someone else, good for exactly one signature', async () => {
    await admin().authorization.grant.mutate({
      sealId: seal.id,
      subjects: ['clerk-a'],
      documentTypes: ['contract'],
      validUntil: new Date(Date.now() + day).toISOString(),
      requiresApproval: true,
      approvers: ['head-b', 'clerk-a'],
    });
    await expectAppError(sign('clerk-a', 'ap-0'), 'USAGE_APPROVAL_REQUIRED');
    const requester = node.as('clerk-a', 'seal:sign seal:approve');
    const request = await requester.usage.request.mutate({
      sealId: seal.id,
      documentType: 'contract',
      purpose: '采购合同盖章',
    });
    expect(request).toMatchObject({ status: 'pending', requestedBy: 'clerk-a', sealId: seal.id });

    await expectAppError(sign('clerk-a', 'ap-1', { usageRequestId: request.id }), 'USAGE_REQUEST_NOT_APPROVED');
    await expectAppError(requester.usage.approve.mutate({ usageRequestId: request.id }), 'SEAL_SAME_PERSON_APPROVAL');
    await expect(
      node.db
        .$executeRaw`UPDATE "usage_request" SET "status" = 'approved', "decided_by" = 'clerk-a', "decided_at" = now() WHERE "id" = ${request.id}::uuid`,
    ).rejects.toThrow(/usage_request_decider_not_requester/);
    await expectAppError(
      node.as('outsider', 'seal:approve').usage.approve.mutate({ usageRequestId: request.id }),
      'NOT_AN_APPROVER',
    );
    const head = node.as('head-b', 'seal:approve');
    expect((await head.usage.pending.query({ sealId: seal.id })).map((r) => r.id)).toEqual([request.id]);
    expect(await requester.usage.pending.query({ sealId: seal.id })).toEqual([]);
    const approved = await head.usage.approve.mutate({ usageRequestId: request.id, reason: '同意' });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'head-b', decisionReason: '同意' });

    await expectAppError(
      sign('clerk-a', 'ap-2', { usageRequestId: request.id, documentType: 'license' }),
      'USAGE_REQUEST_MISMATCH',
    );
    const signed = await sign('clerk-a', 'ap-3', { usageRequestId: request.id });
    expect(signed.signature.sealId).toBe(seal.id);
    const used = await node.db.usageRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(used.status).toBe('used');
    const before = await writes(node.db);
    await expectAppError(sign('clerk-a', 'ap-4', { usageRequestId: request.id }), 'USAGE_REQUEST_ALREADY_USED');
    // The same key and request replays the one signature instead of spending another approval.
    expect(await sign('clerk-a', 'ap-3', { usageRequestId: request.id })).toEqual(signed);
    expect(await writes(node.db)).toEqual(before);
  });

  it('lets a usage request be used once even when two signatures race for it', async () => {
    const requester = node.as('clerk-c', 'seal:sign');
    await admin().authorization.grant.mutate({
      sealId: seal.id,
      subjects: ['clerk-c'],
      documentTypes: ['contract'],
      validUntil: new Date(Date.now() + day).toISOString(),
      requiresApproval: true,
    });
    const request = await requester.usage.request.mutate({
      sealId: seal.id,
      documentType: 'contract',
      purpose: '合同',
    });
    await node.as('head-b', 'seal:approve').usage.reject.mutate({ usageRequestId: request.id, reason: '材料不全' });
    await expectAppError(sign('clerk-c', 'r-0', { usageRequestId: request.id }), 'USAGE_REQUEST_NOT_APPROVED');
    const second = await requester.usage.request.mutate({ sealId: seal.id, documentType: 'contract', purpose: '合同' });
    await node.as('head-b', 'seal:approve').usage.approve.mutate({ usageRequestId: second.id });
    const results = await Promise.allSettled([
      sign('clerk-c', 'r-1', { usageRequestId: second.id }),
      sign('clerk-c', 'r-2', { usageRequestId: second.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await node.db.signingOperation.count({ where: { usageRequestId: second.id } })).toBe(1);
  });
});
