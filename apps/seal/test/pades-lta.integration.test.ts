// PAdES B-LTA through sign.pdf: the B-LT DSS revision, then a document timestamp (/DocTimeStamp,
// ETSI.RFC3161) over everything. Checked by pdfsig, openssl (cms for the signature, ts for the
// document timestamp's imprint over its byte ranges), qpdf, and verify.pdf; a one-byte change fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealView } from '@platform/contracts';
import { activeSeal, startSealNode, type SealClient, type SealNode } from './support/seal-node.ts';
import { samplePdf } from './support/pdfs.ts';
import { pem, TempDir, tool } from './support/tools.ts';
import { embeddedSignatures, PdfVerifiers } from './support/verifiers.ts';
import { OID } from '../src/domain/asn1/oids.ts';
import { addDocumentTimestamp } from '../src/domain/pdf/document-timestamp.ts';

let node: SealNode;
let seal: SealView;
let signer: SealClient;
let verifiers: PdfVerifiers;
let original: Buffer;
let sealed: Buffer;
const dir = new TempDir();
let chain: { root: string; issuing: string; tsaSerial: string };

beforeAll(async () => {
  node = await startSealNode();
  const authority = await node.core.authority();
  verifiers = new PdfVerifiers((await authority.root()).facts.der);
  chain = {
    root: dir.write('root.pem', pem((await authority.root()).facts.der)),
    issuing: dir.write('issuing.pem', pem((await authority.issuing()).facts.der)),
    tsaSerial: (await authority.timestamping()).facts.serialHex,
  };
  seal = await activeSeal(node);
  await node.as('chief-1', 'seal:admin').authorization.grant.mutate({
    sealId: seal.id,
    subjects: ['license-service'],
    documentTypes: ['license'],
    validUntil: new Date(Date.now() + 86400_000).toISOString(),
  });
  signer = node.as('license-service', 'seal:sign');
  original = await samplePdf({ pages: 2 });
  const result = await signer.sign.pdf.mutate({
    sealId: seal.id,
    documentType: 'license',
    idempotencyKey: 'lta-1',
    pdf: original.toString('base64'),
    placement: { page: 2, x: 380, y: 80 },
    level: 'B-LTA',
  });
  expect(result.signature.level).toBe('B-LTA');
  sealed = Buffer.from(result.pdf, 'base64');
});
afterAll(async () => {
  verifiers?.remove();
  await node?.close();
  dir.remove();
});

/** pdfsig's block for signature #n (1-based). */
function pdfsigBlock(stdout: string, n: number): string {
  const start = stdout.indexOf(`Signature #${n}:`);
  const end = stdout.indexOf(`Signature #${n + 1}:`);
  return start < 0 ? '' : stdout.slice(start, end < 0 ? undefined : end);
}

const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

/** `openssl ts -verify` of the document timestamp's token over its byte ranges (imprint and TSA chain). */
async function opensslTsVerify(pdf: Buffer): Promise<string> {
  const docTimestamp = embeddedSignatures(pdf)[1]!;
  const id = Math.random().toString(36).slice(2);
  const result = await tool('openssl', [
    'ts',
    '-verify',
    '-data',
    dir.write(`doc-${id}.bin`, docTimestamp.signedContent),
    '-in',
    dir.write(`doc-${id}.tst`, docTimestamp.cms),
    '-token_in',
    '-CAfile',
    chain.root,
    '-untrusted',
    chain.issuing,
  ]);
  return result.stdout + result.stderr;
}

/** A copy of the PDF with one byte changed at `offset`. */
function flipped(pdf: Buffer, offset: number, to: string): Buffer {
  const copy = Buffer.from(pdf);
  expect(copy.toString('latin1', offset, offset + 1)).not.toBe(to);
  copy.write(to, offset, 'latin1');
  return copy;
}

