// License files against the real seal service (in-process, its own database, same token issuer):
// the sealed PDF passes pdfsig (valid, trusted, whole document signed), qpdf and pdftotext; issuing
// never waits for the seal service and a file is never handed out unsealed; retries never seal twice.
import { createHash } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import { applyMigrations, databaseUrlWithName, dropDatabase, ensureDatabase, findFreePort } from '@platform/db';
import {
  activateTestSeal,
  SEAL_MIGRATIONS_DIR,
  SealedPdfTools,
  startTestSealService,
  type TestSealService,
} from '@platform/seal/testing';
import { createSealClient } from '@platform/contracts';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sealingKey } from '../src/domain/files/license-files.ts';
import { SealServiceLicenseSealer } from '../src/domain/files/license-sealer.ts';
import { BUSINESS_LICENCE, FIRM_CODE, PERSON_ID, businessLicenceRequest } from './support/fixtures.ts';
import { expectAppError, startLicenseNode, type LicenseNode } from './support/node.ts';

const tools = new SealedPdfTools();
const { run, write } = tools;

let issuer: TestIssuer;
let seal: TestSealService;
let sealDb: { url: string; drop(): Promise<void> };
let node: LicenseNode;
let sealName: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const adminUrl = inject('platformDbAdminUrl');
  const name = `${inject('platformDbRunId')}_seal_${Math.random().toString(36).slice(2, 8)}`;
  await ensureDatabase(adminUrl, name);
  sealDb = { url: databaseUrlWithName(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
  await applyMigrations({ migrationsDir: SEAL_MIGRATIONS_DIR, databaseUrl: sealDb.url });
  seal = await startTestSealService({
    databaseUrl: sealDb.url,
    issuerUrl: issuer.issuer,
    mint: (claims) => issuer.mint(claims),
    port: await findFreePort(),
  });
  const authority = BUSINESS_LICENCE.issuingAuthority;
  sealName = `${authority.name}电子证照专用章`;
  await activateTestSeal(seal, {
    orgCode: authority.code,
    orgName: authority.name,
    name: sealName,
    kind: 'official',
    subjects: ['license-service'],
    documentTypes: ['license'],
  });
  node = await startLicenseNode({
    issuer,
    sealer: new SealServiceLicenseSealer(seal.as('license-service', 'seal:sign'), 'official'),
    // Public verification at the same seal service, as sealVerifierFor(env) sets it up from SEAL_URL.
    sealVerifier: {
      verifyPdf: (file) => sealAnonymous().verify.pdf.mutate({ pdf: Buffer.from(file).toString('base64') }),
    },
    env: { FILE_POLL_MS: '50', FILE_RETRY_BASE_SECONDS: '1' },
  });
  // pdfsig checks trust against an NSS database holding the seal service's root certificate.
  tools.trustRoot(await seal.rootPem());
}, 120_000);

afterAll(async () => {
  await node?.close();
  await seal?.close();
  await issuer?.close();
  await sealDb?.drop();
  tools.remove();
});

const clerk = () => node.client({ scope: 'license:issue license:read' });
const sealAnonymous = () => createSealClient({ url: seal.url });

