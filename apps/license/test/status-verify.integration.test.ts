// Status changes (with their status-list bits and audit), verification by identifier, credential
// and QR, and the holder's QR presentations: single use, expiry, nonce binding, forgery.
import {
  StatusListCache,
  TrustStore,
  getBit,
  readStatusListCredential,
  verifyLicenseCredential,
  type PublicJwk,
} from '@platform/license-verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotOfIndex } from '../src/domain/status/status-lists.ts';
import { DRIVING_LICENCE, OTHER_PERSON_ID, PERSON_ID, drivingLicenceRequest } from './support/fixtures.ts';
import { expectAppError, startLicenseNode, type LicenseNode } from './support/node.ts';

let node: LicenseNode;
beforeAll(async () => {
  node = await startLicenseNode();
});
afterAll(() => node.close());

const ISSUER = DRIVING_LICENCE.issuingAuthority.code;
const clerk = () => node.client({ scope: 'license:issue license:manage license:read', sub: 'clerk-9' });
const holder = (code = PERSON_ID, acr = '2') => node.client({ sub: `account-${code}`, subject_code: code, acr });
let caseNo = 0;
const issue = () => clerk().issue.mutate(drivingLicenceRequest(`CASE-SV-${++caseNo}`));

async function trustAndLists() {
  const jwks = (await (await fetch(`${node.url}/issuers/${ISSUER}/jwks.json`)).json()) as { keys: PublicJwk[] };
  const trust = new TrustStore([{ id: `http://license.test/issuers/${ISSUER}`, jwks }]);
  const lists = new StatusListCache(trust);
  for (const purpose of ['revocation', 'suspension'])
    lists.add(await (await fetch(`${node.url}/status-lists/${ISSUER}/${purpose}/0`)).text());
  return { trust, lists };
}

describe('status changes', () => {
  it('suspends, reinstates and revokes, flipping the status-list bits and auditing who and why', async () => {
    const license = await issue();
    const row = await node.db.license.findUniqueOrThrow({ where: { identifier: license.identifier } });
    const { position } = slotOfIndex(row.statusIndex);
    const bit = async (purpose: string) => {
      const { trust } = await trustAndLists();
      const jwt = await (await fetch(`${node.url}/status-lists/${ISSUER}/${purpose}/0`)).text();
      return getBit(readStatusListCredential(jwt, trust).bits, position);
    };

    expect((await clerk().suspend.mutate({ identifier: license.identifier, reason: '涉嫌违法，暂扣' })).status).toBe(
      'suspended',
    );
    expect([await bit('suspension'), await bit('revocation')]).toEqual([true, false]);
    let { trust, lists } = await trustAndLists();
    expect(verifyLicenseCredential(license.credential, { trust, statusLists: lists }).status).toBe('suspended');

    await expectAppError(
      clerk().suspend.mutate({ identifier: license.identifier, reason: 'again' }),
      'LICENSE_STATUS_TRANSITION_NOT_ALLOWED',
    );
    expect((await clerk().reinstate.mutate({ identifier: license.identifier, reason: '处理完毕' })).status).toBe(
      'active',
    );
    expect([await bit('suspension'), await bit('revocation')]).toEqual([false, false]);

    expect((await clerk().revoke.mutate({ identifier: license.identifier, reason: '吊销' })).status).toBe('revoked');
    expect(await bit('revocation')).toBe(true);
    ({ trust, lists } = await trustAndLists());
    expect(verifyLicenseCredential(license.credential, { trust, statusLists: lists })).toMatchObject({
      authentic: true,
      valid: false,
      status: 'revoked',
    });
    await expectAppError(
      clerk().reinstate.mutate({ identifier: license.identifier, reason: 'undo' }),
      'LICENSE_STATUS_TRANSITION_NOT_ALLOWED',
    );

    const events = await clerk().events.query({ identifier: license.identifier });
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus, e.actor, e.reason])).toEqual([
      ['issued', null, 'active', 'clerk-9', `case ${license.caseId}`],
      ['suspended', 'active', 'suspended', 'clerk-9', '涉嫌违法，暂扣'],
      ['reinstated', 'suspended', 'active', 'clerk-9', '处理完毕'],
      ['revoked', 'active', 'revoked', 'clerk-9', '吊销'],
    ]);
  });

  it('replaces a license with the next version; the old one is marked replaced and revoked in the list', async () => {
    const old = await issue();
    const request = {
      identifier: old.identifier,
      caseId: 'CASE-SV-REPLACE',
      reason: '换证',
      fields: { ...drivingLicenceRequest('x').fields, vehicleClasses: ['C1', 'D'] },
    };
    const replacement = await clerk().replace.mutate(request);
    expect(replacement.identifier.split('.').slice(0, -2)).toEqual(old.identifier.split('.').slice(0, -2));
    expect(replacement.identifier.split('.').at(-2)).toBe('002');
    expect(replacement).toMatchObject({
      version: 2,
      replacesIdentifier: old.identifier,
      status: 'active',
      fields: { vehicleClasses: ['C1', 'D'] },
    });
    expect(await clerk().get.query({ identifier: old.identifier })).toMatchObject({
      status: 'replaced',
      replacedByIdentifier: replacement.identifier,
    });
    expect((await clerk().replace.mutate(request)).identifier).toBe(replacement.identifier);
    await expectAppError(
      clerk().replace.mutate({ ...request, caseId: 'CASE-SV-REPLACE-2' }),
      'LICENSE_STATUS_TRANSITION_NOT_ALLOWED',
    );
    const { trust, lists } = await trustAndLists();
    expect(verifyLicenseCredential(old.credential, { trust, statusLists: lists }).status).toBe('revoked');
  });

  it('expires at validUntil without any job running', async () => {
    const license = await issue();
    const start = node.clock.now();
    node.clock.set(new Date(Date.parse(license.validUntil ?? '') + 1000));
    try {
      expect((await clerk().get.query({ identifier: license.identifier })).status).toBe('expired');
      expect(await node.anonymous.verify.mutate({ identifier: license.identifier })).toMatchObject({
        authentic: true,
        valid: false,
        status: 'expired',
      });
    } finally {
      node.clock.set(start);
    }
  });

  it('refuses an unknown license', async () => {
    await expectAppError(
      clerk().revoke.mutate({
        identifier: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
        reason: 'x',
      }),
      'LICENSE_NOT_FOUND',
    );
  });
});

