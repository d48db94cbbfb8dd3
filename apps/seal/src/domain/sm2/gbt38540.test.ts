// GB/T 38540 seals and signatures: structure (checked by `openssl asn1parse`), the signature value
// checked by the OpenSSL command line, and every verification rule failing when it should.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDir, pem, tool } from '../../../test/support/tools.ts';
import { drawSeal } from '../images/seal-image.ts';
import { decodeSeal, decodeSignature, encodeSignature } from './gbt38540-structures.ts';
import { verifySignature } from './gbt38540-verify.ts';
import { Gbt38540Error, makeSeal, signWithSeal, SEAL_TYPE } from './gbt38540.ts';
import { createSm2Root, credentialOf, issueSm2EndEntity, type Sm2Credential } from './sm2-hierarchy.ts';
import { sm2SpkiDer } from './sm2-key.ts';
import { sm3 } from './sm3.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const t0 = new Date('2026-03-01T08:00:00Z');
const dir = new TempDir();
afterAll(() => dir.remove());

let rootDer: Buffer;
let maker: Sm2Credential;
let holder: Sm2Credential;
let outsider: Sm2Credential;
let sealDer: Buffer;
const picture = drawSeal({ shape: 'round', widthMm: 42, heightMm: 42, organisation: '福州市测试局', caption: '' });

beforeAll(async () => {
  const root = await createSm2Root(
    { commonName: 'SM2 Test Root', country: 'CN' },
    new Date(t0.getTime() - DAY),
    new Date(t0.getTime() + 3650 * DAY),
  );
  rootDer = root.certificateDer;
  const rootCredential = credentialOf(root);
  const validity = { notBefore: new Date(t0.getTime() - HOUR), notAfter: new Date(t0.getTime() + 365 * DAY) };
  maker = credentialOf(await issueSm2EndEntity(rootCredential, { commonName: 'Seal maker' }, validity));
  holder = credentialOf(
    await issueSm2EndEntity(
      rootCredential,
      { commonName: '福州市测试局', organizationIdentifier: '11350100MB0000000X' },
      validity,
    ),
  );
  outsider = credentialOf(await issueSm2EndEntity(rootCredential, { commonName: 'Someone else' }, validity));
  sealDer = await makeSeal({
    maker,
    esId: '35010020260301000001',
    vendor: 'platform-seal',
    type: SEAL_TYPE.organisation,
    name: '福州市测试局公章',
    signerCertificates: [holder.certificate.der],
    createDate: t0,
    validStart: t0,
    validEnd: new Date(t0.getTime() + 30 * DAY),
    picture: { type: 'png', data: picture.raster.png, widthMm: 42, heightMm: 42 },
  });
});

const data = Buffer.from('%PDF-1.7 … 待盖章的文件内容');
const at = new Date(t0.getTime() + 2 * DAY);
const sign = (options: Parameters<typeof signWithSeal>[3] = { at }) => signWithSeal(sealDer, holder, data, options);
const flip = (bytes: Uint8Array, index: number) => {
  const copy = Buffer.from(bytes);
  copy[index]! ^= 0x01;
  return copy;
};

describe('GB/T 38540 seal', () => {
  it('holds the seal information, the picture and the maker certificate, and decodes to what was made', async () => {
    const seal = decodeSeal(sealDer);
    expect(seal.info.header).toEqual({ id: 'ES', version: 4, vendor: 'platform-seal' });
    expect(seal.info.esId).toBe('35010020260301000001');
    expect(seal.info.property).toMatchObject({ type: 1, name: '福州市测试局公章', createDate: t0, validStart: t0 });
    expect(seal.info.property.certList).toEqual({ type: 1, certificates: [holder.certificate.der] });
    expect(seal.info.picture).toMatchObject({ type: 'png', widthMm: 42, heightMm: 42 });
    expect(seal.info.picture.data.subarray(1, 4).toString()).toBe('PNG');
    expect(seal.makerCertificate.equals(maker.certificate.der)).toBe(true);
    expect(seal.signatureAlgorithm).toBe('1.2.156.10197.1.501');
    const parsed = await tool('openssl', ['asn1parse', '-inform', 'DER', '-in', dir.write('seal.der', sealDer)]);
    expect(parsed.code).toBe(0);
    expect(parsed.stdout).toContain(':ES');
    expect(parsed.stdout).toContain('SM2-with-SM3');
  });

  it('refuses input a verifier would reject', async () => {
    const base = {
      maker,
      esId: 'x',
      vendor: 'v',
      type: 1,
      name: 'n',
      signerCertificates: [holder.certificate.der],
      validStart: t0,
      validEnd: new Date(t0.getTime() + DAY),
      picture: { type: 'png', data: Buffer.from([1]), widthMm: 40, heightMm: 40 },
    };
    await expect(makeSeal({ ...base, esId: '印章' })).rejects.toThrow(/esID must be/);
    await expect(makeSeal({ ...base, validEnd: t0 })).rejects.toThrow(/end after it starts/);
    await expect(makeSeal({ ...base, signerCertificates: [] })).rejects.toThrow(/at least one signer/);
  });
});