async function sealedFile(identifier: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const file = await clerk().file.query({ identifier });
    if (file.state === 'sealed') return file;
    if (Date.now() > until)
      throw new Error(`file of ${identifier} still ${file.state} after ${file.attempts} attempts`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('license file', () => {
  let identifier: string;
  let pdf: Buffer;

  beforeAll(async () => {
    identifier = (await clerk().issue.mutate(businessLicenceRequest('case-file-1'))).identifier;
    const file = await sealedFile(identifier);
    pdf = Buffer.from(file.pdf ?? '', 'base64');
    expect(file.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  }, 60_000);

  it('is sealed by the issuing authority: pdfsig finds one valid, trusted signature over the whole document', () => {
    const sig = tools.pdfsig(pdf);
    expect(sig.out).toContain('Signature #1');
    expect(sig.out).not.toContain('Signature #2');
    expect(sig.out).toContain('Signature Validation: Signature is Valid.');
    expect(sig.out).toContain('Certificate Validation: Certificate is Trusted.');
    expect(sig.out).toContain('Total document signed');
    expect(sig.out).toContain(`Signer Certificate Common Name: ${sealName}`);
  });

  it('verifies by upload: the sealed file is the one issued here, its seal passes, the license is active', async () => {
    const anyone = node.client({ scope: '' });
    const result = await anyone.verifyFile.mutate({ pdf: pdf.toString('base64') });
    expect(result.identifier).toBe(identifier);
    expect(result.file).toEqual({ issuedHere: true, seal: { verdict: 'passed', reason: null, signers: [sealName] } });
    expect(result.license).toMatchObject({ authentic: true, valid: true, status: 'active', identifier });

    // One changed byte inside the signed content: not the issued file, and the seal says why.
    const changed = Buffer.from(pdf);
    const at = changed.indexOf(Buffer.from('/Producer'));
    changed[at + 1] = 'p'.charCodeAt(0);
    const tampered = await anyone.verifyFile.mutate({ pdf: changed.toString('base64') });
    expect(tampered.identifier).toBe(identifier);
    expect(tampered.file.issuedHere).toBe(false);
    expect(tampered.file.seal?.verdict).toBe('failed');
    expect(tampered.file.seal?.reason).toBe('HASH_FAILURE');
  });

  it('refuses uploads that are not license files with stable codes', async () => {
    const anyone = node.client({ scope: '' });
    await expectAppError(anyone.verifyFile.mutate({ pdf: 'not base64!' }), 'LICENSE_FILE_UNREADABLE');
    await expectAppError(
      anyone.verifyFile.mutate({ pdf: Buffer.from('GIF89a, not a PDF').toString('base64') }),
      'LICENSE_FILE_UNREADABLE',
    );
    await expectAppError(
      anyone.verifyFile.mutate({ pdf: Buffer.from('%PDF-1.7 nothing else').toString('base64') }),
      'LICENSE_FILE_NOT_RECOGNISED',
    );
    const plain = await PDFDocument.create();
    plain.addPage();
    plain.setKeywords([identifier]);
    // A PDF naming a real license but carrying no seal: answered, not refused.
    const unsealed = await anyone.verifyFile.mutate({ pdf: Buffer.from(await plain.save()).toString('base64') });
    expect(unsealed.file).toEqual({
      issuedHere: false,
      seal: { verdict: 'failed', reason: 'NOT_SIGNED', signers: [] },
    });
    expect(unsealed.license).toMatchObject({ identifier, status: 'active' });
    plain.setKeywords(['1.2.156.3005.2.11100000000013338W.001']); // not a valid identifier (check character)
    await expectAppError(
      anyone.verifyFile.mutate({ pdf: Buffer.from(await plain.save()).toString('base64') }),
      'LICENSE_FILE_NOT_RECOGNISED',
    );
  });

  it('is a clean PDF (qpdf --check)', () => {
    const check = run('qpdf', ['--check', write(pdf)]);
    expect(check.code).toBe(0);
    expect(check.out).toContain('No syntax or stream encoding errors found');
  });

  it('shows the identifier, the holder, every field value, the validity and the issuer in Chinese', () => {
    const text = run('pdftotext', [write(pdf), '-']).out.replace(/\s+/g, '');
    const request = businessLicenceRequest('case-file-1');
    expect(text).toContain(identifier);
    expect(text).toContain(BUSINESS_LICENCE.layout.title);
    expect(text).toContain(`统一社会信用代码${FIRM_CODE}`);
    for (const value of Object.values(request.fields)) expect(text).toContain(String(value).replace(/\s+/g, ''));
    expect(text).toContain('长期');
    expect(text).toContain(`发证机关：${BUSINESS_LICENCE.issuingAuthority.name}`);
    expect(text).toContain('（盖章）');
    expect(text).toContain('扫码核验');
  });

  it('is the same file when the case is issued again, and a repeated sealing call returns the same signed bytes', async () => {
    const again = await clerk().issue.mutate(businessLicenceRequest('case-file-1'));
    expect(again.identifier).toBe(identifier);
    const file = await clerk().file.query({ identifier });
    expect(Buffer.from(file.pdf ?? '', 'base64').equals(pdf)).toBe(true);
    // A worker that crashed after the seal service answered retries with the kept rendering and the
    // same key: the seal service answers with the first result instead of sealing twice.
    const license = await node.core.repositories.licenses.byIdentifier(identifier);
    const row = await node.core.repositories.files.byLicenseId(license!.id);
    const retried = await new SealServiceLicenseSealer(seal.as('license-service', 'seal:sign'), 'official').seal(
      new Uint8Array(row!.renderedPdf!),
      {
        issuerCode: license!.issuerCode,
        idempotencyKey: sealingKey(license!),
        anchor: row!.sealAnchor as { page: number; x: number; y: number },
        reason: `电子证照签发 ${identifier}`,
      },
    );
    expect(Buffer.from(retried.pdf).equals(pdf)).toBe(true);
    expect(retried.signature.operationId).toBe((row!.signature as { operationId: string }).operationId);
  });

  it('is given to clerks and the holder, and to no one else', async () => {
    const holder = node.client({ sub: 'agent-1', subject_code: FIRM_CODE, acr: '2' });
    expect((await holder.file.query({ identifier })).sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    await expectAppError(
      node.client({ sub: 'someone', subject_code: PERSON_ID, acr: '2' }).file.query({ identifier }),
      'LICENSE_FILE_FORBIDDEN',
    );
    await expectAppError(node.anonymous.file.query({ identifier }), 'UNAUTHENTICATED');
  });
});

describe('when the seal service is down', () => {
  it('still issues the license, keeps its file pending (never handed out unsealed), and seals it once the service is back', async () => {
    await seal.stop();
    try {
      const license = await clerk().issue.mutate(businessLicenceRequest('case-file-down'));
      expect(license.status).toBe('active');
      const until = Date.now() + 20_000;
      let pending = await clerk().file.query({ identifier: license.identifier });
      while (pending.attempts === 0 && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        pending = await clerk().file.query({ identifier: license.identifier });
      }
      expect(pending).toMatchObject({ state: 'pending_seal', pdf: null, sha256: null, sealedAt: null });
      expect(pending.attempts).toBeGreaterThanOrEqual(1);
      // The credential is valid all along: verification does not depend on the file.
      expect((await node.anonymous.verify.mutate({ identifier: license.identifier })).valid).toBe(true);

      await seal.start();
      node.clock.advanceSeconds(3600); // past any backoff
      const sealed = await sealedFile(license.identifier);
      const sig = tools.pdfsig(Buffer.from(sealed.pdf ?? '', 'base64'));
      expect(sig.out).toContain('Signature Validation: Signature is Valid.');
      expect(sig.out).toContain('Total document signed');
    } finally {
      await seal.start(); // no-op when already running
    }
  }, 60_000);

  it('refuses, in the database, to mark a file sealed without the sealed bytes', async () => {
    const license = await clerk().issue.mutate(businessLicenceRequest('case-file-forged'));
    await expect(
      node.db
        .$executeRaw`UPDATE license_file SET state = 'sealed', sealed_pdf = NULL WHERE license_id = ${license.id}::uuid`,
    ).rejects.toThrow(/license_file_sealed_has_pdf/);
  });
});
