// PDF verification reports: what the verifier says about sealed, tampered, extended and foreign
// documents, next to what pdfsig, openssl and qpdf say about the same bytes.
import { randomBytes } from 'node:crypto';
import { AppError } from '@platform/contracts';
import fc from 'fast-check';
import { PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncrementalUpdate } from '../src/domain/pdf/incremental-update.ts';
import { addLongTermValidation } from '../src/domain/pdf/ltv.ts';
import { openPdf } from '../src/domain/pdf/open-pdf.ts';
import { signPdf, type PadesSigner } from '../src/domain/pdf/pades-sign.ts';
import { serviceTrust } from '../src/domain/verify/service-trust.ts';
import { verifyPdf } from '../src/domain/verify/verify-pdf.ts';
import { SealHistoryRepository } from '../src/repositories/seal-history-repository.ts';
import { createAuthorityFixture, type AuthorityFixture } from './support/authority.ts';
import { samplePdf } from './support/pdfs.ts';
import { issueSealCertificate, padesSigner, sealField } from './support/seal-signer.ts';
import { embeddedSignatures, PdfVerifiers } from './support/verifiers.ts';

let fx: AuthorityFixture;
let verifiers: PdfVerifiers;
let sealedRsa: Buffer;

beforeAll(async () => {
  fx = await createAuthorityFixture();
  verifiers = new PdfVerifiers((await fx.authority.root()).facts.der);
  const record = await issueSealCertificate(fx.authority, 'rsa-2048');
  sealedRsa = (await signPdf(await samplePdf(), sealField(), await padesSigner(fx.authority, record))).pdf;
});
afterAll(async () => {
  verifiers?.remove();
  await fx?.close();
});

const trust = async (options: Parameters<typeof serviceTrust>[2] = {}) =>
  serviceTrust(fx.authority, new SealHistoryRepository(fx.db), options);
const verify = async (pdf: Buffer) => verifyPdf(pdf, await trust());

async function sealWith(signer: PadesSigner, pdf?: Buffer, x = 380): Promise<Buffer> {
  return (await signPdf(pdf ?? (await samplePdf()), sealField(x), signer)).pdf;
}

/** Appends a revision that replaces the first page's content: what a forger would do after sealing. */
async function appendContentChange(signed: Buffer): Promise<Buffer> {
  const pdf = await openPdf(signed);
  const update = new IncrementalUpdate(pdf);
  const page = pdf.doc.getPage(0);
  const contents = update.allocate();
  update.setStream(contents, '', Buffer.from('BT /F1 24 Tf 72 700 Td (Amount: 1,000,000) Tj ET', 'latin1'));
  const pageDict = page.node.clone(pdf.doc.context);
  pageDict.set(PDFName.of('Contents'), contents);
  update.set(page.ref, pageDict);
  return update.serialize();
}

describe('a freshly sealed PDF', () => {
  it.each(['rsa-2048', 'ecdsa-p256'] as const)(
    'passes at B-T with a %s seal, as pdfsig says too',
    async (algorithm) => {
      const record = await issueSealCertificate(fx.authority, algorithm);
      const signed = algorithm === 'rsa-2048' ? sealedRsa : await sealWith(await padesSigner(fx.authority, record));
      const report = await verify(signed);
      expect(report.verdict).toBe('passed');
      expect(report.reason).toBeNull();
      expect(report.signatures).toHaveLength(1);
      const [signature] = report.signatures;
      expect(signature).toMatchObject({
        index: 1,
        kind: 'signature',
        subFilter: 'ETSI.CAdES.detached',
        verdict: 'passed',
        level: 'B-T',
        signingCertificateV2: 'matches',
        integrity: { valid: true, digestAlgorithm: 'sha256', messageDigestMatches: true, signatureValid: true },
        coverage: { wholeDocument: true, laterRevisions: 0, changesAfterSigning: 'none', documentBytes: signed.length },
        timestamp: { present: true, valid: true, imprintMatches: true },
        revocation: { status: 'good', source: 'crl' },
        seal: { found: false },
      });
      expect(signature!.chain.trusted).toBe(true);
      expect(signature!.chain.certificates.map((c) => c.commonName)).toEqual([
        expect.stringContaining('福州市数据管理局'),
        'Seal Platform Issuing CA',
        'Seal Platform Root CA',
      ]);
      expect(signature!.signingTime.trusted).toBe(signature!.timestamp.genTime);
      expect(signature!.signingTime.validationTime).toBe(signature!.timestamp.genTime);
      expect((await verifiers.pdfsig(signed)).stdout).toContain('Signature is Valid');
    },
  );

  it('is B-B without a timestamp, checked at the current time', async () => {
    const record = await issueSealCertificate(fx.authority);
    const report = await verify(await sealWith(await padesSigner(fx.authority, record, { timestamp: false })));
    expect(report.verdict).toBe('passed');
    expect(report.signatures[0]).toMatchObject({
      level: 'B-B',
      timestamp: { present: false, valid: false },
      signingTime: { trusted: null },
    });
  });
});