describe('license.verify', () => {
  it('shows fields by the verifier’s rights: none anonymously, non-sensitive with license:verify, all with license:verify:sensitive', async () => {
    const license = await issue();
    const anonymous = await node.anonymous.verify.mutate({ identifier: license.identifier });
    expect(anonymous).toMatchObject({
      authentic: true,
      valid: true,
      status: 'active',
      holderName: '李*',
      fields: {},
      failure: null,
    });
    expect(anonymous.issuer).toEqual({ code: ISSUER, name: DRIVING_LICENCE.issuingAuthority.name });
    const counter = await node.client({ scope: 'license:verify' }).verify.mutate({ identifier: license.identifier });
    expect(counter.holderName).toBe('李明');
    expect(Object.keys(counter.fields).sort()).toEqual([
      'birthDate',
      'firstIssueDate',
      'name',
      'nationality',
      'sex',
      'vehicleClasses',
    ]);
    const police = await node
      .client({ scope: 'license:verify:sensitive' })
      .verify.mutate({ identifier: license.identifier });
    expect(police.fields).toEqual(license.fields);
  });

  it('verifies a credential and detects tampering, foreign keys and junk, disclosing nothing', async () => {
    const license = await issue();
    expect(await node.anonymous.verify.mutate({ credential: license.credential })).toMatchObject({
      authentic: true,
      status: 'active',
    });
    const [h, p, s] = license.credential.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
      credentialSubject: { license: { fields: Record<string, unknown> } };
    };
    payload.credentialSubject.license.fields.vehicleClasses = ['A1'];
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const verdict = await node.client({ scope: 'license:verify:sensitive' }).verify.mutate({ credential: tampered });
    expect(verdict).toMatchObject({
      authentic: false,
      valid: false,
      status: null,
      fields: {},
      failure: { code: 'CREDENTIAL_SIGNATURE_INVALID' },
    });
    const foreign = await node.issuer.mint({ sub: 'x', aud: 'y' }, { typ: 'vc+jwt' });
    expect((await node.anonymous.verify.mutate({ credential: foreign })).failure?.code).toBe(
      'CREDENTIAL_ISSUER_UNKNOWN',
    );
    expect((await node.anonymous.verify.mutate({ credential: 'not-a-jwt' })).failure?.code).toBe(
      'CREDENTIAL_MALFORMED',
    );
    expect(
      (
        await node.anonymous.verify.mutate({
          identifier: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
        })
      ).failure?.code,
    ).toBe('LICENSE_NOT_FOUND');
    await expectAppError(
      node.anonymous.verify.mutate({
        identifier: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V',
      }),
      'VALIDATION_FAILED',
    );
  });
});