describe('GB/T 38540 signature', () => {
  it('verifies (passed), and OpenSSL verifies its signature value over TBS_Sign', async () => {
    const signatureDer = await sign({ at, propertyInfo: 'contract-2026-001.pdf' });
    const report = verifySignature(signatureDer, data, { trustedRoots: [rootDer] });
    expect(report.reasons).toEqual([]);
    expect(report.verdict).toBe('passed');
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['format', true],
      ['signatureValue', true],
      ['signerInSeal', true],
      ['sealSignature', true],
      ['sealValidAtSigningTime', true],
      ['sealMakerCertificate', true],
      ['signerCertificate', true],
      ['dataHash', true],
    ]);
    expect(report.signature).toMatchObject({
      signedAt: at,
      propertyInfo: 'contract-2026-001.pdf',
      seal: { esId: '35010020260301000001', name: '福州市测试局公章', type: 1 },
    });
    const decoded = decodeSignature(signatureDer);
    expect(decoded.tbs.dataHash.equals(sm3(data))).toBe(true);
    const opensslCheck = (tbs: Buffer) =>
      tool('openssl', [
        'pkeyutl',
        '-verify',
        '-rawin',
        '-digest',
        'sm3',
        '-pkeyopt',
        'distid:1234567812345678',
        '-pubin',
        '-inkey',
        dir.write('signer.pub', pem(sm2SpkiDer(holder.signer.publicKey), 'PUBLIC KEY')),
        '-in',
        dir.write('tbs.der', tbs),
        '-sigfile',
        dir.write('tbs.sig', decoded.signature),
      ]);
    expect((await opensslCheck(decoded.tbsDer)).stdout).toContain('Signature Verified Successfully');
    expect((await opensslCheck(flip(decoded.tbsDer, decoded.tbsDer.length - 5))).stdout).not.toContain(
      'Signature Verified Successfully',
    );
  });

  it('is indeterminate when the SM2 root is not trusted', async () => {
    const report = verifySignature(await sign(), data);
    expect(report.verdict).toBe('indeterminate');
    expect(report.reasons).toEqual([
      'sealMakerCertificate: maker certificate: issuer is not a trusted SM2 root',
      'signerCertificate: signer certificate: issuer is not a trusted SM2 root',
    ]);
  });

  it('fails on one changed byte of the data, and on any changed byte of the signature', async () => {
    const signatureDer = await sign();
    const changedData = verifySignature(signatureDer, flip(data, 10), { trustedRoots: [rootDer] });
    expect(changedData.verdict).toBe('failed');
    expect(changedData.reasons).toEqual(['dataHash: SM3 of the data equals dataHash']);
    // Every byte position of the signature (sampled): never passes.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: signatureDer.length - 1 }), (index) => {
        const report = verifySignature(flip(signatureDer, index), data, { trustedRoots: [rootDer] });
        expect(report.verdict).not.toBe('passed');
      }),
      { numRuns: 12 },
    );
  });

  it("fails when the seal inside was altered (the maker's signature) or the signer is not the seal's", async () => {
    // Re-sign a TBS_Sign whose seal name was changed: the signer's signature is fine, the seal is not.
    const original = decodeSignature(await sign());
    const nameBytes = Buffer.from('福州市测试局公章');
    const tbs = Buffer.from(original.tbsDer);
    tbs.write('厦', tbs.indexOf(nameBytes), 'utf8');
    const forged = encodeSignature({
      tbsDer: tbs,
      signerCertificate: holder.certificate.der,
      signatureAlgorithm: original.signatureAlgorithm,
      signature: await holder.signer.sign(tbs),
    });
    const report = verifySignature(forged, data, { trustedRoots: [rootDer] });
    expect(report.verdict).toBe('failed');
    expect(report.reasons).toEqual(["sealSignature: maker's signature over the seal"]);

    // An outsider signs a TBS_Sign with the seal: the signature value is theirs, the seal does not list them.
    const byOutsider = encodeSignature({
      tbsDer: original.tbsDer,
      signerCertificate: outsider.certificate.der,
      signatureAlgorithm: original.signatureAlgorithm,
      signature: await outsider.signer.sign(original.tbsDer),
    });
    const outsiderReport = verifySignature(byOutsider, data, { trustedRoots: [rootDer] });
    expect(outsiderReport.reasons).toEqual(["signerInSeal: signer certificate in the seal's list"]);
    await expect(signWithSeal(sealDer, outsider, data, { at })).rejects.toThrow(Gbt38540Error);
    await expect(signWithSeal(sealDer, outsider, data, { at })).rejects.toMatchObject({ code: 'SIGNER_NOT_IN_SEAL' });
  });

  it('checks the seal at the signing time, not now; signing outside the seal validity is refused', async () => {
    // Signed while valid, checked long after the seal (and certificates) expired: still passed.
    const report = verifySignature(await sign({ at: new Date(t0.getTime() + 29 * DAY) }), data, {
      trustedRoots: [rootDer],
    });
    expect(report.verdict).toBe('passed');
    await expect(sign({ at: new Date(t0.getTime() + 31 * DAY) })).rejects.toMatchObject({
      code: 'SEAL_NOT_VALID_AT_TIME',
    });
    await expect(sign({ at: new Date(t0.getTime() - HOUR) })).rejects.toMatchObject({ code: 'SEAL_NOT_VALID_AT_TIME' });
  });

  it('reports malformed input as a failed format check', () => {
    for (const bad of [Buffer.alloc(0), Buffer.from('3003020104', 'hex'), Buffer.from('not der')]) {
      const report = verifySignature(bad, data);
      expect(report.verdict).toBe('failed');
      expect(report.checks).toHaveLength(1);
      expect(report.checks[0]!.name).toBe('format');
    }
  });
});