describe('PAdES B-LTA', () => {
  it('appends the DSS and then a document timestamp covering the whole file', async () => {
    expect(sealed.subarray(0, original.length).equals(original)).toBe(true);
    const [signature, docTimestamp] = embeddedSignatures(sealed);
    expect(docTimestamp!.byteRange[2] + docTimestamp!.byteRange[3]).toBe(sealed.length);
    // The document timestamp's dictionary comes after the DSS revision, so its ranges cover the DSS.
    const dssAt = sealed.indexOf('/Type /DSS', signature!.byteRange[2] + signature!.byteRange[3]);
    expect(dssAt).toBeGreaterThan(0);
    const dictionary = sealed.toString('latin1', dssAt, docTimestamp!.byteRange[1]);
    expect(dictionary).toContain('/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161');
  });

  // poppler's pdfsig (22.12 here, like every release so far) validates only adbe.pkcs7.* and
  // ETSI.CAdES.detached: it lists the document timestamp with "Signature Type: unknown" and leaves
  // it unverified. `openssl ts -verify` over its byte ranges is the independent check for it below.
  it('passes pdfsig: the seal signature valid and trusted, the document timestamp listed over the whole file', async () => {
    const { stdout } = await verifiers.pdfsig(sealed);
    const first = pdfsigBlock(stdout, 1);
    expect(first).toContain('Signature Validation: Signature is Valid.');
    expect(first).toContain('Certificate Validation: Certificate is Trusted.');
    expect(first).toContain(`Signer Certificate Common Name: ${seal.name}`);
    expect(first).toContain('Signature Type: ETSI.CAdES.detached');
    const second = pdfsigBlock(stdout, 2);
    expect(second).toContain('Signer Certificate Common Name: Seal Platform Timestamp Authority');
    expect(second).toContain('Signing Hash Algorithm: SHA-256');
    expect(second).toContain('Total document signed');
    expect(second).not.toContain('Invalid');
  });

  it('passes qpdf --check, openssl cms for the signature and openssl ts for the document timestamp', async () => {
    const qpdf = await verifiers.qpdfCheck(sealed);
    expect(qpdf.stdout).toContain('No syntax or stream encoding errors found');
    expect(qpdf.code).toBe(0);
    const [signature] = embeddedSignatures(sealed);
    expect((await verifiers.opensslVerify(signature!)).stderr).toContain('CMS Verification successful');
    expect(await opensslTsVerify(sealed)).toContain('Verification: OK');
  });

  it('carries the timestamp authority’s chain and revocation data in the DSS the document timestamp covers', async () => {
    const report = await node.anonymous.verify.pdf.mutate({ pdf: sealed.toString('base64') });
    // Seal certificate, issuing CA, root, TSA; both CRLs; OCSP for the seal and the TSA certificate.
    expect(report.dss).toEqual({ certificates: 4, crls: 2, ocsps: 2 });
    const { readDss } = await import('../src/domain/verify/pdf-signatures.ts');
    const { openPdf } = await import('../src/domain/pdf/open-pdf.ts');
    const dss = readDss(await openPdf(sealed))!;
    const serials: string[] = [];
    for (const [i, der] of dss.ocsps.entries()) {
      const text = (
        await tool('openssl', ['ocsp', '-respin', dir.write(`dss-${i}.ocsp`, der), '-resp_text', '-noverify'])
      ).stdout;
      expect(text).toContain('Cert Status: good');
      serials.push(/Serial Number: ([0-9A-F]+)/.exec(text)![1]!.replace(/^0+/, '').toLowerCase());
    }
    expect(serials.sort()).toEqual([chain.tsaSerial, seal.certificate!.serial].sort());
  });

  it('is reported as B-LTA by verify.pdf, the document timestamp checked against its byte ranges', async () => {
    const report = await node.anonymous.verify.pdf.mutate({ pdf: sealed.toString('base64') });
    expect(report.verdict).toBe('passed');
    expect(report.signatures).toHaveLength(2);
    expect(report.signatures[0]).toMatchObject({
      kind: 'signature',
      verdict: 'passed',
      level: 'B-LTA',
      seal: { sealId: seal.id, statusAtSigningTime: 'active' },
    });
    expect(report.signatures[1]).toMatchObject({
      kind: 'document-timestamp',
      subFilter: 'ETSI.RFC3161',
      verdict: 'passed',
      coverage: { wholeDocument: true },
      timestamp: { valid: true, imprintMatches: true },
      chain: { trusted: true },
    });
  });

  it('fails the document timestamp when one byte of the DSS changes, and both when the content changes', async () => {
    // A digit of the DSS's /TU date: covered by the document timestamp only.
    const tu = sealed.indexOf('/TU (D:', sealed.indexOf('/Type /DSS')) + '/TU (D:'.length + 3;
    const dssChanged = flipped(sealed, tu, sealed.toString('latin1', tu, tu + 1) === '1' ? '2' : '1');
    const report = await node.anonymous.verify.pdf.mutate({ pdf: dssChanged.toString('base64') });
    expect(report.verdict).toBe('failed');
    expect(report.signatures[1]).toMatchObject({
      kind: 'document-timestamp',
      verdict: 'failed',
      reason: 'HASH_FAILURE',
      timestamp: { imprintMatches: false },
    });
    expect(report.signatures[0]!.level).toBe('B-LT');
    expect(await opensslTsVerify(dssChanged)).toContain('Verification: FAILED');
    expect(pdfsigBlock((await verifiers.pdfsig(dssChanged)).stdout, 1)).toContain('Signature is Valid.');

    // A byte of the caller's document (in the binary comment after the header): covered by both.
    expect(sealed.toString('latin1', 0, 10)).toMatch(/^%PDF-\d\.\d\n%/);
    const contentChanged = flipped(sealed, 11, 'x');
    const both = await node.anonymous.verify.pdf.mutate({ pdf: contentChanged.toString('base64') });
    expect(both.signatures.map((s) => s.verdict)).toEqual(['failed', 'failed']);
    const { stdout } = await verifiers.pdfsig(contentChanged);
    expect(pdfsigBlock(stdout, 1)).not.toContain('Signature is Valid.');
    expect(await opensslTsVerify(contentChanged)).toContain('Verification: FAILED');
  });

  // Last: it revokes the timestamp authority's certificate.
  it('fails a document timestamp made after its authority was revoked; an earlier one still passes', async () => {
    const authority = await node.core.authority();
    const tsa = await authority.timestamping();
    await nextSecond(); // CRL times are whole seconds: revoked strictly after the earlier genTime
    await authority.revoke(tsa.record.id, 'keyCompromise');
    const earlier = await node.anonymous.verify.pdf.mutate({ pdf: sealed.toString('base64') });
    expect(earlier.signatures[1]).toMatchObject({
      verdict: 'passed',
      revocation: { status: 'revoked-after-signing', reason: 'keyCompromise', source: 'crl' },
    });
    expect(earlier.signatures[0]!.level).toBe('B-LTA');

    await nextSecond();
    const timestamps = await node.core.timestamps();
    const restamped = await addDocumentTimestamp(sealed, async (imprint) => {
      const { der } = await timestamps.token({ hashAlgorithm: OID.sha256, hashedMessage: imprint, certReq: true });
      return der;
    });
    const report = await node.anonymous.verify.pdf.mutate({ pdf: restamped.pdf.toString('base64') });
    expect(report.signatures[2]).toMatchObject({
      kind: 'document-timestamp',
      verdict: 'failed',
      reason: 'REVOKED',
      timestamp: { valid: false, imprintMatches: true },
      revocation: { status: 'revoked', reason: 'keyCompromise' },
    });
    expect(report.verdict).toBe('failed');
  });
});
