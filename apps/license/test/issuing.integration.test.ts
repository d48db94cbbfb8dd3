// Issuing over HTTP: identifier, signed credential (checked with the JWKS served over HTTP),
// idempotency by case id (also under concurrency), and bad input that issues nothing.
import { parseLicenseIdentifier } from '@platform/identifiers';
import { StatusListCache, TrustStore, verifyLicenseCredential, type PublicJwk } from '@platform/license-verifier';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUSINESS_LICENCE,
  FIRM_CODE,
  ID_CARD,
  businessLicenceRequest,
  citizenId,
  drivingLicenceRequest,
} from './support/fixtures.ts';
import { expectAppError, startLicenseNode, type LicenseNode } from './support/node.ts';

let node: LicenseNode;
beforeAll(async () => {
  node = await startLicenseNode();
});
afterAll(() => node.close());

const clerk = () => node.client({ scope: 'license:issue license:read', sub: 'clerk-7' });
const licenseCount = () => node.db.license.count();

/** Fetches a URL of the node named by an absolute URL in a credential (PUBLIC_URL is a test host). */
const fetchFromNode = (absolute: string) => fetch(`${node.url}${new URL(absolute).pathname}`);

describe('license.issue', () => {
  it('issues a business licence with a GB/T 36904 identifier and a vc+jwt credential verifiable with the published JWKS', async () => {
    const license = await clerk().issue.mutate(businessLicenceRequest('CASE-2026-0001'));
    const issuerCode = BUSINESS_LICENCE.issuingAuthority.code;
    const year = new Date().getUTCFullYear();
    expect(parseLicenseIdentifier(license.identifier)).toEqual({
      typeCode: BUSINESS_LICENCE.code,
      issuerCode,
      serial: `${year}0000001`,
      version: 1,
    });
    expect(license).toMatchObject({
      status: 'active',
      validUntil: null,
      version: 1,
      caseId: 'CASE-2026-0001',
      holder: { codeType: 'credit_code', code: FIRM_CODE, name: '济南泉城软件有限公司' },
      issuer: { code: issuerCode, name: '山东省市场监督管理局' },
    });
    expect(decodeProtectedHeader(license.credential)).toMatchObject({ alg: 'ES256', typ: 'vc+jwt' });

    const jwks = (await (await fetchFromNode(`http://x/issuers/${issuerCode}/jwks.json`)).json()) as {
      keys: PublicJwk[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const trust = new TrustStore([{ id: `http://license.test/issuers/${issuerCode}`, jwks }]);
    const lists = new StatusListCache(trust);
    const verdict = verifyLicenseCredential(license.credential, { trust, statusLists: lists });
    expect(verdict.authentic).toBe(true);
    const credential = verdict.credential;
    expect(credential?.['@context']).toEqual(['https://www.w3.org/ns/credentials/v2']);
    expect(credential?.type).toEqual(['VerifiableCredential', 'ElectronicLicenseCredential']);
    expect(credential?.credentialSubject.license.fields.entityName).toBe('济南泉城软件有限公司');
    expect(credential?.credentialStatus.map((s) => s.statusPurpose)).toEqual(['revocation', 'suspension']);
    // Status lists are served over HTTP, signed, and the credential is active in them.
    for (const entry of credential?.credentialStatus ?? []) {
      const response = await fetchFromNode(entry.statusListCredential);
      expect(response.headers.get('content-type')).toContain('application/vc+jwt');
      lists.add(await response.text());
    }
    expect(verifyLicenseCredential(license.credential, { trust, statusLists: lists })).toMatchObject({
      authentic: true,
      valid: true,
      status: 'active',
      failure: null,
    });
    // The signing key is stored encrypted, never in the clear.
    const keyRow = await node.db.issuerKey.findFirstOrThrow({ where: { issuerCode } });
    expect(keyRow.privateKeySealed).toMatch(/^v1\./);
    expect(keyRow.privateKeySealed).not.toContain('PRIVATE KEY');
  });

  it('answers a retry of the same case with the same license, and refuses the case id with another request', async () => {
    const first = await clerk().issue.mutate(businessLicenceRequest('CASE-2026-0002'));
    const again = await clerk().issue.mutate(businessLicenceRequest('CASE-2026-0002'));
    expect(again.identifier).toBe(first.identifier);
    expect(again.credential).toBe(first.credential);
    const changed = businessLicenceRequest('CASE-2026-0002');
    changed.fields.legalRepresentative = '赵六';
    const before = await licenseCount();
    await expectAppError(clerk().issue.mutate(changed), 'IDEMPOTENCY_KEY_REUSED');
    expect(await licenseCount()).toBe(before);
  });

  it('yields exactly one license when the same case arrives many times at once', async () => {
    const before = await licenseCount();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => clerk().issue.mutate(businessLicenceRequest('CASE-2026-RACE'))),
    );
    expect(new Set(results.map((r) => r.identifier)).size).toBe(1);
    expect(await licenseCount()).toBe(before + 1);
    expect(await node.db.license.count({ where: { caseId: 'CASE-2026-RACE' } })).toBe(1);
  });

  it('gives distinct serials and status slots to different cases issued at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => clerk().issue.mutate(businessLicenceRequest(`CASE-PAR-${i}`))),
    );
    expect(new Set(results.map((r) => r.identifier)).size).toBe(6);
    const rows = await node.db.license.findMany({ where: { caseId: { startsWith: 'CASE-PAR-' } } });
    expect(new Set(rows.map((r) => r.statusIndex)).size).toBe(6);
  });

  it('applies the type’s validity rules', async () => {
    const license = await clerk().issue.mutate(drivingLicenceRequest('CASE-DL-1'));
    const days = (Date.parse(license.validUntil ?? '') - Date.parse(license.validFrom)) / 86_400_000;
    expect(days).toBe(2192);
    const tooLong = {
      ...drivingLicenceRequest('CASE-DL-2'),
      validUntil: new Date(Date.now() + 4000 * 86_400_000).toISOString(),
    };
    await expectAppError(clerk().issue.mutate(tooLong), 'LICENSE_VALIDITY_INVALID');
  });

  describe('refuses bad input with a specific code and issues nothing', () => {
    it.each([
      ['an unknown type', { typeCode: '11100000MB0143028C999' }, 'LICENSE_TYPE_NOT_FOUND'],
      ['a malformed type code', { typeCode: '123' }, 'VALIDATION_FAILED'],
      [
        'an invalid credit code',
        {
          holder: {
            codeType: 'credit_code',
            code: FIRM_CODE.slice(0, 17) + (FIRM_CODE.endsWith('0') ? '1' : '0'),
            name: 'x',
          },
        },
        'VALIDATION_FAILED',
      ],
      [
        'a person holding a firm’s licence',
        { holder: { codeType: 'citizen_id', code: citizenId('11010519491231002'), name: '张三' } },
        'LICENSE_HOLDER_KIND_MISMATCH',
      ],
    ] as const)('%s', async (_name, overrides, code) => {
      const before = await licenseCount();
      await expectAppError(clerk().issue.mutate(businessLicenceRequest(`CASE-BAD-${code}`, overrides) as never), code);
      expect(await licenseCount()).toBe(before);
    });

    it('an invalid citizen ID number names the field', async () => {
      const request = drivingLicenceRequest('CASE-BAD-ID');
      const error = await expectAppError(
        clerk().issue.mutate({ ...request, holder: { ...request.holder, code: '110105194912310021' } }),
        'VALIDATION_FAILED',
      );
      expect(error.issues).toEqual([{ path: 'holder.code', message: 'citizen ID number has a wrong check character' }]);
    });

    it('fields failing the schema list every problem', async () => {
      const request = drivingLicenceRequest('CASE-BAD-FIELDS');
      const error = await expectAppError(
        clerk().issue.mutate({
          ...request,
          fields: {
            ...request.fields,
            sex: '未知',
            birthDate: '1985-02-30',
            vehicleClasses: ['C1', 'Z9'],
            fileNumber: 'abc',
            extra: 'x',
          },
        }),
        'LICENSE_FIELDS_INVALID',
      );
      // Field order is the schema's as stored (jsonb orders keys its own way), so compare by path.
      const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
      expect([...(error.issues ?? [])].sort(byPath)).toEqual(
        [
          { path: 'fields.extra', message: 'is not a field of this license type' },
          { path: 'fields.sex', message: 'must be one of: 男, 女' },
          { path: 'fields.birthDate', message: 'must be a real date YYYY-MM-DD' },
          { path: 'fields.vehicleClasses.1', message: expect.stringContaining('must be one of: A1') },
          { path: 'fields.fileNumber', message: 'does not have the required format' },
        ].sort(byPath),
      );
      const wrongId = await expectAppError(
        clerk().issue.mutate({
          ...drivingLicenceRequest('CASE-BAD-FIELDS-2'),
          typeCode: ID_CARD.code,
          fields: {
            name: '李明',
            sex: '男',
            ethnicity: '汉',
            birthDate: '1985-03-12',
            address: '济南',
            idNumber: '370102198503122310',
            issuingOffice: '济南市公安局',
          },
        }),
        'LICENSE_FIELDS_INVALID',
      );
      expect(wrongId.issues).toEqual([
        { path: 'fields.idNumber', message: 'is not a valid citizen ID number (check character)' },
      ]);
    });

    it('without the issue scope, or without a token', async () => {
      await expectAppError(
        node.client({ scope: 'license:read' }).issue.mutate(businessLicenceRequest('CASE-NOSCOPE')),
        'INSUFFICIENT_SCOPE',
      );
      await expectAppError(node.anonymous.issue.mutate(businessLicenceRequest('CASE-NOTOKEN')), 'UNAUTHENTICATED');
      expect(await node.db.license.count({ where: { caseId: { in: ['CASE-NOSCOPE', 'CASE-NOTOKEN'] } } })).toBe(0);
    });
  });

  it('answers over REST with the same error model', async () => {
    const response = await fetch(`${node.url}/api/licenses`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await node.token({ scope: 'license:issue' })}`,
      },
      body: JSON.stringify(businessLicenceRequest('CASE-REST', { typeCode: '11100000MB0143028C998' })),
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('LICENSE_TYPE_NOT_FOUND');
  });
});
