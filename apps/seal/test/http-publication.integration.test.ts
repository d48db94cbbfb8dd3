// The CA over real HTTP: the contract procedure, certificate and CRL downloads, and the RFC 3161
// endpoint answering OpenSSL's own timestamp requests (checked with `openssl ts -verify`).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { listenForTest, type RunningService } from '@platform/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealService } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv, type Env } from '../src/env.ts';
import { createAuthority } from '../src/app.ts';
import { pem } from './support/tools.ts';
import { TempDir, tool } from './support/tools.ts';

let database: TestDatabase;
let running: RunningService;
let env: Env;
const dir = new TempDir();

beforeAll(async () => {
  database = await createTestDatabase();
  env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    PUBLIC_URL: 'http://seal.example.test',
  });
  running = await listenForTest(createSealService(env, createDatabase(database.url)));
});
afterAll(async () => {
  await running?.close();
  await database?.drop();
  dir.remove();
});

describe('CA publication over HTTP', () => {
  it('lists the hierarchy and its URLs over REST and tRPC alike', async () => {
    const rest = (await (await fetch(`${running.url}/api/ca/certificates`)).json()) as Record<string, any>;
    expect(rest.urls).toEqual({
      rootCertificate: 'http://seal.example.test/ca/root.crt',
      issuingCertificate: 'http://seal.example.test/ca/issuing.crt',
      rootCrl: 'http://seal.example.test/ca/root.crl',
      issuingCrl: 'http://seal.example.test/ca/issuing.crl',
      ocsp: 'http://seal.example.test/ocsp',
      timestamp: 'http://seal.example.test/tsa',
    });
    expect(rest.root.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const trpc = (await (await fetch(`${running.url}/trpc/ca.certificates`)).json()) as { result: { data: unknown } };
    expect(trpc.result.data).toEqual(rest);
  });

  it('serves DER certificates and CRLs that openssl reads and verifies', async () => {
    const root = Buffer.from(await (await fetch(`${running.url}/ca/root.crt`)).arrayBuffer());
    const issuing = Buffer.from(await (await fetch(`${running.url}/ca/issuing.crt`)).arrayBuffer());
    const crlResponse = await fetch(`${running.url}/ca/issuing.crl`);
    expect(crlResponse.headers.get('content-type')).toBe('application/pkix-crl');
    const rootFile = dir.write('root.der', root);
    const issuingFile = dir.write('issuing.der', issuing);
    const issuingPem = dir.file('issuing.pem');
    await tool('openssl', ['x509', '-inform', 'DER', '-in', issuingFile, '-out', issuingPem]);
    const rootPem = dir.file('root.pem');
    await tool('openssl', ['x509', '-inform', 'DER', '-in', rootFile, '-out', rootPem]);
    expect((await tool('openssl', ['verify', '-CAfile', rootPem, issuingPem])).stdout).toBe(`${issuingPem}: OK\n`);
    const crl = dir.write('issuing.crl', Buffer.from(await crlResponse.arrayBuffer()));
    const check = await tool('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-CAfile', issuingPem]);
    expect(check.stderr).toContain('verify OK');
  });

  it('answers an OpenSSL timestamp request with a token that openssl ts -verify accepts', async () => {
    const data = dir.write('data.txt', 'document to timestamp');
    const query = dir.file('request.tsq');
    await tool('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', query]);
    const response = await fetch(`${running.url}/tsa`, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: readFileSync(query),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/timestamp-reply');
    const reply = dir.write('reply.tsr', Buffer.from(await response.arrayBuffer()));
    const rootPem = dir.file('root.pem');
    const chain = dir.file('issuing.pem');
    const verify = await tool('openssl', [
      'ts',
      '-verify',
      '-in',
      reply,
      '-queryfile',
      query,
      '-CAfile',
      rootPem,
      '-untrusted',
      chain,
    ]);
    expect(verify.stdout + verify.stderr).toContain('Verification: OK');
    const text = (await tool('openssl', ['ts', '-reply', '-in', reply, '-text'])).stdout;
    expect(text).toContain('Status: Granted.');
    expect(text).toContain('Policy OID: 2.999.4003.1');
  });

  it('rejects a malformed timestamp request with a PKI rejection, not a 500', async () => {
    const response = await fetch(`${running.url}/tsa`, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: Buffer.from('not a request'),
    });
    expect(response.status).toBe(200);
    const reply = dir.write('bad.tsr', Buffer.from(await response.arrayBuffer()));
    const text = (await tool('openssl', ['ts', '-reply', '-in', reply, '-text'])).stdout;
    expect(text).toContain('Status: Rejected.');
    expect(text).toContain('Failure info: the data submitted has the wrong format');
  });

  it('answers OCSP for seal certificates: good, then revoked once revoked, unknown for strangers', async () => {
    const db = createDatabase(database.url);
    try {
      const authority = await createAuthority(env, db)();
      const now = new Date();
      const seal = await authority.issueSealCertificate({
        subject: { commonName: 'ocsp seal', country: 'CN' },
        algorithm: 'ecdsa-p256',
        notBefore: now,
        notAfter: new Date(now.getTime() + 86400_000),
      });
      const sealFile = dir.write('ocsp-seal.pem', pem(seal.der));
      const issuingFile = dir.write('ocsp-issuing.pem', pem((await authority.issuing()).facts.der));
      const rootFile = dir.write('ocsp-root.pem', pem((await authority.root()).facts.der));
      const ask = (cert: string) =>
        tool('openssl', [
          'ocsp',
          '-issuer',
          issuingFile,
          '-cert',
          cert,
          '-url',
          `${running.url}/ocsp`,
          '-CAfile',
          rootFile,
        ]);
      const good = await ask(sealFile);
      expect(good.stdout).toContain(`${sealFile}: good`);
      expect(good.stderr).toContain('Response verify OK');
      await authority.revoke(seal.id, 'keyCompromise');
      const revoked = await ask(sealFile);
      expect(revoked.stdout).toContain(`${sealFile}: revoked`);
      expect(revoked.stdout).toContain('Reason: keyCompromise');
      expect(revoked.stderr).toContain('Response verify OK');
      // The timestamp authority's certificate is also issued by the issuing CA: good.
      const tsaFile = dir.write('ocsp-tsa.pem', pem((await authority.timestamping()).facts.der));
      expect((await ask(tsaFile)).stdout).toContain(`${tsaFile}: good`);
      // A serial the issuing CA never issued (the root's own) is unknown.
      expect((await ask(rootFile)).stdout).toContain(`${rootFile}: unknown`);
      const garbage = await fetch(`${running.url}/ocsp`, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request' },
        body: Buffer.from('nonsense'),
      });
      expect(Buffer.from(await garbage.arrayBuffer()).toString('hex')).toBe('30030a0101');
    } finally {
      await db.$disconnect();
    }
  });
});
