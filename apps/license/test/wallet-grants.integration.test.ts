// Holders' wallets (incl. an agent acting for a firm), use grants with annotated copies, and the
// hash-chained usage log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIRM_CODE,
  OTHER_PERSON_ID,
  PERSON_ID,
  businessLicenceRequest,
  drivingLicenceRequest,
} from './support/fixtures.ts';
import { expectAppError, startLicenseNode, type LicenseNode } from './support/node.ts';

let node: LicenseNode;
let drivingLicence: string;
let businessLicence: string;
beforeAll(async () => {
  node = await startLicenseNode();
  const clerk = node.client({ scope: 'license:issue license:manage' });
  drivingLicence = (await clerk.issue.mutate(drivingLicenceRequest('CASE-W-1'))).identifier;
  businessLicence = (await clerk.issue.mutate(businessLicenceRequest('CASE-W-2'))).identifier;
});
afterAll(() => node.close());

const person = (code = PERSON_ID) => node.client({ sub: `account-${code}`, subject_code: code, acr: '2' });
const bank = (clientId = 'bank-loan-app') => node.client({ sub: clientId, client_id: clientId, scope: '' });
const in1h = () => new Date(node.clock.now().getTime() + 3600_000).toISOString();

describe('wallet', () => {
  it('lists the holder’s own licenses, and a firm’s when an agent acts for it with license:holder', async () => {
    expect((await person().wallet.list.query()).map((l) => l.identifier)).toEqual([drivingLicence]);
    expect(await person(OTHER_PERSON_ID).wallet.list.query()).toEqual([]);
    const agent = (scope: string) =>
      node.client({ sub: 'account-firm', subject_code: FIRM_CODE, act: { sub: 'account-agent' }, acr: '2', scope });
    expect((await agent('license:holder').wallet.list.query()).map((l) => l.identifier)).toEqual([businessLicence]);
    // An agent authorised for other service items only (here: paying) reaches none of the firm's licenses.
    await expectAppError(agent('payment:pay').wallet.list.query(), 'INSUFFICIENT_SCOPE');
    await expectAppError(agent('payment:pay').usage.list.query(), 'INSUFFICIENT_SCOPE');
  });
});

describe('use grants (用证授权)', () => {
  it('gives the named party an annotated copy with the granted fields, purpose and its own expiry', async () => {
    const grant = await person().grants.create.mutate({
      identifier: drivingLicence,
      granteeId: 'bank-loan-app',
      granteeName: '齐鲁银行贷款审批系统',
      purpose: '个人消费贷款审批',
      fields: ['name', 'vehicleClasses'],
      expiresAt: in1h(),
    });
    expect(grant).toMatchObject({ status: 'active', identifier: drivingLicence, fields: ['name', 'vehicleClasses'] });
    const copy = await bank().grants.fetch.mutate({ grantId: grant.id, purpose: '个人消费贷款审批' });
    expect(copy.fields).toEqual({ name: '李明', vehicleClasses: ['C1'] });
    expect(copy.annotation).toMatchObject({
      purpose: '个人消费贷款审批',
      usedBy: '齐鲁银行贷款审批系统 (bank-loan-app)',
      validUntil: grant.expiresAt,
    });
    expect(copy.signed.split('.')).toHaveLength(3);
    expect((await person().grants.list.query()).map((g) => g.id)).toContain(grant.id);
  });

  it('gives nothing to another party, for another purpose, after expiry or after revocation', async () => {
    const grant = await person().grants.create.mutate({
      identifier: drivingLicence,
      granteeId: 'bank-loan-app',
      granteeName: '齐鲁银行',
      purpose: '车贷审批',
      fields: ['name'],
      expiresAt: in1h(),
    });
    await expectAppError(
      bank('insurance-app').grants.fetch.mutate({ grantId: grant.id, purpose: '车贷审批' }),
      'GRANT_WRONG_PARTY',
    );
    await expectAppError(bank().grants.fetch.mutate({ grantId: grant.id, purpose: '营销' }), 'GRANT_PURPOSE_MISMATCH');
    await expectAppError(
      bank().grants.fetch.mutate({ grantId: '00000000-0000-4000-8000-000000000000', purpose: '车贷审批' }),
      'GRANT_NOT_FOUND',
    );
    const start = node.clock.now();
    node.clock.advanceSeconds(3601);
    await expectAppError(bank().grants.fetch.mutate({ grantId: grant.id, purpose: '车贷审批' }), 'GRANT_EXPIRED');
    node.clock.set(start);
    await expectAppError(person(OTHER_PERSON_ID).grants.revoke.mutate({ grantId: grant.id }), 'GRANT_NOT_FOUND');
    expect((await person().grants.revoke.mutate({ grantId: grant.id })).status).toBe('revoked');
    await expectAppError(bank().grants.fetch.mutate({ grantId: grant.id, purpose: '车贷审批' }), 'GRANT_REVOKED');
  });

  it('lets only the holder grant, and only fields of the type', async () => {
    const base = {
      identifier: drivingLicence,
      granteeId: 'x',
      granteeName: 'x',
      purpose: 'x',
      fields: ['name'],
      expiresAt: in1h(),
    };
    await expectAppError(person(OTHER_PERSON_ID).grants.create.mutate(base), 'NOT_LICENSE_HOLDER');
    await expectAppError(person().grants.create.mutate({ ...base, fields: ['income'] }), 'LICENSE_FIELD_UNKNOWN');
    await expectAppError(
      person().grants.create.mutate({ ...base, expiresAt: new Date(node.clock.now().getTime() - 1000).toISOString() }),
      'VALIDATION_FAILED',
    );
  });
});

describe('usage log', () => {
  it('records verifications and fetches for the holder in an intact hash chain, and detects tampering', async () => {
    await node.client({ sub: 'counter-3', scope: 'license:verify' }).verify.mutate({ identifier: drivingLicence });
    const log = await person().usage.list.query();
    expect(log.chainIntact).toBe(true);
    expect(log.entries.map((e) => e.seq)).toEqual(log.entries.map((_, i) => i + 1));
    expect(
      log.entries.some((e) => e.action === 'fetch' && e.actor === 'bank-loan-app' && e.purpose === '个人消费贷款审批'),
    ).toBe(true);
    expect(log.entries.at(-1)).toMatchObject({ action: 'verify', actor: 'counter-3', identifier: drivingLicence });
    // Someone edits a row in the database: the chain no longer verifies.
    await node.db.usageEntry.updateMany({ where: { holderCode: PERSON_ID, seq: 1 }, data: { actor: 'nobody' } });
    expect((await person().usage.list.query()).chainIntact).toBe(false);
  });
});
