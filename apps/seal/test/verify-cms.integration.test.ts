// Detached CMS verification: signatures the service makes, and signatures the OpenSSL command line
// makes with a certificate this service's CA issued (interoperability both ways).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../src/domain/asn1/oids.ts';
import { issueCertificate } from '../src/domain/ca/certificate-builder.ts';
import { certificateFacts } from '../src/domain/ca/certificate-facts.ts';
import { keyIdOf } from '../src/domain/ca/certificate-facts.ts';
import { sealExtensions } from '../src/domain/ca/profiles.ts';
import { parseDer } from '../src/domain/asn1/der.ts';
import { signCms } from '../src/domain/cms/signed-data.ts';
import { TimestampAuthority } from '../src/domain/tsa/timestamp-authority.ts';
import { serviceTrust } from '../src/domain/verify/service-trust.ts';
import { verifyDetachedCms } from '../src/domain/verify/verify-cms.ts';
import { SealHistoryRepository } from '../src/repositories/seal-history-repository.ts';
import { createAuthorityFixture, type AuthorityFixture } from './support/authority.ts';
import { issueSealCertificate } from './support/seal-signer.ts';
import { pem, TempDir, tool } from './support/tools.ts';

let fx: AuthorityFixture;
const dir = new TempDir();
const content = Buffer.from('电子回执 No. 0001 — 金额 128.00 元\n', 'utf8');

beforeAll(async () => {
  fx = await createAuthorityFixture();
});
afterAll(async () => {
  dir.remove();
  await fx?.close();
});

const verify = async (cms: Buffer, bytes: Buffer) =>
  verifyDetachedCms(cms, bytes, await serviceTrust(fx.authority, new SealHistoryRepository(fx.db)));

async function serviceCms(): Promise<Buffer> {
  const record = await issueSealCertificate(fx.authority, 'ecdsa-p256');
  const tsa = new TimestampAuthority(() => fx.authority.timestamping());
  const { der } = await signCms({
    contentDigest: createHash('sha256').update(content).digest(),
    signer: fx.authority.signerOf(record),
    certificate: certificateFacts(record.der),
    chain: (await fx.authority.chain()).map((m) => m.facts),
    unsignedAttributes: async (signature) => {
      const token = await tsa.token({
        hashAlgorithm: OID.sha256,
        hashedMessage: createHash('sha256').update(signature).digest(),
        certReq: true,
      });
      return [{ type: OID.signatureTimeStampToken, values: [parseDer(token.der)] }];
    },
  });
  return der;
}

/** A key made by OpenSSL, certified by this service's issuing CA, and an `openssl cms -sign` with it. */
async function opensslCms(keyType: 'rsa' | 'ec'): Promise<Buffer> {
  const key = dir.file(`${keyType}.key`);
  const genkey =
    keyType === 'rsa'
      ? ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]
      : ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key];
  expect((await tool('openssl', genkey)).code).toBe(0);
  const spkiFile = dir.file(`${keyType}.spki`);
  expect((await tool('openssl', ['pkey', '-in', key, '-pubout', '-outform', 'DER', '-out', spkiFile])).code).toBe(0);
  const spki = readFileSync(spkiFile);
  const issuing = await fx.authority.issuing();
  const now = Date.now();
  const der = await issueCertificate(
    {
      subject: { commonName: `OpenSSL ${keyType} signer`, organization: '福州市财政局', country: 'CN' },
      subjectPublicKey: spki,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 86400_000),
      extensions: sealExtensions(keyIdOf(spki), issuing.facts.subjectKeyId!, fx.authority.urls),
    },
    { nameDer: issuing.facts.subjectDer, signer: issuing.signer },
  );
  const certFile = dir.write(`${keyType}.pem`, pem(der));
  const chainFile = dir.write('issuing.pem', pem(issuing.facts.der));
  const contentFile = dir.write('content.bin', content);
  const out = dir.file(`${keyType}.p7s`);
  const signed = await tool('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-in',
    contentFile,
    '-signer',
    certFile,
    '-inkey',
    key,
    '-certfile',
    chainFile,
    '-md',
    'sha256',
    '-outform',
    'DER',
    '-out',
    out,
  ]);
  expect(signed.stderr).toBe('');
  return readFileSync(out);
}

describe('detached CMS verification', () => {
  it('passes a CMS the service made, with its timestamp as the signing time', async () => {
    const report = await verify(await serviceCms(), content);
    expect(report.verdict).toBe('passed');
    expect(report.contentBytes).toBe(content.length);
    expect(report.signers).toHaveLength(1);
    expect(report.signers[0]).toMatchObject({
      verdict: 'passed',
      signingCertificateV2: 'matches',
      integrity: { valid: true },
      chain: { trusted: true },
      timestamp: { present: true, valid: true, imprintMatches: true },
      revocation: { status: 'good' },
    });
    expect(report.signers[0]!.signingTime.trusted).toBe(report.signers[0]!.timestamp.genTime);
  });

  it('fails when the content is not what was signed', async () => {
    const other = Buffer.from(content);
    other[0] = other[0]! ^ 0x01;
    const report = await verify(await serviceCms(), other);
    expect(report).toMatchObject({ verdict: 'failed', reason: 'HASH_FAILURE' });
  });

  it.each(['rsa', 'ec'] as const)(
    'passes a CMS made by openssl cms -sign with a %s key certified here',
    async (keyType) => {
      const cms = await opensslCms(keyType);
      const report = await verify(cms, content);
      expect(report.verdict).toBe('passed');
      expect(report.signers[0]).toMatchObject({
        verdict: 'passed',
        signer: { commonName: `OpenSSL ${keyType} signer` },
        chain: { trusted: true },
        timestamp: { present: false },
        revocation: { status: 'good', source: 'crl' },
        seal: { found: false },
      });
      expect(report.signers[0]!.chain.certificates.map((c) => c.commonName)).toEqual([
        `OpenSSL ${keyType} signer`,
        'Seal Platform Issuing CA',
        'Seal Platform Root CA',
      ]);
      const tampered = Buffer.concat([content, Buffer.from(' ')]);
      expect((await verify(cms, tampered)).reason).toBe('HASH_FAILURE');
    },
  );

  it('refuses bytes that are not a CMS with SIGNATURE_MALFORMED', async () => {
    for (const garbage of [Buffer.from('not a signature'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])]) {
      await expect(verify(garbage, content)).rejects.toMatchObject({ code: 'SIGNATURE_MALFORMED' });
    }
  });
});
