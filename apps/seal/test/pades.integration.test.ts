// PAdES signing checked by independent tools: every signed PDF passes pdfsig (with the root
// trusted in an NSS database), openssl cms -verify over its byte ranges, and qpdf --check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFacts } from '../src/domain/ca/certificate-facts.ts';
import { drawSeal } from '../src/domain/images/seal-image.ts';
import type { KeyAlgorithm } from '../src/domain/keys/key-algorithm.ts';
import { signPdf, type PadesSigner } from '../src/domain/pdf/pades-sign.ts';
import { TimestampAuthority } from '../src/domain/tsa/timestamp-authority.ts';
import { OID } from '../src/domain/asn1/oids.ts';
import { createAuthorityFixture, type AuthorityFixture } from './support/authority.ts';
import { samplePdf } from './support/pdfs.ts';
import { embeddedSignatures, PdfVerifiers } from './support/verifiers.ts';

let fx: AuthorityFixture;
let verifiers: PdfVerifiers;
const image = drawSeal({
  shape: 'round',
  widthMm: 42,
  heightMm: 42,
  organisation: '福州市数据管理局',
  caption: '',
}).raster;

beforeAll(async () => {
  fx = await createAuthorityFixture();
  verifiers = new PdfVerifiers((await fx.authority.root()).facts.der);
});
afterAll(async () => {
  verifiers?.remove();
  await fx?.close();
});

async function sealSigner(algorithm: KeyAlgorithm, withTimestamp = true): Promise<PadesSigner> {
  const now = new Date();
  const record = await fx.authority.issueSealCertificate({
    subject: { commonName: `福州市数据管理局 ${algorithm}`, organization: '福州市数据管理局', country: 'CN' },
    algorithm,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 86400_000 * 365),
  });
  const tsa = new TimestampAuthority(() => fx.authority.timestamping());
  return {
    signer: fx.authority.signerOf(record),
    certificate: certificateFacts(record.der),
    chain: (await fx.authority.chain()).map((m) => m.facts),
    ...(withTimestamp
      ? {
          timestamp: async (imprint: Buffer) =>
            (await tsa.token({ hashAlgorithm: OID.sha256, hashedMessage: imprint, certReq: true })).der,
        }
      : {}),
  };
}

const field = (page = 1) => ({
  placement: { page, x: 380, y: 80, widthMm: 42, heightMm: 42 },
  image,
  signingTime: new Date(),
  name: '福州市数据管理局',
  reason: '电子证照签发',
  location: '福州',
});

describe.each([
  ['rsa-2048', true],
  ['ecdsa-p256', false],
] as const)('a %s seal on a PDF with %s object streams', (algorithm, objectStreams) => {
  let signed: Buffer;

  beforeAll(async () => {
    signed = (await signPdf(await samplePdf({ objectStreams, pages: 2 }), field(2), await sealSigner(algorithm))).pdf;
  });

  it('passes pdfsig: valid, whole document signed, certificate trusted, ETSI.CAdES.detached', async () => {
    const result = await verifiers.pdfsig(signed);
    expect(result.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(result.stdout).toContain('Certificate Validation: Certificate is Trusted.');
    expect(result.stdout).toContain('Total document signed');
    expect(result.stdout).toContain('Signature Type: ETSI.CAdES.detached');
    expect(result.stdout).toContain(`Signer Certificate Common Name: 福州市数据管理局 ${algorithm}`);
  });

  it('passes openssl cms -verify over the byte ranges and qpdf --check', async () => {
    const [signature] = embeddedSignatures(signed);
    const verify = await verifiers.opensslVerify(signature!);
    expect(verify.stderr).toContain('CMS Verification successful');
    expect(verify.code).toBe(0);
    const qpdf = await verifiers.qpdfCheck(signed);
    expect(qpdf.stdout).toContain('No syntax or stream encoding errors found');
    expect(qpdf.code).toBe(0);
  });

  it('carries CAdES attributes: signing-certificate-v2, no signing-time, a signature timestamp', async () => {
    const [signature] = embeddedSignatures(signed);
    const printed = await verifiers.cmsPrint(signature!.cms);
    expect(printed).toContain('id-smime-aa-signingCertificateV2');
    expect(printed).toContain('messageDigest');
    expect(printed).not.toContain('signingTime');
    expect(printed).toContain('id-smime-aa-timeStampToken');
  });

  it('fails pdfsig and openssl after a one-byte change in the signed range', async () => {
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('Licence document page 1');
    // Page text lives in a compressed stream with object streams; flip a byte of the header comment instead.
    const index = at >= 0 ? at : 10;
    tampered[index] = tampered[index]! ^ 0x01;
    const result = await verifiers.pdfsig(tampered);
    expect(result.stdout).not.toContain('Signature is Valid');
    expect(result.stdout).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
    const verify = await verifiers.opensslVerify(embeddedSignatures(tampered)[0]!);
    expect(verify.code).not.toBe(0);
    expect(verify.stderr).toContain('content verify error');
  });
});

describe('several seals on one document', () => {
  it('keeps the first signature valid after a second seal is added as an incremental update', async () => {
    const original = await samplePdf({ objectStreams: true });
    const first = (await signPdf(original, field(), await sealSigner('rsa-2048'))).pdf;
    const second = (
      await signPdf(
        first,
        { ...field(), placement: { page: 1, x: 200, y: 80, widthMm: 40, heightMm: 40 } },
        await sealSigner('ecdsa-p256'),
      )
    ).pdf;
    expect(second.subarray(0, first.length).equals(first)).toBe(true);
    const result = await verifiers.pdfsig(second);
    expect(result.stdout.match(/Signature is Valid/g)).toHaveLength(2);
    expect(result.stdout.match(/Certificate is Trusted/g)).toHaveLength(2);
    // The first covers its revision only; the second the whole file.
    expect(result.stdout).toContain('Signature #1');
    expect(result.stdout.match(/Total document signed/g)).toHaveLength(1);
    for (const signature of embeddedSignatures(second)) {
      expect((await verifiers.opensslVerify(signature)).code).toBe(0);
    }
    expect((await verifiers.qpdfCheck(second)).code).toBe(0);
  });
});
