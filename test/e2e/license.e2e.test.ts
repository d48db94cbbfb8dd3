// Flow 2: a case system closes a case and the license is issued (the case id makes it idempotent);
// its file is sealed by the seal service and passes pdfsig with the platform root trusted; the
// holder (a registered, registry-verified citizen logged in through identity) shows a QR
// presentation; a verifier checks it; the clerk revokes the license and verification then answers
// "revoked".
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSealClient } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, loggedInCitizen, refreshFor, registerCitizen, type Citizen } from './support/citizen.ts';
import { identityClient, info, licenseClient, reach, serviceUrl, tokenSource, waitFor } from './support/platform.ts';

const clerk = () =>
  licenseClient(
    tokenSource(info().clients.caseSystem, 'license:issue license:manage license:read', 'urn:platform:license'),
  );
const verifier = () => licenseClient();

/** The driving licence request a traffic-police case system sends when it closes a case. */
function drivingLicence(caseId: string, typeCode: string, holder: Citizen) {
  const id = holder.subjectId;
  return {
    caseId,
    typeCode,
    holder: { codeType: 'citizen_id' as const, code: id, name: holder.name },
    fields: {
      licenseNumber: id,
      name: holder.name,
      sex: Number(id[16]) % 2 === 1 ? '男' : '女',
      nationality: '中国',
      address: '山东省济南市市中区经七路88号',
      birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
      firstIssueDate: '2008-07-01',
      vehicleClasses: ['C1'],
      fileNumber: '370100123456',
    },
  };
}

let holder: Citizen;
let holderLicenseToken: () => Promise<string>;
let typeCode: string;
const caseId = `JN-CGS-${Date.now()}`;

beforeAll(async () => {
  const { a } = info().apps;
  // Registered, then confirmed by the population registry (trust level 2: showing a license
  // proves who you are), then logged in afresh so the session carries that level.
  const first = await loggedInCitizen(a, await registerCitizen('赵敏'));
  holder = first.citizen;
  const forIdentity = await refreshFor(a, first.tokens.refresh_token, 'urn:platform:identity');
  const verified = await identityClient(async () => forIdentity.access_token).account.verifyWithRegistry.mutate({
    name: holder.name,
  });
  expect(verified.trustLevel).toBe(2);
  const { tokens } = await loggedInCitizen(a, holder);
  expect(claimsOf(tokens.access_token)).toMatchObject({ aud: 'urn:platform:license', acr: '2' });
  holderLicenseToken = async () => tokens.access_token;
  const types = await licenseClient().types.list.query({});
  const type = types.find((t) => t.name === '机动车驾驶证');
  if (!type) throw new Error(`no driving licence type among ${types.map((t) => t.name).join(', ')}`);
  typeCode = type.code;
});

describe('flow 2: case closed → license → sealed file → QR → verified → revoked', () => {
  let identifier: string;

  it('issues one license per case, however often the case system sends it', async () => {
    const request = drivingLicence(caseId, typeCode, holder);
    const [issued, again] = await Promise.all([clerk().issue.mutate(request), clerk().issue.mutate(request)]);
    const third = await clerk().issue.mutate(request);
    identifier = issued.identifier;
    expect(again.identifier).toBe(identifier);
    expect(third.identifier).toBe(identifier);
    expect(issued).toMatchObject({ status: 'active', type: { code: typeCode } });
    // It is in the holder's wallet, once.
    const wallet = await licenseClient(holderLicenseToken).wallet.list.query();
    expect(wallet.map((l) => l.identifier)).toEqual([identifier]);
  });

  describe('its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-license-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is sealed by the issuing authority: pdfsig finds one valid signature, trusted via the platform root', async () => {
      const file = await waitFor(
        'the license file sealed by the seal service',
        () => clerk().file.query({ identifier }),
        (f) => f.state === 'sealed',
        90_000,
      );
      const pdf = Buffer.from(file.pdf ?? '', 'base64');
      expect(file.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
      const pdfPath = join(dir, 'license.pdf');
      writeFileSync(pdfPath, pdf);

      // The platform root as the seal service publishes it, trusted in a fresh NSS database.
      const seal = createSealClient({
        url: serviceUrl('seal'),
        fetch: async (u, i) => fetch(await reach(String(u)), i),
      });
      const { root } = await seal.ca.certificates.query();
      const nss = join(dir, 'nss');
      execFileSync('mkdir', ['-p', nss]);
      execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
      writeFileSync(join(dir, 'root.pem'), root.pem);
      execFileSync('certutil', [
        '-A',
        '-d',
        `sql:${nss}`,
        '-n',
        'platform-root',
        '-t',
        'CT,C,C',
        '-i',
        join(dir, 'root.pem'),
      ]);
      const trusted = spawnSync('pdfsig', ['-no-ocsp', '-nssdir', `sql:${nss}`, pdfPath], { encoding: 'utf8' });
      expect(trusted.stdout).toContain('Signature #1');
      expect(trusted.stdout).not.toContain('Signature #2');
      expect(trusted.stdout).toContain('Signature Validation: Signature is Valid.');
      expect(trusted.stdout).toContain('Certificate Validation: Certificate is Trusted.');
      expect(trusted.stdout).toContain('Total document signed');

      // Without the root the same signature is valid but not trusted: the trust comes from it.
      const emptyNss = join(dir, 'nss-empty');
      execFileSync('mkdir', ['-p', emptyNss]);
      execFileSync('certutil', ['-N', '-d', `sql:${emptyNss}`, '--empty-password']);
      const untrusted = spawnSync('pdfsig', ['-no-ocsp', '-nssdir', `sql:${emptyNss}`, pdfPath], { encoding: 'utf8' });
      expect(untrusted.stdout).toContain('Signature Validation: Signature is Valid.');
      expect(untrusted.stdout).not.toContain('Certificate Validation: Certificate is Trusted.');
    });
  });

  it('the holder shows a QR, a verifier verifies it; after revocation verification says revoked', async () => {
    const holderApi = licenseClient(holderLicenseToken);
    const shown = await holderApi.presentations.create.mutate({ identifier, fields: ['name', 'vehicleClasses'] });
    const keptForLater = await holderApi.presentations.create.mutate({ identifier, fields: ['name'] });

    const verified = await verifier().verify.mutate({ qr: shown.token });
    expect(verified).toMatchObject({
      authentic: true,
      valid: true,
      status: 'active',
      identifier,
      failure: null,
      fields: { name: holder.name, vehicleClasses: ['C1'] },
    });
    expect(Object.keys(verified.fields).sort()).toEqual(['name', 'vehicleClasses']);
    // A QR is single-use.
    expect((await verifier().verify.mutate({ qr: shown.token })).failure?.code).toBe('PRESENTATION_ALREADY_USED');

    const revoked = await clerk().revoke.mutate({ identifier, reason: '驾驶证被依法吊销（案件 ' + caseId + '）' });
    expect(revoked.status).toBe('revoked');

    // The QR shown before the revocation, scanned after it: authentic, not valid, revoked.
    const late = await verifier().verify.mutate({ qr: keptForLater.token });
    expect(late).toMatchObject({ authentic: true, valid: false, status: 'revoked', identifier });
    expect(await verifier().verify.mutate({ identifier })).toMatchObject({ valid: false, status: 'revoked' });
  });
});
