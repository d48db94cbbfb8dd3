// The signing procedures over HTTP: sealed PDFs pass pdfsig and openssl, anchors place the seal on
// the text, calls are idempotent per caller and key, CMS verifies with openssl, batches answer per
// document, and refused calls (bad input, unusable seals) write nothing.
import { embedCjkFont } from '@platform/pdf-text';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealView } from '@platform/contracts';
import {
  activeSeal,
  expectAppError,
  startSealNode,
  writes,
  type SealClient,
  type SealNode,
} from './support/seal-node.ts';
import { samplePdf } from './support/pdfs.ts';
import { embeddedSignatures, PdfVerifiers } from './support/verifiers.ts';

let node: SealNode;
let verifiers: PdfVerifiers;
let seal: SealView;
let signer: SealClient;
let pdf: string;

beforeAll(async () => {
  node = await startSealNode();
  verifiers = new PdfVerifiers((await (await node.core.authority()).root()).facts.der);
  seal = await activeSeal(node);
  await node.as('chief-1', 'seal:admin').authorization.grant.mutate({
    sealId: seal.id,
    subjects: ['license-service'],
    documentTypes: ['license', 'receipt'],
    validUntil: new Date(Date.now() + 86400_000).toISOString(),
  });
  signer = node.as('license-service', 'seal:sign');
  pdf = (await samplePdf({ pages: 2 })).toString('base64');
});
afterAll(async () => {
  verifiers?.remove();
  await node?.close();
});

const request = (key: string, overrides: Record<string, unknown> = {}) => ({
  sealId: seal.id,
  documentType: 'license',
  idempotencyKey: key,
  pdf,
  placement: { page: 2, x: 380, y: 80 },
  reason: '电子证照签发',
  ...overrides,
});

async function receiptWithAnchor(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await embedCjkFont(doc);
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('非税收入一般缴款书', { x: 180, y: 760, size: 20, font });
  page.drawText('执收单位（盖章）', { x: 330, y: 200, size: 14, font });
  return Buffer.from(await doc.save());
}

