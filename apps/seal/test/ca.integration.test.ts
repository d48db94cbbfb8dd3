import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorityFixture, type AuthorityFixture } from './support/authority.ts';
import { pem, TempDir, tool } from './support/tools.ts';

let fx: AuthorityFixture;
let dir: TempDir;

beforeAll(async () => {
  fx = await createAuthorityFixture();
  dir = new TempDir();
});
afterAll(async () => {
  await fx?.close();
  dir?.remove();
});

async function chainFiles() {
  const root = await fx.authority.root();
  const issuing = await fx.authority.issuing();
  return {
    root: dir.write('root.pem', pem(root.facts.der)),
    issuing: dir.write('issuing.pem', pem(issuing.facts.der)),
  };
}

describe('certificate authority', () => {
  it('creates the hierarchy once, even when asked again', async () => {
    await fx.authority.ensureHierarchy();
    const counts = await fx.db.certificate.groupBy({ by: ['role'], _count: true });
    expect(Object.fromEntries(counts.map((c) => [c.role, c._count]))).toEqual({ root: 1, issuing: 1, tsa: 1 });
    expect(await fx.db.revocationList.count()).toBe(2);
  });

  it('makes a root and issuing CA that openssl accepts, with CA extensions and publication URLs', async () => {
    const files = await chainFiles();
    expect((await tool('openssl', ['verify', '-CAfile', files.root, files.issuing])).stdout).toBe(
      `${files.issuing}: OK\n`,
    );
    const text = (await tool('openssl', ['x509', '-in', files.issuing, '-noout', '-text'])).stdout;
    expect(text).toContain('X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0');
    expect(text).toContain('Certificate Sign, CRL Sign');
    expect(text).toContain('URI:http://localhost:4003/ca/root.crl');
    expect(text).toContain('CA Issuers - URI:http://localhost:4003/ca/root.crt');
    expect(text).toMatch(/X509v3 Authority Key Identifier: \n\s+[0-9A-F:]{59}/);
  });

  it.each(['rsa-2048', 'ecdsa-p256'] as const)(
    'issues %s seal certificates that chain to the root',
    async (algorithm) => {
      const now = new Date();
      const record = await fx.authority.issueSealCertificate({
        subject: {
          commonName: '测试单位公章',
          organization: '测试单位',
          organizationIdentifier: '91350100M000100Y43',
          country: 'CN',
        },
        algorithm,
        notBefore: now,
        notAfter: new Date(now.getTime() + 86400_000 * 365),
      });
      const files = await chainFiles();
      const seal = dir.write(`seal-${algorithm}.pem`, pem(record.der));
      const verify = await tool('openssl', [
        'verify',
        '-CAfile',
        files.root,
        '-untrusted',
        files.issuing,
        '-purpose',
        'smimesign',
        seal,
      ]);
      expect(verify.stdout).toBe(`${seal}: OK\n`);
      const text = (await tool('openssl', ['x509', '-in', seal, '-noout', '-text', '-nameopt', 'utf8'])).stdout;
      expect(text).toContain(algorithm === 'rsa-2048' ? 'Public-Key: (2048 bit)' : 'ASN1 OID: prime256v1');
      expect(text).toContain('X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation');
      expect(text).toContain('OCSP - URI:http://localhost:4003/ocsp');
      expect(text).toContain('URI:http://localhost:4003/ca/issuing.crl');
      expect(text).toContain('CN=测试单位公章');
    },
  );

  it('gives the timestamp authority a critical timeStamping-only EKU', async () => {
    const tsa = await fx.authority.timestamping();
    const file = dir.write('tsa.pem', pem(tsa.facts.der));
    const text = (await tool('openssl', ['x509', '-in', file, '-noout', '-text'])).stdout;
    expect(text).toContain('X509v3 Extended Key Usage: critical\n                Time Stamping');
    const files = await chainFiles();
    expect(
      (
        await tool('openssl', [
          'verify',
          '-CAfile',
          files.root,
          '-untrusted',
          files.issuing,
          '-purpose',
          'timestampsign',
          file,
        ])
      ).stdout,
    ).toBe(`${file}: OK\n`);
  });

  it('revokes a certificate and publishes a new CRL listing it at once', async () => {
    const now = new Date();
    const record = await fx.authority.issueSealCertificate({
      subject: { commonName: 'revoked seal', country: 'CN' },
      algorithm: 'ecdsa-p256',
      notBefore: now,
      notAfter: new Date(now.getTime() + 86400_000),
    });
    const before = await fx.authority.crlDer('issuing');
    await fx.authority.revoke(record.id, 'keyCompromise');
    const crl = dir.write('issuing.crl', await fx.authority.crlDer('issuing'));
    const files = await chainFiles();
    const text = (
      await tool('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-text', '-CAfile', files.issuing])
    ).stdout;
    expect(text).toContain(`Serial Number: ${record.serial.toUpperCase().padStart(32, '0')}`);
    expect(text).toContain('Key Compromise');
    expect(text).toMatch(/X509v3 CRL Number: \n\s+2\n/);
    expect(before.equals(await fx.authority.crlDer('issuing'))).toBe(false);
    const verify = await tool('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-CAfile', files.issuing]);
    expect(verify.stderr).toContain('verify OK');
  });
});