describe('show by QR (亮证)', () => {
  it('discloses only the chosen fields, once; a second scan is refused', async () => {
    const license = await issue();
    const { token, expiresAt, disclosed } = await holder().presentations.create.mutate({
      identifier: license.identifier,
      fields: ['name', 'vehicleClasses'],
    });
    expect(disclosed).toEqual(['name', 'vehicleClasses']);
    expect(Date.parse(expiresAt) - node.clock.now().getTime()).toBe(60_000);
    // The undisclosed sensitive values appear nowhere in the token.
    const decoded = token
      .split('~')
      .map((part) => Buffer.from(part.split('.')[1] ?? part, 'base64url').toString())
      .join(' ');
    expect(decoded).not.toContain(PERSON_ID);
    expect(decoded).not.toContain('经七路');
    const scan = await node.anonymous.verify.mutate({ qr: token });
    expect(scan).toMatchObject({
      authentic: true,
      valid: true,
      status: 'active',
      holderName: '李明',
      fields: { name: '李明', vehicleClasses: ['C1'] },
    });
    expect(Object.keys(scan.fields)).toEqual(['name', 'vehicleClasses']);
    expect(await node.anonymous.verify.mutate({ qr: token })).toMatchObject({
      authentic: false,
      fields: {},
      failure: { code: 'PRESENTATION_ALREADY_USED' },
    });
  });

  it('refuses an expired QR, a forged disclosure, and a token bound to another nonce', async () => {
    const license = await issue();
    const make = (nonce?: string) =>
      holder().presentations.create.mutate({
        identifier: license.identifier,
        fields: ['name'],
        ...(nonce ? { nonce } : {}),
      });

    const late = await make();
    node.clock.advanceSeconds(61);
    expect((await node.anonymous.verify.mutate({ qr: late.token })).failure?.code).toBe('PRESENTATION_EXPIRED');
    node.clock.advanceSeconds(-61);

    const forged = await make();
    const fakeDisclosure = Buffer.from(JSON.stringify(['salt', 'vehicleClasses', ['A1']])).toString('base64url');
    expect((await node.anonymous.verify.mutate({ qr: `${forged.token}${fakeDisclosure}~` })).failure?.code).toBe(
      'PRESENTATION_INVALID',
    );
    const [jwt] = forged.token.split('~');
    expect((await node.anonymous.verify.mutate({ qr: `${jwt}x~` })).failure?.code).toBe('PRESENTATION_INVALID');

    const bound = await make('verifier-nonce-123');
    expect((await node.anonymous.verify.mutate({ qr: bound.token, nonce: 'another-nonce-456' })).failure?.code).toBe(
      'PRESENTATION_NONCE_MISMATCH',
    );
    expect((await node.anonymous.verify.mutate({ qr: bound.token })).failure?.code).toBe('PRESENTATION_NONCE_MISMATCH');
    // A refused nonce does not burn the token: the right verifier can still use it.
    expect((await node.anonymous.verify.mutate({ qr: bound.token, nonce: 'verifier-nonce-123' })).valid).toBe(true);
  });

  it('only lets the holder, at trust level 2, show a valid license, with fields of its type', async () => {
    const license = await issue();
    await expectAppError(
      holder(OTHER_PERSON_ID).presentations.create.mutate({ identifier: license.identifier, fields: ['name'] }),
      'NOT_LICENSE_HOLDER',
    );
    await expectAppError(
      holder(PERSON_ID, '1').presentations.create.mutate({ identifier: license.identifier, fields: ['name'] }),
      'INSUFFICIENT_TRUST_LEVEL',
    );
    await expectAppError(
      node.client({ acr: '3' }).presentations.create.mutate({ identifier: license.identifier, fields: ['name'] }),
      'HOLDER_CODE_MISSING',
    );
    await expectAppError(
      holder().presentations.create.mutate({ identifier: license.identifier, fields: ['salary'] }),
      'LICENSE_FIELD_UNKNOWN',
    );
    await clerk().suspend.mutate({ identifier: license.identifier, reason: '暂扣' });
    await expectAppError(
      holder().presentations.create.mutate({ identifier: license.identifier, fields: ['name'] }),
      'LICENSE_NOT_VALID',
    );
    expect(await node.db.presentation.count({ where: { licenseId: license.id } })).toBe(0);
  });
});