describe('sign.pdf', () => {
  it('seals a PDF that pdfsig and openssl accept, and reports the signature facts', async () => {
    const result = await signer.sign.pdf.mutate(request('doc-1'));
    const signed = Buffer.from(result.pdf, 'base64');
    expect(signed.subarray(0, Buffer.from(pdf, 'base64').length).equals(Buffer.from(pdf, 'base64'))).toBe(true);
    const sig = await verifiers.pdfsig(signed);
    expect(sig.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(sig.stdout).toContain('Certificate Validation: Certificate is Trusted.');
    expect(sig.stdout).toContain('Total document signed');
    expect(sig.stdout).toContain(`Signer Certificate Common Name: ${seal.name}`);
    const [embedded] = embeddedSignatures(signed);
    const openssl = await verifiers.opensslVerify(embedded!);
    expect(openssl.stderr).toContain('CMS Verification successful');
    expect((await verifiers.qpdfCheck(signed)).code).toBe(0);
    expect(result.signature).toMatchObject({
      sealId: seal.id,
      documentType: 'license',
      level: 'B-T',
      certificateSerial: seal.certificate!.serial,
      page: 2,
      rect: { x: 380, y: 80 },
      byteRange: embedded!.byteRange,
    });
    expect(Math.abs(Date.parse(result.signature.signingTime) - Date.now())).toBeLessThan(60_000);
    const operation = await node.db.signingOperation.findUniqueOrThrow({ where: { id: result.signature.operationId } });
    expect(operation).toMatchObject({ subject: 'license-service', idempotencyKey: 'doc-1', procedure: 'pdf' });
    // Only the appended revision is stored, not the caller's document.
    expect(operation.output.length).toBe(signed.length - Buffer.from(pdf, 'base64').length);
  });

  it('places the seal centred on an anchor text such as （盖章）', async () => {
    const receipt = await receiptWithAnchor();
    const result = await signer.sign.pdf.mutate({
      ...request('receipt-1', { documentType: 'receipt', pdf: receipt.toString('base64') }),
      placement: undefined,
      anchor: { text: '（盖章）', occurrence: 1 },
    });
    const { rect, page } = result.signature;
    expect(page).toBe(1);
    // 执收单位（盖章） at x=330, size 14: the anchor starts after four 14-pt glyphs and is four glyphs wide.
    const anchorCentreX = 330 + 4 * 14 + 2 * 14;
    expect(Math.abs(rect.x + rect.width / 2 - anchorCentreX)).toBeLessThan(3);
    expect(Math.abs(rect.y + rect.height / 2 - (200 + 14 * 0.35))).toBeLessThan(6);
    expect((await verifiers.pdfsig(Buffer.from(result.pdf, 'base64'))).stdout).toContain('Signature is Valid');
    await expectAppError(
      signer.sign.pdf.mutate({
        ...request('receipt-2', { pdf: receipt.toString('base64') }),
        placement: undefined,
        anchor: { text: '（签字）', occurrence: 1 },
      }),
      'PDF_ANCHOR_NOT_FOUND',
    );
  });

  it('is idempotent: same key and request give the identical result; another request with the key is refused', async () => {
    const first = await signer.sign.pdf.mutate(request('doc-idem'));
    const before = await writes(node.db);
    const again = await signer.sign.pdf.mutate(request('doc-idem'));
    expect(again).toEqual(first);
    expect(await writes(node.db)).toEqual(before);
    await expectAppError(
      signer.sign.pdf.mutate(request('doc-idem', { placement: { page: 1, x: 100, y: 100 } })),
      'IDEMPOTENCY_KEY_REUSED',
    );
    await expectAppError(
      signer.sign.cms.mutate({
        sealId: seal.id,
        documentType: 'license',
        idempotencyKey: 'doc-idem',
        content: 'aGVsbG8=',
      }),
      'IDEMPOTENCY_KEY_REUSED',
    );
    // Keys are per caller: another subject may use the same key for its own call.
    await node.as('chief-1', 'seal:admin').authorization.grant.mutate({
      sealId: seal.id,
      subjects: ['payment-service'],
      documentTypes: ['license'],
      validUntil: new Date(Date.now() + 86400_000).toISOString(),
    });
    const other = await node.as('payment-service', 'seal:sign').sign.pdf.mutate(request('doc-idem'));
    expect(other.signature.operationId).not.toBe(first.signature.operationId);
    expect(await writes(node.db)).toEqual({ ...before, operations: before.operations + 1, uses: before.uses + 1 });
  });

  it('refuses bad input with its own code and writes nothing', async () => {
    const before = await writes(node.db);
    const cases: Array<[Record<string, unknown>, Parameters<typeof expectAppError>[1]]> = [
      [{ pdf: Buffer.from('hello, not a pdf').toString('base64') }, 'PDF_MALFORMED'],
      [{ pdf: '@@not base64@@' }, 'INVALID_BASE64'],
      [{ placement: { page: 3, x: 10, y: 10 } }, 'PDF_PAGE_OUT_OF_RANGE'],
      [{ placement: { page: 1, x: 590, y: 10 } }, 'PDF_POSITION_OUTSIDE_PAGE'],
      [{ sealId: crypto.randomUUID() }, 'SEAL_NOT_FOUND'],
      [{ documentType: 'contract' }, 'DOCUMENT_TYPE_NOT_AUTHORIZED'],
    ];
    for (const [overrides, code] of cases) {
      await expectAppError(signer.sign.pdf.mutate(request(`bad-${code}`, overrides)), code);
    }
    await expectAppError(node.as('stranger', 'seal:sign').sign.pdf.mutate(request('x')), 'NOT_AUTHORIZED_FOR_SEAL');
    await expectAppError(node.as('license-service', 'seal:admin').sign.pdf.mutate(request('x')), 'INSUFFICIENT_SCOPE');
    await expectAppError(node.anonymous.sign.pdf.mutate(request('x')), 'UNAUTHENTICATED');
    const rest = await fetch(`${node.url}/api/sign/pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request('rest')),
    });
    expect(rest.status).toBe(401);
    expect(await writes(node.db)).toEqual(before);
  });
});

describe('sign.cms', () => {
  it('signs any bytes as detached CAdES that openssl verifies over the content', async () => {
    const content = Buffer.from('{"receipt":"3701260000000001","totalFen":12000}');
    const result = await signer.sign.cms.mutate({
      sealId: seal.id,
      documentType: 'receipt',
      idempotencyKey: 'cms-1',
      content: content.toString('base64'),
    });
    const cms = Buffer.from(result.cms, 'base64');
    const verify = await verifiers.opensslVerify({ byteRange: [0, 0, 0, 0], cms, signedContent: content });
    expect(verify.stderr).toContain('CMS Verification successful');
    const tampered = await verifiers.opensslVerify({ byteRange: [0, 0, 0, 0], cms, signedContent: Buffer.from('x') });
    expect(tampered.code).not.toBe(0);
    const printed = await verifiers.cmsPrint(cms);
    expect(printed).toContain('id-smime-aa-signingCertificateV2');
    expect(printed).toContain('signingTime');
    expect(printed).toContain('id-smime-aa-timeStampToken');
    expect(result.signature).toMatchObject({ level: 'CAdES-B-T', sealId: seal.id, documentType: 'receipt' });
    const again = await signer.sign.cms.mutate({
      sealId: seal.id,
      documentType: 'receipt',
      idempotencyKey: 'cms-1',
      content: content.toString('base64'),
    });
    expect(again).toEqual(result);
  });
});

describe('sign.batch', () => {
  it('signs each document on its own: a bad one fails alone', async () => {
    const before = await writes(node.db);
    const { results } = await signer.sign.batch.mutate({
      documents: [
        request('batch-1'),
        request('batch-2', { pdf: Buffer.from('garbage').toString('base64') }),
        request('batch-3', { placement: { page: 1, x: 100, y: 100 } }),
      ],
    });
    expect(results.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'PDF_MALFORMED' } });
    for (const r of results) {
      if (r.ok)
        expect((await verifiers.pdfsig(Buffer.from(r.result.pdf, 'base64'))).stdout).toContain('Signature is Valid');
    }
    expect(await writes(node.db)).toEqual({ ...before, operations: before.operations + 2, uses: before.uses + 2 });
  });
});

describe('seals that may not sign', () => {
  it('refuses suspended, lost and cancelled seals, writing nothing', async () => {
    const admin = node.as('clerk-1', 'seal:admin');
    for (const [end, reason] of [
      ['suspend', '暂停'],
      ['reportLost', '遗失'],
      ['cancel', '注销'],
    ] as const) {
      const other = await activeSeal(node, { keyAlgorithm: 'rsa-2048' });
      await node.as('chief-1', 'seal:admin').authorization.grant.mutate({
        sealId: other.id,
        subjects: ['license-service'],
        documentTypes: ['license'],
        validUntil: new Date(Date.now() + 86400_000).toISOString(),
      });
      await signer.sign.pdf.mutate(request(`before-${end}`, { sealId: other.id }));
      await admin.seal[end].mutate({ sealId: other.id, reason });
      const before = await writes(node.db);
      await expectAppError(signer.sign.pdf.mutate(request(`after-${end}`, { sealId: other.id })), 'SEAL_NOT_ACTIVE');
      expect(await writes(node.db)).toEqual(before);
    }
  });
});
