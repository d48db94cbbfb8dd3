// gbt38540.* over HTTP with an SM2 seal of the lifecycle (apply → approve → make → file → active):
// signing under the caller's authorisation, idempotent per caller and key; public verification with
// a report; the signature, its signer certificate's chain and the SESeal checked independently by
// the OpenSSL command line; suspension stops signing; bad input answered with stable codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealView } from '@platform/contracts';
import { decodeSeal, decodeSignature } from '../src/domain/sm2/gbt38540-structures.ts';
import { sm2CertificateFacts } from '../src/domain/sm2/sm2-certificate.ts';
import { sm2SpkiDer } from '../src/domain/sm2/sm2-key.ts';
import { sm2Verify } from '../src/domain/sm2/sm2-signature.ts';
import { signWithSeal } from '../src/domain/sm2/gbt38540.ts';
import { children, parseDer, primitiveBytes, toDer } from '../src/domain/asn1/der.ts';
import { toStoredCertificate } from '../src/repositories/certificate-repository.ts';
import {
  activeSeal,
  expectAppError,
  startSealNode,
  writes,
  type SealClient,
  type SealNode,
} from './support/seal-node.ts';
import { TempDir, pem, tool } from './support/tools.ts';

let node: SealNode;
let seal: SealView;
let signer: SealClient;
/** The SM2 seal's holder certificate (DER), from its SESeal. */
let holderCertificate: Buffer;
const files = new TempDir();
const data = Buffer.from('收费票据 No. 0012345 — 金额 ¥120.00');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

beforeAll(async () => {
  node = await startSealNode();
  seal = await activeSeal(node, { name: '济南泉城软件有限公司财务专用章', kind: 'finance', keyAlgorithm: 'sm2' });
  await node.as('chief-1', 'seal:admin').authorization.grant.mutate({
    sealId: seal.id,
    subjects: ['payment-service'],
    documentTypes: ['receipt'],
    validUntil: new Date(Date.now() + 86400_000).toISOString(),
    maxUses: 10,
  });
  signer = node.as('payment-service', 'seal:sign');
});
afterAll(async () => {
  await node?.close();
  files.remove();
});

const request = (key: string, overrides: Record<string, unknown> = {}) => ({
  sealId: seal.id,
  documentType: 'receipt',
  idempotencyKey: key,
  data: b64(data),
  propertyInfo: 'receipt-0012345',
  ...overrides,
});

