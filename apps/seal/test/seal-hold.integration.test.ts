// Suspension as a real CA does it: the seal's certificate goes on hold (CRLReason certificateHold)
// in the CRL and OCSP, reinstatement takes it off again, loss after a hold makes the revocation
// final; a signature made before the hold still verifies, and signing while suspended is refused.
// CRL and OCSP are read over HTTP by the openssl command line, independent of the service's code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealView } from '@platform/contracts';
import { activeSeal, expectAppError, startSealNode, type SealClient, type SealNode } from './support/seal-node.ts';
import { samplePdf } from './support/pdfs.ts';
import { pem, TempDir, tool } from './support/tools.ts';

let node: SealNode;
let seal: SealView;
let signer: SealClient;
let clerk: SealClient;
const dir = new TempDir();
let files: { root: string; issuing: string; seal: string };

beforeAll(async () => {
  node = await startSealNode();
  seal = await activeSeal(node);
  await node.as('chief-1', 'seal:admin').authorization.grant.mutate({
    sealId: seal.id,
    subjects: ['license-service'],
    documentTypes: ['license'],
    validUntil: new Date(Date.now() + 86400_000).toISOString(),
  });
  signer = node.as('license-service', 'seal:sign');
  clerk = node.as('clerk-1', 'seal:admin');
  const authority = await node.core.authority();
  files = {
    root: dir.write('root.pem', pem((await authority.root()).facts.der)),
    issuing: dir.write('issuing.pem', pem((await authority.issuing()).facts.der)),
    seal: dir.write('seal.pem', seal.certificate!.pem),
  };
});
afterAll(async () => {
  await node?.close();
  dir.remove();
});

const sign = async (key: string) =>
  signer.sign.pdf.mutate({
    sealId: seal.id,
    documentType: 'license',
    idempotencyKey: key,
    pdf: (await samplePdf()).toString('base64'),
    placement: { page: 1, x: 380, y: 80 },
  });

/** The issuing CA's CRL as published over HTTP, as `openssl crl -text` reads it (signature checked). */
async function crlText(name: string): Promise<{ text: string; number: number }> {
  const der = Buffer.from(await (await fetch(`${node.url}/ca/issuing.crl`)).arrayBuffer());
  const file = dir.write(name, der);
  const result = await tool('openssl', [
    'crl',
    '-inform',
    'DER',
    '-in',
    file,
    '-noout',
    '-text',
    '-CAfile',
    files.issuing,
  ]);
  expect(result.stderr).toContain('verify OK');
  return { text: result.stdout, number: Number(/X509v3 CRL Number: \n\s+(\d+)\n/.exec(result.stdout)![1]) };
}

/** The seal certificate's entry in the CRL text: its serial line and the reason lines below it. */
function crlEntry(text: string, certificate = seal.certificate!): string | undefined {
  const serial = `Serial Number: ${certificate.serial.toUpperCase().padStart(32, '0')}`;
  const at = text.indexOf(serial);
  if (at < 0) return undefined;
  const next = text.indexOf('Serial Number:', at + serial.length);
  return text.slice(at, next < 0 ? text.indexOf('Signature Algorithm', at) : next);
}

async function ocsp(): Promise<string> {
  const result = await tool('openssl', [
    'ocsp',
    '-issuer',
    files.issuing,
    '-cert',
    files.seal,
    '-url',
    `${node.url}/ocsp`,
    '-CAfile',
    files.root,
  ]);
  expect(result.stderr).toContain('Response verify OK');
  return result.stdout;
}

// Seal statuses and signing times are compared in whole seconds (timestamps' genTime).
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

