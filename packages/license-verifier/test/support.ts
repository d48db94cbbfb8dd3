// Signs credentials, status lists and presentations the way the license service does, with keys
// made here, so the verifier is tested with no service and no network.
import { createHash, randomBytes } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import {
  createBitstring,
  encodeBitstring,
  setBit,
  type LicenseCredential,
  type PublicJwk,
  type StatusPurpose,
} from '../src/index.ts';

export const ISSUER_ID = 'https://license.sd.gov.cn/issuers/11370000MB2850471X';
export const LIST_URL = (purpose: StatusPurpose) =>
  `https://license.sd.gov.cn/status-lists/11370000MB2850471X/${purpose}/0`;

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: PublicJwk;
}

export async function makeKey(kid = `kid-${randomBytes(4).toString('hex')}`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } as PublicJwk };
}

export const sign = (payload: object, key: TestKey, typ = 'vc+jwt') =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ, kid: key.kid })
    .sign(key.privateKey);

export function credential(index: number, overrides: Partial<LicenseCredential> = {}): LicenseCredential {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:license:1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
    type: ['VerifiableCredential', 'ElectronicLicenseCredential'],
    issuer: { id: ISSUER_ID, name: '山东省市场监督管理局', code: '11370000MB2850471X' },
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2031-01-01T00:00:00.000Z',
    credentialSubject: {
      holder: { codeType: 'credit_code', code: '91370102MA3C8U7P4X', name: '济南泉城软件有限公司' },
      license: {
        identifier: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
        typeCode: '11100000000013338W011',
        typeVersion: 1,
        typeName: '营业执照',
        version: 1,
        issuedAt: '2026-01-01T00:00:00.000Z',
        fields: { entityName: '济南泉城软件有限公司', legalRepresentative: '王建国' },
      },
    },
    credentialStatus: (['revocation', 'suspension'] as const).map((purpose) => ({
      id: `${LIST_URL(purpose)}#${index}`,
      type: 'BitstringStatusListEntry' as const,
      statusPurpose: purpose,
      statusListIndex: String(index),
      statusListCredential: LIST_URL(purpose),
    })),
    ...overrides,
  };
}

export function statusList(
  purpose: StatusPurpose,
  setIndexes: number[],
  key: TestKey,
  validUntil = '2030-01-01T00:00:00.000Z',
) {
  const bits = createBitstring();
  for (const index of setIndexes) setBit(bits, index, true);
  return sign(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: LIST_URL(purpose),
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: ISSUER_ID },
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil,
      credentialSubject: {
        id: `${LIST_URL(purpose)}#list`,
        type: 'BitstringStatusList',
        statusPurpose: purpose,
        encodedList: encodeBitstring(bits),
      },
    },
    key,
  );
}

export async function presentation(
  key: TestKey,
  fields: Record<string, unknown>,
  disclose: string[],
  claims: Record<string, unknown> = {},
) {
  const disclosures = Object.entries(fields).map(([name, value]) => ({
    name,
    text: Buffer.from(JSON.stringify([randomBytes(8).toString('base64url'), name, value])).toString('base64url'),
  }));
  const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
  const jwt = await sign(
    {
      iss: ISSUER_ID,
      jti: 'p-1',
      iat: 1_800_000_000,
      exp: 1_800_000_060,
      vct: 'urn:platform:license:11100000000013338W011',
      license: {
        identifier: credential(5).credentialSubject.license.identifier,
        typeCode: 'x',
        typeName: '营业执照',
        issuerName: 'x',
        holderName: 'x',
        validFrom: '2026-01-01T00:00:00.000Z',
        validUntil: null,
      },
      credentialStatus: credential(5).credentialStatus,
      _sd_alg: 'sha-256',
      _sd: disclosures.map((d) => digest(d.text)).sort(),
      ...claims,
    },
    key,
    'license-presentation+sd-jwt',
  );
  return `${jwt}~${disclosures
    .filter((d) => disclose.includes(d.name))
    .map((d) => `${d.text}~`)
    .join('')}`;
}