describe('integrity', () => {
  it('fails with HASH_FAILURE after a one-byte change in the signed range, as pdfsig and openssl do', async () => {
    const tampered = Buffer.from(sealedRsa);
    tampered[10] = tampered[10]! ^ 0x01; // inside the header comment, the first signed range
    const report = await verify(tampered);
    expect(report.verdict).toBe('failed');
    expect(report.reason).toBe('HASH_FAILURE');
    expect(report.signatures[0]!.integrity).toMatchObject({
      valid: false,
      messageDigestMatches: false,
      signatureValid: true,
    });
    expect((await verifiers.pdfsig(tampered)).stdout).not.toContain('Signature is Valid');
    expect((await verifiers.opensslVerify(embeddedSignatures(tampered)[0]!)).code).not.toBe(0);
  });

  it('never passes after any single-byte flip inside the signed ranges', async () => {
    const [range] = embeddedSignatures(sealedRsa).map((s) => s.byteRange);
    const [, firstLength, gapEnd, secondLength] = range!;
    const signedOffset = fc.oneof(
      fc.integer({ min: 0, max: firstLength - 1 }),
      fc.integer({ min: gapEnd, max: gapEnd + secondLength - 1 }),
    );
    await fc.assert(
      fc.asyncProperty(signedOffset, fc.integer({ min: 1, max: 255 }), async (offset, mask) => {
        const tampered = Buffer.from(sealedRsa);
        tampered[offset] = tampered[offset]! ^ mask;
        try {
          const report = await verify(tampered);
          expect(report.verdict).toBe('failed');
          expect(report.signatures.some((s) => s.verdict === 'passed')).toBe(false);
        } catch (error) {
          // A flip that breaks the file's structure is refused as unreadable, which is not a pass either.
          expect(error).toBeInstanceOf(AppError);
          expect(['PDF_MALFORMED', 'PDF_NOT_SIGNED', 'PDF_ENCRYPTED']).toContain((error as AppError).code);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a /ByteRange that leaves more than the /Contents unsigned', async () => {
    // Shift the second range one byte further: one signed byte would escape the signature.
    const text = sealedRsa.toString('latin1');
    const match = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(text)!;
    const [, a, b, c, d] = match.map(Number) as [number, number, number, number, number];
    const widened = `/ByteRange [${a} ${b} ${c + 1} ${d - 1}]`.padEnd(match[0].length, ' ');
    const forged = Buffer.from(sealedRsa);
    forged.write(widened, match.index, 'latin1');
    const report = await verify(forged);
    expect(report.verdict).toBe('failed');
    expect(report.signatures[0]).toMatchObject({ verdict: 'failed', reason: 'FORMAT_FAILURE', level: 'none' });
  });
});

describe('changes after signing', () => {
  it('reports an appended revision that changes page content as modified after signing', async () => {
    const changed = await appendContentChange(sealedRsa);
    const report = await verify(changed);
    expect(report.verdict).toBe('failed');
    expect(report.reason).toBe('MODIFIED_AFTER_SIGNING');
    const [signature] = report.signatures;
    expect(signature!.integrity.valid).toBe(true); // the signed revision itself is intact…
    expect(signature!.coverage).toMatchObject({
      wholeDocument: false,
      laterRevisions: 1,
      changesAfterSigning: 'content-modified',
      signedBytes: sealedRsa.length - (signature!.byteRange![2]! - signature!.byteRange![1]!),
    });
    const pageRef = (await openPdf(sealedRsa)).doc.getPage(0).ref;
    expect(signature!.coverage.modifiedObjects).toEqual([pageRef.toString()]);
    // …and pdfsig agrees: valid, but not the whole document.
    const pdfsig = await verifiers.pdfsig(changed);
    expect(pdfsig.stdout).toContain('Signature is Valid');
    expect(pdfsig.stdout).not.toContain('Total document signed');
  });

  it('keeps both signatures passing when a second seal is added, the first covering its revision only', async () => {
    const second = await issueSealCertificate(fx.authority, 'ecdsa-p256');
    const twice = await sealWith(await padesSigner(fx.authority, second), sealedRsa, 200);
    const report = await verify(twice);
    expect(report.verdict).toBe('passed');
    expect(report.signatures.map((s) => [s.index, s.verdict, s.level, s.coverage.wholeDocument])).toEqual([
      [1, 'passed', 'B-T', false],
      [2, 'passed', 'B-T', true],
    ]);
    expect(report.signatures[0]!.coverage).toMatchObject({
      laterRevisions: 1,
      changesAfterSigning: 'signatures-and-validation-data',
      modifiedObjects: [],
    });
    expect(report.signatures[1]!.signer!.commonName).toContain('ecdsa-p256');
    expect((await verifiers.pdfsig(twice)).stdout.match(/Signature is Valid/g)).toHaveLength(2);
  });

  it('fails the earlier signature but passes the later one when content changed between them', async () => {
    const changed = await appendContentChange(sealedRsa);
    const second = await issueSealCertificate(fx.authority);
    const report = await verify(await sealWith(await padesSigner(fx.authority, second), changed, 200));
    expect(report.signatures.map((s) => [s.verdict, s.reason])).toEqual([
      ['failed', 'MODIFIED_AFTER_SIGNING'],
      ['passed', null],
    ]);
    expect(report.verdict).toBe('failed');
  });
});

describe('trust', () => {
  let foreign: AuthorityFixture;
  let foreignSealed: Buffer;
  beforeAll(async () => {
    // Another CA whose certificates carry exactly the same names as this service's.
    foreign = await createAuthorityFixture();
    const record = await issueSealCertificate(foreign.authority);
    foreignSealed = await sealWith(await padesSigner(foreign.authority, record));
  });
  afterAll(async () => foreign?.close());

  it('does not trust a seal from another CA, even one whose root has the same name', async () => {
    const report = await verify(foreignSealed);
    expect(report.verdict).toBe('indeterminate');
    expect(report.signatures[0]).toMatchObject({
      verdict: 'indeterminate',
      reason: 'NO_CERTIFICATE_CHAIN_FOUND',
      integrity: { valid: true },
      chain: { trusted: false },
      // The timestamp comes from the other CA's TSA: not trusted either.
      timestamp: { present: true, valid: false },
    });
  });

  it('trusts another CA only when its root is explicitly added, and needs its revocation data then', async () => {
    const foreignRoot = (await foreign.authority.root()).facts;
    const withAnchor = await trust({ extraAnchors: [foreignRoot] });
    const online = await verifyPdf(foreignSealed, withAnchor);
    expect(online.signatures[0]).toMatchObject({ verdict: 'indeterminate', reason: 'REVOCATION_UNAVAILABLE' });
    // With the other CA's validation data in the document's DSS, everything needed is at hand.
    const extended = await addLongTermValidation(foreignSealed, { authority: foreign.authority });
    const offline = await verifyPdf(extended, withAnchor);
    expect(offline.signatures[0]).toMatchObject({
      verdict: 'passed',
      level: 'B-LT',
      revocation: { status: 'good', source: 'ocsp' },
    });
  });
});

describe('revocation and the signing time', () => {
  it('passes a signature made before its certificate was revoked', async () => {
    const record = await issueSealCertificate(fx.authority);
    const signed = await sealWith(await padesSigner(fx.authority, record));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // revoked strictly after the timestamp's second
    const revokedAt = await fx.authority.revoke(record.id, 'keyCompromise');
    const report = await verify(signed);
    expect(report.verdict).toBe('passed');
    expect(report.signatures[0]!.revocation).toEqual({
      status: 'revoked-after-signing',
      // CRL times have whole seconds.
      revokedAt: new Date(Math.floor(revokedAt.getTime() / 1000) * 1000).toISOString(),
      reason: 'keyCompromise',
      source: 'crl',
    });
  });

  it('fails a signature timestamped after its certificate was revoked', async () => {
    const record = await issueSealCertificate(fx.authority);
    await fx.authority.revoke(record.id, 'cessationOfOperation');
    const later = () => new Date(Date.now() + 5_000);
    const report = await verify(await sealWith(await padesSigner(fx.authority, record, { clock: later })));
    expect(report.verdict).toBe('failed');
    expect(report.signatures[0]).toMatchObject({
      reason: 'REVOKED',
      revocation: { status: 'revoked', reason: 'cessationOfOperation' },
    });
  });

  it('is indeterminate for a revoked certificate when no timestamp proves the signing time', async () => {
    const record = await issueSealCertificate(fx.authority);
    const signed = await sealWith(await padesSigner(fx.authority, record, { timestamp: false }));
    await fx.authority.revoke(record.id, 'keyCompromise');
    const report = await verify(signed);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reason: 'REVOKED_NO_POE' });
  });

  it('fails a signature whose timestamp is over other data', async () => {
    const record = await issueSealCertificate(fx.authority);
    const honest = await padesSigner(fx.authority, record);
    const lying: PadesSigner = { ...honest, timestamp: () => honest.timestamp!(randomBytes(32)) };
    const report = await verify(await sealWith(lying));
    expect(report.signatures[0]).toMatchObject({
      verdict: 'failed',
      reason: 'TIMESTAMP_FAILURE',
      timestamp: { present: true, valid: false, imprintMatches: false },
      level: 'B-B',
    });
  });
});

describe('seal status at signing time', () => {
  /** A seal row walked through its lifecycle as the database allows, with events at chosen times. */
  async function sealFor(certificateId: string, events: Array<[string, Date]>): Promise<string> {
    const seal = await fx.db.seal.create({
      data: {
        orgCode: '91350100MA2XXXXX0K',
        orgName: '福州市数据管理局',
        name: '福州市数据管理局公章',
        kind: 'official',
        keyAlgorithm: 'rsa_2048',
        widthMm: 40,
        heightMm: 40,
        validUntil: new Date(Date.now() + 365 * 86400_000),
        appliedBy: 'applicant',
      },
    });
    const steps: Array<Record<string, unknown>> = [
      { status: 'approved', approvedBy: 'approver' },
      { status: 'made', certificateId },
      { status: 'filed', filingNumber: 'FZ-2026-0001' },
      { status: 'active' },
    ];
    for (const data of steps) await fx.db.seal.update({ where: { id: seal.id }, data });
    // Statuses after active (lost, cancelled, …) follow the events given.
    for (const [status] of events.slice(5)) {
      await fx.db.seal.update({ where: { id: seal.id }, data: { status: status as 'lost' } });
    }
    let from: string | null = null;
    for (const [status, at] of events) {
      await fx.db.sealEvent.create({
        data: {
          sealId: seal.id,
          fromStatus: from as 'applied' | null,
          toStatus: status as 'applied',
          actor: 'test',
          at,
        },
      });
      from = status;
    }
    return seal.id;
  }

  const lifecycleUntilActive = (start: number): Array<[string, Date]> =>
    ['applied', 'approved', 'made', 'filed', 'active'].map((status, i) => [status, new Date(start + i * 1000)]);

  it('passes a seal that was active when it signed though it was cancelled since', async () => {
    const record = await issueSealCertificate(fx.authority);
    const sealId = await sealFor(record.id, lifecycleUntilActive(Date.now() - 60_000));
    const signed = await sealWith(await padesSigner(fx.authority, record));
    await fx.db.seal.update({ where: { id: sealId }, data: { status: 'cancelled' } });
    await fx.db.sealEvent.create({
      data: { sealId, fromStatus: 'active', toStatus: 'cancelled', actor: 'test', at: new Date(Date.now() + 2000) },
    });
    const report = await verify(signed);
    expect(report.verdict).toBe('passed');
    expect(report.signatures[0]!.seal).toEqual({
      found: true,
      sealId,
      name: '福州市数据管理局公章',
      organisation: '福州市数据管理局',
      orgCode: '91350100MA2XXXXX0K',
      statusAtSigningTime: 'active',
      usableAtSigningTime: true,
      currentStatus: 'cancelled',
    });
  });

  it('fails a signature made while the seal was reported lost', async () => {
    const record = await issueSealCertificate(fx.authority);
    const start = Date.now() - 60_000;
    await sealFor(record.id, [...lifecycleUntilActive(start), ['lost', new Date(start + 10_000)]]);
    const report = await verify(await sealWith(await padesSigner(fx.authority, record)));
    expect(report.verdict).toBe('failed');
    expect(report.signatures[0]).toMatchObject({
      reason: 'SEAL_NOT_USABLE_AT_SIGNING_TIME',
      seal: { found: true, statusAtSigningTime: 'lost', usableAtSigningTime: false },
    });
  });
});

describe('PAdES B-LT', () => {
  it('appends a DSS that lifts the signature to B-LT and keeps it valid for pdfsig, openssl and qpdf', async () => {
    const extended = await addLongTermValidation(sealedRsa, { authority: fx.authority });
    expect(extended.subarray(0, sealedRsa.length).equals(sealedRsa)).toBe(true);
    const report = await verify(extended);
    expect(report.verdict).toBe('passed');
    expect(report.dss).toEqual({ certificates: 4, crls: 2, ocsps: 2 });
    expect(report.signatures[0]).toMatchObject({
      level: 'B-LT',
      coverage: { wholeDocument: false, laterRevisions: 1, changesAfterSigning: 'signatures-and-validation-data' },
    });
    // pdfsig: the signature stays valid and trusted; it no longer covers the whole file (the DSS revision).
    const pdfsig = await verifiers.pdfsig(extended);
    expect(pdfsig.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(pdfsig.stdout).toContain('Certificate Validation: Certificate is Trusted.');
    expect(pdfsig.stdout).toContain('Signed Ranges:');
    expect(pdfsig.stdout).not.toContain('Total document signed');
    expect((await verifiers.opensslVerify(embeddedSignatures(extended)[0]!)).code).toBe(0);
    const qpdf = await verifiers.qpdfCheck(extended);
    expect(qpdf.stdout).toContain('No syntax or stream encoding errors found');
    expect(qpdf.code).toBe(0);
  });

  it('adds to an existing DSS when a later seal asks for B-LT too', async () => {
    const once = await addLongTermValidation(sealedRsa, { authority: fx.authority });
    const second = await issueSealCertificate(fx.authority, 'ecdsa-p256');
    const twice = await sealWith(await padesSigner(fx.authority, second), once, 200);
    const both = await addLongTermValidation(twice, { authority: fx.authority });
    const report = await verify(both);
    expect(report.verdict).toBe('passed');
    expect(report.signatures.map((s) => s.level)).toEqual(['B-LT', 'B-LT']);
    // Kept from the first DSS and deduplicated by content: one new certificate, the same two CRLs.
    expect(report.dss).toMatchObject({ certificates: 5, crls: 2 });
    // OCSP: the first two, plus fresh answers for both seals and the TSA; an answer made within the
    // same second as an earlier one has the same bytes and is not stored twice.
    expect(report.dss!.ocsps).toBeGreaterThanOrEqual(3);
    expect(report.dss!.ocsps).toBeLessThanOrEqual(5);
    const qpdf = await verifiers.qpdfCheck(both);
    expect(qpdf.stderr).toBe('');
    expect(qpdf.code).toBe(0);
  });

  it('stays B-T when the DSS lacks revocation values for the chain', async () => {
    const extended = await addLongTermValidation(sealedRsa, { authority: fx.authority });
    // Empty the CRL and OCSP arrays of the DSS in place (same length, so offsets stay valid).
    const text = extended.toString('latin1');
    const dssAt = text.lastIndexOf('/Type /DSS');
    const stripped = Buffer.from(extended);
    for (const key of ['/CRLs [', '/OCSPs [']) {
      const start = text.indexOf(key, dssAt) + key.length;
      const end = text.indexOf(']', start);
      stripped.write(' '.repeat(end - start), start, 'latin1');
    }
    const report = await verify(stripped);
    expect(report.dss).toMatchObject({ crls: 0, ocsps: 0 });
    expect(report.signatures[0]!.level).toBe('B-T');
  });

  it('refuses a PDF without signatures', async () => {
    await expect(addLongTermValidation(await samplePdf(), { authority: fx.authority })).rejects.toMatchObject({
      code: 'PDF_NOT_SIGNED',
    });
    await expect(verify(await samplePdf())).rejects.toMatchObject({ code: 'PDF_NOT_SIGNED' });
  });
});
