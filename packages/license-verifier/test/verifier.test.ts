// Offline verification: a trust store (issuer JWKS) and cached status lists, no network.
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  StatusListCache,
  StatusListError,
  TrustStore,
  verifyLicenseCredential,
  verifyLicensePresentation,
} from '../src/index.ts';
import { ISSUER_ID, credential, makeKey, presentation, sign, statusList, type TestKey } from './support.ts';

const NOW = new Date('2027-06-01T00:00:00Z');
let key: TestKey;
let other: TestKey;
let trust: TrustStore;

beforeAll(async () => {
  key = await makeKey();
  other = await makeKey();
  trust = new TrustStore([{ id: ISSUER_ID, jwks: { keys: [key.jwk] } }]);
});

function cache(revoked: number[] = [], suspended: number[] = []) {
  return Promise.all([statusList('revocation', revoked, key), statusList('suspension', suspended, key)]).then(
    (lists) => {
      const c = new StatusListCache(trust);
      for (const list of lists) c.add(list);
      return c;
    },
  );
}

describe('verifyLicenseCredential', () => {
  it('accepts an untampered credential of a trusted issuer that no list marks', async () => {
    const verdict = verifyLicenseCredential(await sign(credential(42), key), {
      trust,
      statusLists: await cache([41, 43]),
      now: NOW,
    });
    expect(verdict).toMatchObject({ authentic: true, valid: true, status: 'active', failure: null });
    expect(verdict.credential?.credentialSubject.license.fields.entityName).toBe('济南泉城软件有限公司');
  });

  it('reports revoked and suspended from the cached lists, revoked first', async () => {
    const jwt = await sign(credential(42), key);
    expect(verifyLicenseCredential(jwt, { trust, statusLists: await cache([42]), now: NOW }).status).toBe('revoked');
    expect(verifyLicenseCredential(jwt, { trust, statusLists: await cache([], [42]), now: NOW }).status).toBe(
      'suspended',
    );
    expect(verifyLicenseCredential(jwt, { trust, statusLists: await cache([42], [42]), now: NOW })).toMatchObject({
      status: 'revoked',
      valid: false,
    });
  });

  it('reports expired and not-yet-valid from the credential’s own period', async () => {
    const jwt = await sign(credential(1), key);
    const lists = new StatusListCache(trust);
    for (const purpose of ['revocation', 'suspension'] as const)
      lists.add(await statusList(purpose, [], key, '2040-01-01T00:00:00Z'));
    expect(
      verifyLicenseCredential(jwt, { trust, statusLists: lists, now: new Date('2031-01-01T00:00:00Z') }).status,
    ).toBe('expired');
    expect(
      verifyLicenseCredential(jwt, { trust, statusLists: lists, now: new Date('2025-12-31T00:00:00Z') }).status,
    ).toBe('not_yet_valid');
  });

  it('refuses a tampered credential: one changed field breaks the signature', async () => {
    const [h, p, s] = (await sign(credential(1), key)).split('.') as [string, string, string];
    const body = JSON.parse(Buffer.from(p, 'base64url').toString()) as ReturnType<typeof credential>;
    body.credentialSubject.license.fields.legalRepresentative = '李四';
    const tampered = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
    expect(verifyLicenseCredential(tampered, { trust, statusLists: await cache(), now: NOW })).toMatchObject({
      authentic: false,
      credential: null,
      failure: { code: 'CREDENTIAL_SIGNATURE_INVALID' },
    });
  });

  it('refuses a payload with characters outside base64url, which a lenient decoder would skip', async () => {
    const [h, p, s] = (await sign(credential(1), key)).split('.') as [string, string, string];
    const statusLists = await cache();
    // Inserted ASCII junk, a look-alike letter, a lone surrogate and standard-base64 characters.
    for (const payload of [`${p.slice(0, 10)}!!!!${p.slice(10)}`, `Ł${p.slice(1)}`, `\uD800${p}`, `${p}+/+/`]) {
      expect(verifyLicenseCredential(`${h}.${payload}.${s}`, { trust, statusLists, now: NOW })).toMatchObject({
        authentic: false,
        credential: null,
      });
    }
  });

  it('refuses a credential signed with a key the issuer did not publish, even under a trusted kid', async () => {
    const lists = await cache();
    expect(
      verifyLicenseCredential(await sign(credential(1), other), { trust, statusLists: lists, now: NOW }).failure?.code,
    ).toBe('CREDENTIAL_ISSUER_UNKNOWN');
    const impostor = { ...other, kid: key.kid };
    expect(
      verifyLicenseCredential(await sign(credential(1), impostor), { trust, statusLists: lists, now: NOW }).failure
        ?.code,
    ).toBe('CREDENTIAL_SIGNATURE_INVALID');
  });

  it('refuses a credential naming another issuer than the key’s owner', async () => {
    const forged = credential(1, { issuer: { id: 'https://elsewhere/issuers/x', name: 'x', code: 'x' } });
    expect(
      verifyLicenseCredential(await sign(forged, key), { trust, statusLists: await cache(), now: NOW }).failure?.code,
    ).toBe('CREDENTIAL_ISSUER_UNKNOWN');
  });

  it('refuses alg none, other typs and junk as malformed', async () => {
    const [, p] = (await sign(credential(1), key)).split('.') as [string, string];
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'vc+jwt', kid: key.kid })).toString('base64url')}.${p}.`;
    const lists = await cache();
    expect(verifyLicenseCredential(none, { trust, statusLists: lists }).failure?.code).toBe('CREDENTIAL_MALFORMED');
    expect(
      verifyLicenseCredential(await sign(credential(1), key, 'at+jwt'), { trust, statusLists: lists }).failure?.code,
    ).toBe('CREDENTIAL_MALFORMED');
    expect(verifyLicenseCredential('a.b.c', { trust, statusLists: lists }).failure?.code).toBe('CREDENTIAL_MALFORMED');
    expect(
      verifyLicenseCredential(await sign({ hello: 'world' }, key), { trust, statusLists: lists }).failure?.code,
    ).toBe('CREDENTIAL_MALFORMED');
  });

  it('says the status is unknown when the list is not cached or out of date, never "active"', async () => {
    const jwt = await sign(credential(1), key);
    expect(verifyLicenseCredential(jwt, { trust, statusLists: new StatusListCache(trust), now: NOW })).toMatchObject({
      authentic: true,
      valid: false,
      status: 'unknown',
      failure: { code: 'STATUS_LIST_UNAVAILABLE' },
    });
    const stale = new StatusListCache(trust);
    stale.add(await statusList('revocation', [], key, '2027-01-01T00:00:00Z'));
    stale.add(await statusList('suspension', [], key));
    expect(verifyLicenseCredential(jwt, { trust, statusLists: stale, now: NOW }).status).toBe('unknown');
  });
});

describe('status list tampering', () => {
  it('refuses a list whose bits were changed after signing', async () => {
    const [h, p, s] = (await statusList('revocation', [7], key)).split('.') as [string, string, string];
    const body = JSON.parse(Buffer.from(p, 'base64url').toString()) as { credentialSubject: { encodedList: string } };
    body.credentialSubject.encodedList = `u${gzipSync(new Uint8Array(16384)).toString('base64url')}`;
    const tampered = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
    expect(() => new StatusListCache(trust).add(tampered)).toThrow(StatusListError);
  });

  it('refuses a list signed by another key, and one that is too short', async () => {
    expect(() => new StatusListCache(trust).add('x.y.z')).toThrow(StatusListError);
    const foreign = await statusList('revocation', [], other);
    expect(() => new StatusListCache(trust).add(foreign)).toThrow('unknown key');
    const short = await sign(
      {
        id: 'u',
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: { id: ISSUER_ID },
        validFrom: 'x',
        validUntil: 'y',
        credentialSubject: {
          type: 'BitstringStatusList',
          statusPurpose: 'revocation',
          encodedList: `u${gzipSync(new Uint8Array(10)).toString('base64url')}`,
        },
      },
      key,
    );
    expect(() => new StatusListCache(trust).add(short)).toThrow('shorter than the minimum');
  });

  it('does not apply a suspension list to a revocation entry', async () => {
    const c = new StatusListCache(trust);
    // A suspension list served under the revocation list's URL (a swap attack).
    const swapped = await statusList('suspension', [1], key);
    const body = JSON.parse(Buffer.from(swapped.split('.')[1] ?? '', 'base64url').toString()) as { id: string };
    c.add(await sign({ ...body, id: credential(1).credentialStatus[0]?.statusListCredential }, key));
    c.add(await statusList('suspension', [], key));
    expect(verifyLicenseCredential(await sign(credential(1), key), { trust, statusLists: c, now: NOW })).toMatchObject({
      status: 'unknown',
      failure: { code: 'STATUS_LIST_INVALID' },
    });
  });
});

describe('verifyLicensePresentation', () => {
  const fields = { entityName: '济南泉城软件有限公司', legalRepresentative: '王建国', address: '泺源大街102号' };
  const at = new Date(1_800_000_030 * 1000);

  it('yields exactly the disclosed fields', async () => {
    const token = await presentation(key, fields, ['entityName']);
    const verdict = verifyLicensePresentation(token, { trust, statusLists: await cache(), now: at });
    expect(verdict).toMatchObject({ authentic: true, valid: true, fields: { entityName: '济南泉城软件有限公司' } });
    expect(Object.keys(verdict.fields)).toEqual(['entityName']);
  });

  it('refuses a disclosure that was not signed, an expired token and a wrong nonce', async () => {
    const token = await presentation(key, fields, ['entityName']);
    const extra = Buffer.from(JSON.stringify(['s', 'address', '伪造地址'])).toString('base64url');
    const lists = await cache();
    expect(verifyLicensePresentation(`${token}${extra}~`, { trust, statusLists: lists, now: at }).failure?.code).toBe(
      'PRESENTATION_INVALID',
    );
    expect(
      verifyLicensePresentation(token, { trust, statusLists: lists, now: new Date(1_800_000_070 * 1000) }).failure
        ?.code,
    ).toBe('PRESENTATION_EXPIRED');
    const bound = await presentation(key, fields, [], { nonce: 'n-1' });
    expect(verifyLicensePresentation(bound, { trust, statusLists: lists, now: at, nonce: 'n-2' }).failure?.code).toBe(
      'PRESENTATION_NONCE_MISMATCH',
    );
    expect(verifyLicensePresentation(bound, { trust, statusLists: lists, now: at, nonce: 'n-1' }).authentic).toBe(true);
    // A credential is not a presentation (explicit typ).
    expect(
      verifyLicensePresentation(`${await sign(credential(1), key)}~`, { trust, statusLists: lists, now: at }).failure
        ?.code,
    ).toBe('PRESENTATION_INVALID');
  });
});