describe('SM2 seals in the lifecycle', () => {
  it('makes an SM2 seal: holder certificate under the SM2 root, SESeal listing it, signed by the maker', async () => {
    expect(seal.keyAlgorithm).toBe('sm2');
    const published = await node.anonymous.gbt38540.seal.query({ sealId: seal.id });
    expect(published).toMatchObject({ name: seal.name, type: 1, vendor: 'platform-seal' });
    expect(published.esId).toBe(seal.id.replaceAll('-', ''));
    const sesSeal = decodeSeal(Buffer.from(published.seal, 'base64'));
    const [holder] = sesSeal.info.property.certList.type === 1 ? sesSeal.info.property.certList.certificates : [];
    expect(sm2CertificateFacts(holder!).serialHex).toBe(seal.certificate!.serial);
    holderCertificate = holder!;
    // OpenSSL: the holder and the maker chain to the SM2 root.
    const root = files.write('root.pem', published.rootCertificate);
    // The holder certificate names the SM2 root's CRL.
    const holderText = await tool('openssl', [
      'x509',
      '-noout',
      '-text',
      '-in',
      files.write('holder-cdp.pem', pem(holder!)),
    ]);
    expect(holderText.stdout).toMatch(/URI:https?:\/\/\S+\/ca\/sm2-root\.crl/);
    for (const [name, der] of [
      ['holder', holder!],
      ['maker', sesSeal.makerCertificate],
    ] as const) {
      const chain = await tool('openssl', [
        'verify',
        '-vfyopt',
        'distid:1234567812345678',
        '-CAfile',
        root,
        files.write(`${name}.pem`, pem(der)),
      ]);
      expect(chain.stdout, name).toContain(': OK');
    }
  });

  it('signs for an authorised caller; the public verify passes, and OpenSSL verifies the SM2 signature value', async () => {
    const signed = await signer.gbt38540.sign.mutate(request('receipt-1'));
    expect(signed).toMatchObject({
      sealId: seal.id,
      documentType: 'receipt',
      certificateSerial: seal.certificate!.serial,
      seal: { name: seal.name, type: 1, vendor: 'platform-seal' },
    });
    expect(signed.dataHash).toMatch(/^[0-9a-f]{64}$/);

    const report = await node.anonymous.gbt38540.verify.mutate({ signature: signed.signature, data: b64(data) });
    expect(report.verdict).toBe('passed');
    expect(report.reasons).toEqual([]);
    expect(report.signature).toMatchObject({ signedAt: signed.signedAt, propertyInfo: 'receipt-0012345' });

    const decoded = decodeSignature(Buffer.from(signed.signature, 'base64'));
    const holder = sm2CertificateFacts(decoded.signerCertificate);
    const result = await tool('openssl', [
      'pkeyutl',
      '-verify',
      '-rawin',
      '-digest',
      'sm3',
      '-pkeyopt',
      'distid:1234567812345678',
      '-pubin',
      '-inkey',
      files.write('signer.pub', pem(sm2SpkiDer(holder.publicKey), 'PUBLIC KEY')),
      '-in',
      files.write('tbs.der', decoded.tbsDer),
      '-sigfile',
      files.write('tbs.sig', decoded.signature),
    ]);
    expect(result.stdout).toContain('Signature Verified Successfully');
  });

  it('is idempotent per caller and key: a replay returns the same signature and counts no use', async () => {
    const first = await signer.gbt38540.sign.mutate(request('receipt-2'));
    const before = await writes(node.db);
    const again = await signer.gbt38540.sign.mutate(request('receipt-2'));
    expect(again).toEqual(first);
    expect(await writes(node.db)).toEqual(before);
    await expectAppError(
      signer.gbt38540.sign.mutate(request('receipt-2', { propertyInfo: 'receipt-other' })),
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('refuses callers without an authorisation, other document types, and the wrong kind of seal — writing nothing', async () => {
    const before = await writes(node.db);
    await expectAppError(
      node.as('someone-else', 'seal:sign').gbt38540.sign.mutate(request('x-1')),
      'NOT_AUTHORIZED_FOR_SEAL',
    );
    await expectAppError(
      signer.gbt38540.sign.mutate(request('x-2', { documentType: 'contract' })),
      'DOCUMENT_TYPE_NOT_AUTHORIZED',
    );
    const rsa = await activeSeal(node, { name: '济南泉城软件有限公司合同专用章', keyAlgorithm: 'rsa-2048' });
    await expectAppError(signer.gbt38540.sign.mutate(request('x-3', { sealId: rsa.id })), 'SEAL_ALGORITHM_MISMATCH');
    await expectAppError(
      signer.sign.cms.mutate({ sealId: seal.id, documentType: 'receipt', idempotencyKey: 'x-4', content: b64(data) }),
      'SEAL_ALGORITHM_MISMATCH',
    );
    await expectAppError(signer.gbt38540.sign.mutate({ data: b64(data) } as never), 'VALIDATION_FAILED');
    await expectAppError(signer.gbt38540.sign.mutate(request('x-5', { data: 'not base64!' })), 'INVALID_BASE64');
    await expectAppError(signer.gbt38540.sign.mutate(request('x-6', { propertyInfo: '中文' })), 'VALIDATION_FAILED');
    await expectAppError(
      node.as('payment-service', 'seal:admin').gbt38540.sign.mutate(request('x-7')),
      'INSUFFICIENT_SCOPE',
    );
    await expectAppError(node.anonymous.gbt38540.sign.mutate(request('x-8')), 'UNAUTHENTICATED');
    expect(await writes(node.db)).toEqual(before);
  });

  it('fails verification on one changed byte of the data or the signature value', async () => {
    const signed = await signer.gbt38540.sign.mutate(request('receipt-3'));
    const changed = Buffer.from(data);
    changed[0]! ^= 1;
    const report = await node.anonymous.gbt38540.verify.mutate({ signature: signed.signature, data: b64(changed) });
    expect(report.verdict).toBe('failed');
    expect(report.reasons).toEqual(['dataHash: SM3 of the data equals dataHash']);
    const der = Buffer.from(signed.signature, 'base64');
    der[der.length - 3]! ^= 1; // inside the signature BIT STRING
    const broken = await node.anonymous.gbt38540.verify.mutate({ signature: b64(der), data: b64(data) });
    expect(broken.verdict).toBe('failed');
    expect(broken.checks.find((check) => check.name === 'signatureValue')?.ok).toBe(false);
    await expectAppError(
      node.anonymous.gbt38540.verify.mutate({ signature: b64(Buffer.from('3003020104', 'hex')), data: b64(data) }),
      'SIGNATURE_MALFORMED',
    );
  });

  it('stops signing while the seal is suspended (certificate on hold in the SM2 CRL) and signs again once reinstated', async () => {
    const before = await signer.gbt38540.sign.mutate(request('receipt-before-hold'));
    const admin = node.as('clerk-1', 'seal:admin');
    await admin.seal.suspend.mutate({ sealId: seal.id, reason: '印章保管人变更' });
    const onHold = await sm2Crl();
    expect(onHold.text).toContain(`Serial Number: ${opensslSerial(seal.certificate!.serial)}`);
    expect(onHold.text).toContain('Certificate Hold');
    const unchanged = await writes(node.db);
    await expectAppError(signer.gbt38540.sign.mutate(request('receipt-4')), 'SEAL_NOT_ACTIVE');
    expect(await writes(node.db)).toEqual(unchanged);
    // Made before the hold: still valid, and the report says when the hold came.
    const during = await node.anonymous.gbt38540.verify.mutate({ signature: before.signature, data: b64(data) });
    expect(during.verdict).toBe('passed');
    expect(during.checks.find((check) => check.name === 'signerRevocation')?.detail).toMatch(
      /revoked \(certificateHold\) at .*, after the signing time/,
    );

    await admin.seal.reinstate.mutate({ sealId: seal.id });
    const released = await sm2Crl();
    expect(released.text).not.toContain(opensslSerial(seal.certificate!.serial));
    expect(released.number).toBe(onHold.number + 1);
    const signed = await signer.gbt38540.sign.mutate(request('receipt-4'));
    const report = await node.anonymous.gbt38540.verify.mutate({ signature: signed.signature, data: b64(data) });
    expect(report.verdict).toBe('passed');
    expect(report.checks.find((check) => check.name === 'signerRevocation')).toEqual({
      name: 'signerRevocation',
      ok: true,
      detail: 'signer certificate not revoked',
    });
  });

  it('once the seal is reported lost, a signature its key makes later fails verification; earlier ones pass', async () => {
    const earlier = await signer.gbt38540.sign.mutate(request('receipt-before-loss'));
    await node.as('clerk-1', 'seal:admin').seal.reportLost.mutate({ sealId: seal.id, reason: '印章遗失' });
    expect((await sm2Crl()).text).toContain('Key Compromise');
    await expectAppError(signer.gbt38540.sign.mutate(request('receipt-after-loss')), 'SEAL_NOT_ACTIVE');
    // Whoever found the key signs on their own, claiming a time after the loss report.
    const ca = await node.core.authority();
    const record = (await ca.sm2.revocationOf(holderCertificate))!;
    const stolen = await signWithSeal(
      Buffer.from((await node.anonymous.gbt38540.seal.query({ sealId: seal.id })).seal, 'base64'),
      ca.sm2.signerOf(
        toStoredCertificate(
          await node.db.certificate.findUniqueOrThrow({ where: { serial: seal.certificate!.serial } }),
        ),
      ),
      data,
      { at: new Date(record.revokedAt.getTime() + 2000) },
    );
    const forged = await node.anonymous.gbt38540.verify.mutate({ signature: b64(stolen), data: b64(data) });
    expect(forged.verdict).toBe('failed');
    expect(forged.reasons).toEqual([
      expect.stringMatching(
        /^signerRevocation: signer certificate revoked \(keyCompromise\) at .*, before the signing time/,
      ),
    ]);
    const kept = await node.anonymous.gbt38540.verify.mutate({ signature: earlier.signature, data: b64(data) });
    expect(kept.verdict).toBe('passed');
  });
});

/** A serial as `openssl crl -text` prints it: upper case, whole bytes. */
const opensslSerial = (hex: string) => (hex.length % 2 ? `0${hex}` : hex).toUpperCase();

/** The SM2 root's CRL over HTTP: its signature checked against the root, its text as OpenSSL reads it. */
async function sm2Crl(): Promise<{ text: string; number: number }> {
  const response = await fetch(`${node.url}/ca/sm2-root.crl`);
  expect(response.headers.get('content-type')).toBe('application/pkix-crl');
  const der = Buffer.from(await response.arrayBuffer());
  const [tbs, , signatureBits] = children(parseDer(der), 'CRL');
  const root = sm2CertificateFacts((await (await node.core.authority()).sm2.rootCertificate())!);
  expect(sm2Verify(root.publicKey, toDer(tbs!), primitiveBytes(signatureBits, 'signature').subarray(1))).toBe(true);
  const text = (await tool('openssl', ['crl', '-inform', 'DER', '-noout', '-text', '-in', files.write('sm2.crl', der)]))
    .stdout;
  const number = Number(/X509v3 CRL Number:\s*\n\s*(\d+)/.exec(text)?.[1]);
  return { text, number };
}
