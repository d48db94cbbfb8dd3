// The seal lifecycle over HTTP: every change audited with actor and reason, the four-eyes rule,
// illegal transitions refused by the service and by the database itself, revocation on loss and
// cancellation, expiry once validity ends, and the scopes each procedure needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSeal, expectAppError, ORG_CODE, startSealNode, type SealNode } from './support/seal-node.ts';
import { certificateFacts } from '../src/domain/ca/certificate-facts.ts';

let node: SealNode;
beforeAll(async () => {
  node = await startSealNode();
});
afterAll(async () => {
  await node?.close();
});

const application = (validUntil = new Date(Date.now() + 30 * 86400_000).toISOString()) => ({
  orgCode: ORG_CODE,
  orgName: '济南泉城软件有限公司',
  name: '济南泉城软件有限公司公章',
  kind: 'official' as const,
  validUntil,
  reason: '新设立单位刻制公章',
});

describe('seal lifecycle', () => {
  it('goes apply → approve → make → file → active, auditing each step with actor and reason', async () => {
    const clerk = node.as('clerk-1', 'seal:admin');
    const chief = node.as('chief-1', 'seal:admin');
    const applied = await clerk.seal.applyFor.mutate(application());
    expect(applied).toMatchObject({ status: 'applied', appliedBy: 'clerk-1', certificate: null, approvedBy: null });
    await chief.seal.approve.mutate({ sealId: applied.id, reason: '材料齐全' });
    const made = await clerk.seal.make.mutate({ sealId: applied.id });
    expect(made.status).toBe('made');
    const facts = certificateFacts(Buffer.from(made.certificate!.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    expect(facts.x509.subject).toContain(`organizationIdentifier=${ORG_CODE}`);
    expect(facts.notAfter.toISOString()).toBe(made.validUntil);
    const filed = await clerk.seal.file.mutate({ sealId: applied.id });
    expect(filed.filingNumber).toMatch(/^DEV-370102-[0-9A-F]{12}$/);
    const active = await clerk.seal.activate.mutate({ sealId: applied.id, reason: '启用' });
    expect(active.status).toBe('active');

    const events = await clerk.seal.events.query({ sealId: applied.id });
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.actor, e.reason])).toEqual([
      [null, 'applied', 'clerk-1', '新设立单位刻制公章'],
      ['applied', 'approved', 'chief-1', '材料齐全'],
      ['approved', 'made', 'clerk-1', null],
      ['made', 'filed', 'clerk-1', null],
      ['filed', 'active', 'clerk-1', '启用'],
    ]);
    const png = await clerk.seal.image.query({ sealId: applied.id, format: 'png' });
    expect(Buffer.from(png.base64, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    const svg = await clerk.seal.image.query({ sealId: applied.id, format: 'svg' });
    expect(Buffer.from(svg.base64, 'base64').toString('utf8')).toContain('济');
  });

  it('refuses approval by the applicant (four-eyes), in the service and in the database', async () => {
    const clerk = node.as('clerk-2', 'seal:admin');
    const applied = await clerk.seal.applyFor.mutate(application());
    await expectAppError(clerk.seal.approve.mutate({ sealId: applied.id }), 'SEAL_SAME_PERSON_APPROVAL');
    await expect(
      node.db
        .$executeRaw`UPDATE "seal" SET "status" = 'approved', "approved_by" = 'clerk-2' WHERE "id" = ${applied.id}::uuid`,
    ).rejects.toThrow(/seal_approver_not_applicant/);
    expect((await clerk.seal.get.query({ sealId: applied.id })).status).toBe('applied');
  });

  it('refuses transitions the lifecycle does not allow, and the database refuses them too', async () => {
    const clerk = node.as('clerk-1', 'seal:admin');
    const applied = await clerk.seal.applyFor.mutate(application());
    await expectAppError(clerk.seal.make.mutate({ sealId: applied.id }), 'SEAL_TRANSITION_INVALID');
    await expectAppError(clerk.seal.activate.mutate({ sealId: applied.id }), 'SEAL_TRANSITION_INVALID');
    await expectAppError(clerk.seal.suspend.mutate({ sealId: applied.id, reason: 'x' }), 'SEAL_TRANSITION_INVALID');

    const seal = await activeSeal(node);
    await clerk.seal.cancel.mutate({ sealId: seal.id, reason: '单位注销' });
    await expectAppError(clerk.seal.reinstate.mutate({ sealId: seal.id }), 'SEAL_TRANSITION_INVALID');
    for (const status of ['active', 'suspended', 'lost', 'applied']) {
      await expect(
        node.db.$executeRawUnsafe(`UPDATE "seal" SET "status" = '${status}' WHERE "id" = '${seal.id}'`),
      ).rejects.toThrow(/illegal seal transition cancelled -> /);
    }
    await expect(
      node.db.$executeRaw`INSERT INTO "seal" ("id", "org_code", "org_name", "name", "kind", "status", "key_algorithm",
        "width_mm", "height_mm", "valid_until", "applied_by", "updated_at")
        VALUES (gen_random_uuid(), ${ORG_CODE}, 'x', 'x', 'official', 'active', 'rsa_2048', 40, 40, now() + interval '1 day', 'x', now())`,
    ).rejects.toThrow(/a seal starts applied/);
    await expect(node.db.$executeRaw`DELETE FROM "seal_event" WHERE "seal_id" = ${seal.id}::uuid`).rejects.toThrow(
      /append-only/,
    );
    expect((await clerk.seal.get.query({ sealId: seal.id })).status).toBe('cancelled');
  });

  it('suspends and reinstates, and revokes the certificate (CRL refreshed) when reported lost', async () => {
    const clerk = node.as('clerk-1', 'seal:admin');
    const seal = await activeSeal(node);
    expect((await clerk.seal.suspend.mutate({ sealId: seal.id, reason: '暂停使用' })).status).toBe('suspended');
    expect((await clerk.seal.reinstate.mutate({ sealId: seal.id })).status).toBe('active');
    const crlBefore = Buffer.from(await (await fetch(`${node.url}/ca/issuing.crl`)).arrayBuffer());
    const lost = await clerk.seal.reportLost.mutate({ sealId: seal.id, reason: '印章遗失' });
    expect(lost.status).toBe('lost');
    expect(lost.certificate!.revokedAt).not.toBeNull();
    const crl = Buffer.from(await (await fetch(`${node.url}/ca/issuing.crl`)).arrayBuffer());
    expect(crl.equals(crlBefore)).toBe(false);
    // The serial is hex without leading zeros: pad to whole bytes before looking for it.
    const serial = seal.certificate!.serial;
    expect(crl.includes(Buffer.from(serial.length % 2 ? `0${serial}` : serial, 'hex'))).toBe(true);
    // Lost seals can still be cancelled; the certificate stays revoked once.
    expect((await clerk.seal.cancel.mutate({ sealId: seal.id, reason: '遗失后注销' })).status).toBe('cancelled');
    const events = await clerk.seal.events.query({ sealId: seal.id });
    expect(events.slice(-4).map((e) => e.toStatus)).toEqual(['suspended', 'active', 'lost', 'cancelled']);
  });

  it('expires a seal once its validity has ended, on the next read, with a system event', async () => {
    const clerk = node.as('clerk-1', 'seal:admin');
    const seal = await activeSeal(node);
    await node.db.$executeRaw`ALTER TABLE "seal" DISABLE TRIGGER "seal_transition"`;
    await node.db
      .$executeRaw`UPDATE "seal" SET "valid_until" = now() - interval '1 second' WHERE "id" = ${seal.id}::uuid`;
    await node.db.$executeRaw`ALTER TABLE "seal" ENABLE TRIGGER "seal_transition"`;
    expect((await clerk.seal.get.query({ sealId: seal.id })).status).toBe('expired');
    const last = (await clerk.seal.events.query({ sealId: seal.id })).at(-1)!;
    expect(last).toMatchObject({ fromStatus: 'active', toStatus: 'expired', actor: 'system' });
  });

  it('answers 401 without a token and 403 without the scope, and writes nothing', async () => {
    const before = await node.db.seal.count();
    const noToken = await fetch(`${node.url}/api/seals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(application()),
    });
    expect(noToken.status).toBe(401);
    await expectAppError(node.anonymous.seal.applyFor.mutate(application()), 'UNAUTHENTICATED');
    await expectAppError(node.as('signer', 'seal:sign').seal.applyFor.mutate(application()), 'INSUFFICIENT_SCOPE');
    await expectAppError(node.as('nobody', 'license:read').seal.list.query({}), 'INSUFFICIENT_SCOPE');
    expect(await node.db.seal.count()).toBe(before);
    await expectAppError(
      node.as('clerk-1', 'seal:admin').seal.get.query({ sealId: crypto.randomUUID() }),
      'SEAL_NOT_FOUND',
    );
  });
});
