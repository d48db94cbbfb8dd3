// verify.pdf and verify.cms over real HTTP, anonymous (verification is public), on documents the
// running service sealed through sign.*: the report follows the seal's lifecycle as recorded, and
// bad input gets a stable error code, never a 500.
import { samplePdf } from './support/pdfs.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealView } from '@platform/contracts';
import { activeSeal, expectAppError, startSealNode, type SealClient, type SealNode } from './support/seal-node.ts';
import { PdfVerifiers } from './support/verifiers.ts';

let node: SealNode;
let seal: SealView;
let signer: SealClient;
let verifiers: PdfVerifiers;

beforeAll(async () => {
  node = await startSealNode();
  verifiers = new PdfVerifiers((await (await node.core.authority()).root()).facts.der);
  seal = await activeSeal(node, { keyAlgorithm: 'rsa-2048' });
  await node.as('chief-1', 'seal:admin').authorization.grant.mutate({
    sealId: seal.id,
    subjects: ['license-service'],
    documentTypes: ['license'],
    validUntil: new Date(Date.now() + 86400_000).toISOString(),
  });
  signer = node.as('license-service', 'seal:sign');
});
afterAll(async () => {
  verifiers?.remove();
  await node?.close();
});

const signRequest = async (key: string, level: 'B-T' | 'B-LT' = 'B-T') => ({
  sealId: seal.id,
  documentType: 'license',
  idempotencyKey: key,
  pdf: (await samplePdf()).toString('base64'),
  placement: { page: 1, x: 380, y: 80 },
  level,
});

async function postJson(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${node.url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('verify over HTTP', () => {
  it('reports a document sealed by the service at B-LT, seal active at signing, still after the seal is lost', async () => {
    const sealed = await signer.sign.pdf.mutate(await signRequest('ltv-1', 'B-LT'));
    const { status, json } = await postJson('/verify/pdf', { pdf: sealed.pdf });
    expect(status).toBe(200);
    expect(json).toMatchObject({ verdict: 'passed', reason: null, dss: { crls: 2 } });
    const [signature] = json.signatures as Array<Record<string, unknown>>;
    expect(signature).toMatchObject({
      verdict: 'passed',
      level: 'B-LT',
      signer: { serial: seal.certificate!.serial },
      seal: { found: true, sealId: seal.id, statusAtSigningTime: 'active', currentStatus: 'active' },
    });
    const pdfsig = await verifiers.pdfsig(Buffer.from(sealed.pdf, 'base64'));
    expect(pdfsig.stdout).toContain('Signature Validation: Signature is Valid.');

    // Reported lost afterwards (its certificate is revoked): the signature was made while it was active.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await node.as('clerk-1', 'seal:admin').seal.reportLost.mutate({ sealId: seal.id, reason: '印章遗失' });
    const later = await node.anonymous.verify.pdf.mutate({ pdf: sealed.pdf });
    expect(later.verdict).toBe('passed');
    expect(later.signatures[0]).toMatchObject({
      seal: { statusAtSigningTime: 'active', usableAtSigningTime: true, currentStatus: 'lost' },
      revocation: { status: 'revoked-after-signing', source: 'crl' },
    });
  });

  it('verifies a detached CMS the service made, through the typed client without a token', async () => {
    const other = await activeSeal(node, { name: '济南泉城软件有限公司财务专用章', kind: 'finance' });
    await node.as('chief-1', 'seal:admin').authorization.grant.mutate({
      sealId: other.id,
      subjects: ['license-service'],
      documentTypes: ['license'],
      validUntil: new Date(Date.now() + 86400_000).toISOString(),
    });
    const content = Buffer.from('receipt 0001').toString('base64');
    const signed = await signer.sign.cms.mutate({
      sealId: other.id,
      documentType: 'license',
      idempotencyKey: 'cms-1',
      content,
    });
    const report = await node.anonymous.verify.cms.mutate({ cms: signed.cms, content });
    expect(report.signers[0]!.message).toBe('The signature is valid.');
    expect(report.verdict).toBe('passed');
    expect(report.signers[0]).toMatchObject({ seal: { found: true, sealId: other.id } });
    const wrong = await node.anonymous.verify.cms.mutate({
      cms: signed.cms,
      content: Buffer.from('x').toString('base64'),
    });
    expect(wrong).toMatchObject({ verdict: 'failed', reason: 'HASH_FAILURE' });
  });

  it('answers bad input with stable codes', async () => {
    await expectAppError(node.anonymous.verify.pdf.mutate({ pdf: '!!not base64!!' }), 'INVALID_BASE64');
    await expectAppError(
      node.anonymous.verify.pdf.mutate({ pdf: Buffer.from('hello').toString('base64') }),
      'PDF_MALFORMED',
    );
    await expectAppError(
      node.anonymous.verify.pdf.mutate({ pdf: (await samplePdf()).toString('base64') }),
      'PDF_NOT_SIGNED',
    );
    await expectAppError(
      node.anonymous.verify.cms.mutate({ cms: Buffer.from('junk').toString('base64'), content: 'AA==' }),
      'SIGNATURE_MALFORMED',
    );
    const rest = await postJson('/verify/pdf', { pdf: 'JVBERi0=', extra: true });
    expect(rest.status).toBe(400);
    // Larger than the body limit: refused before any parsing.
    const huge = await postJson('/verify/pdf', { pdf: 'A'.repeat(17 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});