describe('certificate hold on suspension', () => {
  let beforeHold: string;

  it('starts good in the CRL and OCSP', async () => {
    beforeHold = (await sign('before-hold')).pdf;
    expect(crlEntry((await crlText('active.crl')).text)).toBeUndefined();
    expect(await ocsp()).toContain(`${files.seal}: good`);
  });

  it('puts the certificate on hold when the seal is suspended: CRL and OCSP say certificateHold', async () => {
    await nextSecond();
    const before = await crlText('before-suspend.crl');
    const suspended = await clerk.seal.suspend.mutate({ sealId: seal.id, reason: '暂停使用' });
    expect(suspended.status).toBe('suspended');
    expect(suspended.certificate!.revokedAt).not.toBeNull();

    const after = await crlText('suspended.crl');
    expect(after.number).toBe(before.number + 1);
    expect(crlEntry(after.text)).toContain('Certificate Hold');
    const answer = await ocsp();
    expect(answer).toContain(`${files.seal}: revoked`);
    expect(answer).toContain('Reason: certificateHold');
  });

  it('refuses to sign while suspended, and writes nothing', async () => {
    const operations = await node.db.signingOperation.count();
    await expectAppError(sign('during-hold'), 'SEAL_NOT_ACTIVE');
    expect(await node.db.signingOperation.count()).toBe(operations);
  });

  it('still verifies a signature made before the hold: the seal was active then', async () => {
    const report = await node.anonymous.verify.pdf.mutate({ pdf: beforeHold });
    expect(report.verdict).toBe('passed');
    expect(report.signatures[0]).toMatchObject({
      verdict: 'passed',
      seal: { statusAtSigningTime: 'active', usableAtSigningTime: true, currentStatus: 'suspended' },
      revocation: { status: 'revoked-after-signing', reason: 'certificateHold', source: 'crl' },
    });
  });

  it('takes the certificate off hold on reinstatement: absent from the next full CRL, OCSP good', async () => {
    const before = await crlText('before-reinstate.crl');
    const active = await clerk.seal.reinstate.mutate({ sealId: seal.id, reason: '恢复使用' });
    expect(active.status).toBe('active');
    expect(active.certificate!.revokedAt).toBeNull();

    const after = await crlText('reinstated.crl');
    expect(after.number).toBe(before.number + 1);
    expect(crlEntry(after.text)).toBeUndefined();
    expect(await ocsp()).toContain(`${files.seal}: good`);
    const report = await node.anonymous.verify.pdf.mutate({ pdf: beforeHold });
    expect(report.signatures[0]).toMatchObject({ verdict: 'passed', revocation: { status: 'good' } });
    // And it signs again.
    expect((await sign('after-reinstatement')).signature.certificateSerial).toBe(seal.certificate!.serial);
  });

  it('makes a hold final when the suspended seal is reported lost, never good again', async () => {
    await nextSecond();
    const held = await clerk.seal.suspend.mutate({ sealId: seal.id, reason: '再次暂停' });
    const lost = await clerk.seal.reportLost.mutate({ sealId: seal.id, reason: '印章遗失' });
    expect(lost.status).toBe('lost');
    // The revocation date stays the hold's: the certificate has not been usable since.
    expect(lost.certificate!.revokedAt).toBe(held.certificate!.revokedAt);

    const entry = crlEntry((await crlText('lost.crl')).text);
    expect(entry).toContain('Key Compromise');
    expect(entry).not.toContain('Certificate Hold');
    const answer = await ocsp();
    expect(answer).toContain(`${files.seal}: revoked`);
    expect(answer).toContain('Reason: keyCompromise');

    // Cancelling the lost seal keeps the first final reason.
    await clerk.seal.cancel.mutate({ sealId: seal.id, reason: '遗失后注销' });
    expect(crlEntry((await crlText('cancelled.crl')).text)).toContain('Key Compromise');
    await expectAppError(clerk.seal.reinstate.mutate({ sealId: seal.id }), 'SEAL_TRANSITION_INVALID');

    const report = await node.anonymous.verify.pdf.mutate({ pdf: beforeHold });
    expect(report.signatures[0]).toMatchObject({
      verdict: 'passed',
      seal: { statusAtSigningTime: 'active', currentStatus: 'cancelled' },
      revocation: { status: 'revoked-after-signing', reason: 'keyCompromise' },
    });
  });

  it('revokes a held certificate for good on cancellation too (cessationOfOperation)', async () => {
    const other = await activeSeal(node, { name: '济南泉城软件有限公司财务专用章', kind: 'finance' });
    const otherFile = dir.write('other.pem', other.certificate!.pem);
    await clerk.seal.suspend.mutate({ sealId: other.id, reason: '暂停' });
    expect(crlEntry((await crlText('other-held.crl')).text, other.certificate!)).toContain('Certificate Hold');
    await clerk.seal.cancel.mutate({ sealId: other.id, reason: '注销' });
    const entry = crlEntry((await crlText('other.crl')).text, other.certificate!);
    expect(entry).toContain('Cessation Of Operation');
    expect(entry).not.toContain('Certificate Hold');
    const answer = await tool('openssl', [
      'ocsp',
      '-issuer',
      files.issuing,
      '-cert',
      otherFile,
      '-url',
      `${node.url}/ocsp`,
      '-CAfile',
      files.root,
    ]);
    expect(answer.stdout).toContain('Reason: cessationOfOperation');
  });
});
