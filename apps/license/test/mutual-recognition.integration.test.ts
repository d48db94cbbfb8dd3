// 互认互通 with a second license node acting as another region (江苏): its credentials are refused
// until an administrator trusts the node, then verified with its JWKS and status lists fetched over
// HTTP, read as the equivalent local type, and refused again once the node is removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_LICENCE, businessLicenceRequest, creditCode } from './support/fixtures.ts';
import { expectAppError, startLicenseNode, type LicenseNode } from './support/node.ts';

let home: LicenseNode;
let jiangsu: LicenseNode;
let credential: string;
let identifier: string;

const JS_AUTHORITY = creditCode('11320000MB1357246');
const JS_TYPE_CODE = creditCode('11320000MB1357246') + '001';
const jiangsuNode = () => ({
  issuerId: `${jiangsu.url}/issuers/${JS_AUTHORITY}`,
  name: '江苏省电子证照节点',
  region: '江苏省',
  jwksUrl: `${jiangsu.url}/issuers/${JS_AUTHORITY}/jwks.json`,
  statusListPrefix: `${jiangsu.url}/status-lists/${JS_AUTHORITY}/`,
  reason: '长三角与山东电子证照互认协议',
});

beforeAll(async () => {
  [home, jiangsu] = await Promise.all([startLicenseNode(), startLicenseNode({ reachable: true })]);
  const { code: _code, ...definition } = BUSINESS_LICENCE;
  await jiangsu.client({ scope: 'license:admin' }).types.create.mutate({
    ...definition,
    code: JS_TYPE_CODE,
    name: '营业执照（江苏）',
    issuingAuthority: { name: '江苏省市场监督管理局', code: JS_AUTHORITY },
  });
  const license = await jiangsu
    .client({ scope: 'license:issue' })
    .issue.mutate({ ...businessLicenceRequest('JS-CASE-1'), typeCode: JS_TYPE_CODE });
  credential = license.credential;
  identifier = license.identifier;
  // Each node has its own manual clock; the home node's must not run behind the issuing node's.
  home.clock.set(new Date(jiangsu.clock.now().getTime() + 1000));
});
afterAll(() => Promise.all([home.close(), jiangsu.close()]));

const admin = () => home.client({ sub: 'admin-1', scope: 'license:admin' });
const verifier = () => home.client({ sub: 'counter-1', scope: 'license:verify license:verify:sensitive' });

describe('mutual recognition', () => {
  it('recognises another region’s credential only after an administrator trusts its node (audited)', async () => {
    expect((await verifier().verify.mutate({ credential })).failure?.code).toBe('CREDENTIAL_ISSUER_UNKNOWN');
    await expectAppError(home.client({ scope: 'license:issue' }).trust.add.mutate(jiangsuNode()), 'INSUFFICIENT_SCOPE');

    await admin().trust.add.mutate(jiangsuNode());
    await expectAppError(admin().trust.add.mutate(jiangsuNode()), 'TRUSTED_NODE_EXISTS');
    await admin().trust.mapType.mutate({
      foreignTypeCode: JS_TYPE_CODE,
      localTypeCode: BUSINESS_LICENCE.code,
      reason: '同为市场主体营业执照',
    });

    const result = await verifier().verify.mutate({ credential });
    expect(result).toMatchObject({
      authentic: true,
      valid: true,
      status: 'active',
      identifier,
      type: { code: BUSINESS_LICENCE.code, name: BUSINESS_LICENCE.name },
      issuer: { code: JS_AUTHORITY, name: '江苏省市场监督管理局' },
      holderName: '济南泉城软件有限公司',
      failure: null,
      recognition: {
        region: '江苏省',
        issuerId: jiangsuNode().issuerId,
        foreignTypeCode: JS_TYPE_CODE,
        localTypeCode: BUSINESS_LICENCE.code,
      },
    });
    expect(result.fields).toEqual(businessLicenceRequest('x').fields);
    expect(await home.anonymous.verify.mutate({ credential })).toMatchObject({ authentic: true, fields: {} });

    const list = await home.anonymous.trust.list.query();
    expect(list.nodes.map((node) => [node.issuerId, node.addedBy])).toEqual([[jiangsuNode().issuerId, 'admin-1']]);
    const audit = await home.db.trustEvent.findMany({ orderBy: { id: 'asc' } });
    expect(audit.map((event) => [event.action, event.target, event.actor])).toEqual([
      ['trust.add', jiangsuNode().issuerId, 'admin-1'],
      ['type.map', JS_TYPE_CODE, 'admin-1'],
    ]);
  });

  it('sees a revocation in the other region once its status list is fetched again', async () => {
    await jiangsu.client({ scope: 'license:manage' }).revoke.mutate({ identifier, reason: '吊销' });
    home.clock.advanceSeconds(61);
    expect(await verifier().verify.mutate({ credential })).toMatchObject({
      authentic: true,
      valid: false,
      status: 'revoked',
    });
  });

  it('refuses a tampered foreign credential, and stops recognising a removed node', async () => {
    const [h, p, s] = credential.split('.') as [string, string, string];
    const body = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
      credentialSubject: { license: { fields: Record<string, unknown> } };
    };
    body.credentialSubject.license.fields.legalRepresentative = '李四';
    const tampered = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
    expect((await verifier().verify.mutate({ credential: tampered })).failure?.code).toBe(
      'CREDENTIAL_SIGNATURE_INVALID',
    );

    expect(await admin().trust.remove.mutate({ issuerId: jiangsuNode().issuerId, reason: '协议终止' })).toEqual({
      removed: true,
    });
    expect((await verifier().verify.mutate({ credential })).failure?.code).toBe('CREDENTIAL_ISSUER_UNKNOWN');
    expect((await home.db.trustEvent.findMany({ orderBy: { id: 'asc' } })).map((event) => event.action)).toEqual([
      'trust.add',
      'type.map',
      'trust.remove',
    ]);
  });
});
