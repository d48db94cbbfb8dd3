// gbt38540.* over HTTP: signing bytes with the development SM2 seal (scope seal:sign), public
// verification with a report, the signature checked independently by the OpenSSL command line,
// and bad input answered with stable error codes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import { createSealClient, errorBodyOf } from '@platform/contracts';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { listenForTest, type RunningService } from '@platform/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealService } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';
import { RESOURCE } from '../src/meta.ts';
import { decodeSignature } from '../src/domain/sm2/gbt38540-structures.ts';
import { sm2CertificateFacts } from '../src/domain/sm2/sm2-certificate.ts';
import { sm2SpkiDer } from '../src/domain/sm2/sm2-key.ts';
import { TempDir, pem, tool } from './support/tools.ts';

let issuer: TestIssuer;
let database: TestDatabase;
let running: RunningService;
let dataDir: string;
const files = new TempDir();

beforeAll(async () => {
  issuer = await startTestIssuer();
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'seal-sm2-'));
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    IDENTITY_ISSUER_URL: issuer.issuer,
    DATA_DIR: dataDir,
    MAX_DOCUMENT_BYTES: '200000',
  });
  running = await listenForTest(createSealService(env, createDatabase(database.url)));
});
afterAll(async () => {
  await running?.close();
  await issuer?.close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
  files.remove();
});

const client = (scope?: string) =>
  createSealClient({
    url: running.url,
    ...(scope ? { getToken: () => issuer.mint({ sub: 'clerk-1', aud: RESOURCE, scope }) } : {}),
  });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function errorCode(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    return errorBodyOf(error)?.code;
  }
  return undefined;
}

describe('gbt38540 over HTTP', () => {
  const data = Buffer.from('收费票据 No. 0012345 — 金额 ¥120.00');

  it('signs with seal:sign; the public verify passes, and OpenSSL verifies the SM2 signature value', async () => {
    const signed = await client('seal:sign').gbt38540.sign.mutate({ data: b64(data), propertyInfo: 'receipt-0012345' });
    expect(signed.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.seal).toMatchObject({ type: 1, vendor: 'platform-seal' });

    const report = await client().gbt38540.verify.mutate({ signature: signed.signature, data: b64(data) });
    expect(report.verdict).toBe('passed');
    expect(report.reasons).toEqual([]);
    expect(report.signature).toMatchObject({ signedAt: signed.signedAt, propertyInfo: 'receipt-0012345' });

    const der = Buffer.from(signed.signature, 'base64');
    const decoded = decodeSignature(der);
    const signer = sm2CertificateFacts(decoded.signerCertificate);
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
      files.write('signer.pub', pem(sm2SpkiDer(signer.publicKey), 'PUBLIC KEY')),
      '-in',
      files.write('tbs.der', decoded.tbsDer),
      '-sigfile',
      files.write('tbs.sig', decoded.signature),
    ]);
    expect(result.stdout).toContain('Signature Verified Successfully');

    // The signer certificate chains to the published SM2 root (checked by OpenSSL).
    const seal = await client().gbt38540.seal.query();
    const chain = await tool('openssl', [
      'verify',
      '-vfyopt',
      'distid:1234567812345678',
      '-CAfile',
      files.write('root.pem', seal.rootCertificate),
      files.write('signer.pem', pem(decoded.signerCertificate)),
    ]);
    expect(chain.stdout).toContain(': OK');
    expect(Buffer.from(seal.seal, 'base64').equals(decoded.tbs.seal.der)).toBe(true);
  });

  it('fails verification on one changed byte of the data or the signature value', async () => {
    const signed = await client('seal:sign').gbt38540.sign.mutate({ data: b64(data) });
    const changed = Buffer.from(data);
    changed[0]! ^= 1;
    const report = await client().gbt38540.verify.mutate({ signature: signed.signature, data: b64(changed) });
    expect(report.verdict).toBe('failed');
    expect(report.reasons).toEqual(['dataHash: SM3 of the data equals dataHash']);
    const der = Buffer.from(signed.signature, 'base64');
    der[der.length - 3]! ^= 1; // inside the signature BIT STRING
    const broken = await client().gbt38540.verify.mutate({ signature: b64(der), data: b64(data) });
    expect(broken.verdict).toBe('failed');
    expect(broken.checks.find((c) => c.name === 'signatureValue')?.ok).toBe(false);
  });

  it('requires an access token with seal:sign to sign', async () => {
    expect(await errorCode(client().gbt38540.sign.mutate({ data: b64(data) }))).toBe('UNAUTHENTICATED');
    expect(await errorCode(client('seal:admin').gbt38540.sign.mutate({ data: b64(data) }))).toBe('INSUFFICIENT_SCOPE');
  });

  it('answers bad input with stable codes', async () => {
    const signer = client('seal:sign');
    expect(await errorCode(signer.gbt38540.sign.mutate({ data: 'not base64!' }))).toBe('INVALID_BASE64');
    expect(await errorCode(signer.gbt38540.sign.mutate({ data: b64(Buffer.alloc(200_001)) }))).toBe(
      'DOCUMENT_TOO_LARGE',
    );
    expect(await errorCode(signer.gbt38540.sign.mutate({ data: b64(data), propertyInfo: '中文' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      await errorCode(
        client().gbt38540.verify.mutate({ signature: b64(Buffer.from('3003020104', 'hex')), data: b64(data) }),
      ),
    ).toBe('SIGNATURE_MALFORMED');
  });
});
