// SM2/SM3 against independent implementations: the OpenSSL 3 command line (both ways) and
// sm-crypto; certificates checked with `openssl x509` and `openssl verify`.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir, pem, tool } from '../../../test/support/tools.ts';
import { toDer, parseDer, child } from '../asn1/der.ts';
import { sm2CertificateFacts, verifySm2CertificateSignature } from './sm2-certificate.ts';
import { createSm2Root, credentialOf, issueSm2EndEntity } from './sm2-hierarchy.ts';
import { generateSm2KeyPair, sm2KeyPairFrom, sm2KeyObject, sm2Pkcs8Der, sm2SpkiDer } from './sm2-key.ts';
import { decodeSm2Signature, encodeSm2Signature, sm2Sign, sm2Verify, sm2Z } from './sm2-signature.ts';
import { LocalSm2Signer } from './sm2-signer.ts';
import { sm3 } from './sm3.ts';

const smCrypto = createRequire(import.meta.url)('sm-crypto') as {
  sm3(input: number[]): string;
  sm2: {
    doSignature(m: number[], d: string, o: { der: boolean; hash: boolean }): string;
    doVerifySignature(m: number[], s: string, p: string, o: { der: boolean; hash: boolean }): boolean;
  };
};

const dir = new TempDir();
afterAll(() => dir.remove());

const DISTID = ['-pkeyopt', 'distid:1234567812345678'];
const flip = (bytes: Uint8Array, index: number) => {
  const copy = Buffer.from(bytes);
  copy[index < 0 ? copy.length + index : index]! ^= 0x01;
  return copy;
};

async function opensslVerify(publicKeyPem: string, message: Uint8Array, signature: Uint8Array, name: string) {
  const keyFile = dir.write(`${name}.pub.pem`, publicKeyPem);
  const result = await tool('openssl', [
    'pkeyutl',
    '-verify',
    '-rawin',
    '-digest',
    'sm3',
    '-pubin',
    '-inkey',
    keyFile,
    '-in',
    dir.write(`${name}.msg`, message),
    '-sigfile',
    dir.write(`${name}.sig`, signature),
    ...DISTID,
  ]);
  return result.stdout.includes('Signature Verified Successfully');
}

describe('SM3', () => {
  it('matches the GB/T 32905 example and sm-crypto on any input', () => {
    expect(sm3(Buffer.from('abc')).toString('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(sm3(bytes).toString('hex')).toBe(smCrypto.sm3([...bytes]));
      }),
      { numRuns: 50 },
    );
  });
});

describe('SM2 signatures', () => {
  it('are verified by the OpenSSL command line with distid 1234567812345678, and a changed byte fails', async () => {
    const key = generateSm2KeyPair();
    const publicPem = pem(sm2SpkiDer(key.publicKey), 'PUBLIC KEY');
    const message = Buffer.from('盖章的文件 — GB/T 38540');
    const signature = sm2Sign(key, message);
    expect(await opensslVerify(publicPem, message, signature, 'ours')).toBe(true);
    expect(await opensslVerify(publicPem, flip(message, 3), signature, 'ours-msg')).toBe(false);
    expect(await opensslVerify(publicPem, message, flip(signature, -2), 'ours-sig')).toBe(false);
  });

  it('verify what OpenSSL signs with a key made by `openssl genpkey -algorithm SM2`, and reject a changed byte', async () => {
    const keyFile = dir.file('openssl-key.pem');
    expect((await tool('openssl', ['genpkey', '-algorithm', 'SM2', '-out', keyFile])).code).toBe(0);
    const key = sm2KeyPairFrom(readFileSync(keyFile, 'utf8'));
    const message = Buffer.from('signed by the OpenSSL command line');
    const sigFile = dir.file('openssl.sig');
    const signed = await tool('openssl', [
      'pkeyutl',
      '-sign',
      '-rawin',
      '-digest',
      'sm3',
      '-inkey',
      keyFile,
      '-in',
      dir.write('openssl.msg', message),
      '-out',
      sigFile,
      ...DISTID,
    ]);
    expect(signed.code).toBe(0);
    const signature = readFileSync(sigFile);
    expect(sm2Verify(key.publicKey, message, signature)).toBe(true);
    expect(sm2Verify(key.publicKey, flip(message, 0), signature)).toBe(false);
    expect(sm2Verify(key.publicKey, message, flip(signature, -1))).toBe(false);
    // The OpenSSL key signs through the service's signer too, and OpenSSL accepts the result.
    const ours = await new LocalSm2Signer(key).sign(message);
    const publicPem = (await tool('openssl', ['pkey', '-in', keyFile, '-pubout'])).stdout;
    expect(await opensslVerify(publicPem, message, ours, 'openssl-key')).toBe(true);
  });

  it('node:crypto alone does not make GB/T 32918 signatures (why this module exists)', async () => {
    const { sign } = await import('node:crypto');
    const key = generateSm2KeyPair();
    const message = Buffer.from('x');
    const nodeSignature = sign('sm3', message, sm2KeyObject(key));
    expect(sm2Verify(key.publicKey, message, nodeSignature)).toBe(false);
  });

  it('interoperate with sm-crypto both ways, on random messages', () => {
    const key = generateSm2KeyPair();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
        const ours = sm2Sign(key, message);
        expect(
          smCrypto.sm2.doVerifySignature([...message], ours.toString('hex'), key.publicKey.toString('hex'), {
            der: true,
            hash: true,
          }),
        ).toBe(true);
        const theirs = smCrypto.sm2.doSignature([...message], key.privateKey.toString('hex'), {
          der: true,
          hash: true,
        });
        expect(sm2Verify(key.publicKey, message, Buffer.from(theirs, 'hex'))).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('bind the signer id: a signature under another user id does not verify under the default one', () => {
    const key = generateSm2KeyPair();
    expect(sm2Z(key.publicKey, 'alice@example').equals(sm2Z(key.publicKey))).toBe(false);
    const signature = sm2Sign(key, Buffer.from('m'), 'alice@example');
    expect(sm2Verify(key.publicKey, Buffer.from('m'), signature, 'alice@example')).toBe(true);
    expect(sm2Verify(key.publicKey, Buffer.from('m'), signature)).toBe(false);
  });

  it('round-trip r and s through DER and refuse non-canonical encodings', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
        fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
        (r, s) => {
          expect(decodeSm2Signature(encodeSm2Signature(r, s))).toEqual({ r, s });
        },
      ),
    );
    const key = generateSm2KeyPair();
    const signature = sm2Sign(key, Buffer.from('m'));
    // The same integers with a redundant leading zero byte: BER, not DER.
    const { r, s } = decodeSm2Signature(signature)!;
    const padded = Buffer.concat([
      Buffer.from([0x02, 0x21, 0x00]),
      Buffer.from(r.toString(16).padStart(64, '0'), 'hex'),
    ]);
    const rest = toDer(child(parseDer(encodeSm2Signature(1n, s)), 1, 's'));
    const body = Buffer.concat([padded, rest]);
    const loose = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    if (r >> 255n === 0n) expect(sm2Verify(key.publicKey, Buffer.from('m'), loose)).toBe(false);
  });

  it('keys survive PKCS#8, and OpenSSL reads the PKCS#8 and SPKI the service writes', async () => {
    const key = generateSm2KeyPair();
    expect(sm2KeyPairFrom(sm2Pkcs8Der(key))).toEqual(key);
    expect(sm2KeyPairFrom(sm2KeyObject(key))).toEqual(key);
    const text = await tool('openssl', [
      'pkey',
      '-inform',
      'DER',
      '-in',
      dir.write('k.der', sm2Pkcs8Der(key)),
      '-text',
      '-noout',
    ]);
    expect(text.stdout).toContain('ASN1 OID: SM2');
    const pub = await tool('openssl', [
      'pkey',
      '-pubin',
      '-inform',
      'DER',
      '-in',
      dir.write('p.der', sm2SpkiDer(key.publicKey)),
      '-text',
      '-noout',
    ]);
    expect(pub.stdout.replace(/[\s:]/g, '')).toContain(key.publicKey.toString('hex'));
    expect(() => sm2KeyPairFrom(Buffer.from('30030201', 'hex'))).toThrow(/PKCS#8/);
  });
});

describe('SM2 certificates', () => {
  const validity = { notBefore: new Date(Date.now() - 3600_000), notAfter: new Date(Date.now() + 86400_000) };

  it('parse with `openssl x509 -text` and verify with `openssl verify`; a changed byte fails', async () => {
    const root = await createSm2Root(
      { commonName: 'Test SM2 Root', organization: '测试平台', country: 'CN' },
      validity.notBefore,
      validity.notAfter,
    );
    const rootCredential = credentialOf(root);
    const leaf = await issueSm2EndEntity(
      rootCredential,
      { commonName: '测试单位公章', organizationIdentifier: '91350100M000100Y43', country: 'CN' },
      validity,
    );
    const text = await tool('openssl', [
      'x509',
      '-in',
      dir.write('leaf.pem', pem(leaf.certificateDer)),
      '-text',
      '-noout',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Signature Algorithm: SM2-with-SM3');
    expect(text.stdout).toContain('ASN1 OID: SM2');
    expect(text.stdout).toContain('Digital Signature, Non Repudiation');
    const rootFile = dir.write('root.pem', pem(root.certificateDer));
    // OpenSSL 3.0 verifies certificate signatures with an empty SM2 id unless told the default one
    // (GM/T 0009: 1234567812345678), which is what Chinese CAs and this service sign with.
    const verify = (file: string) =>
      tool('openssl', ['verify', '-vfyopt', 'distid:1234567812345678', '-CAfile', rootFile, file]);
    const ok = await verify(dir.file('leaf.pem'));
    expect(ok, JSON.stringify(ok)).toMatchObject({ code: 0 });
    expect(ok.stdout.trim()).toBe(`${dir.file('leaf.pem')}: OK`);
    // One byte of the signature value changed.
    const bad = await verify(dir.write('tampered.pem', pem(flip(leaf.certificateDer, -3))));
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('certificate signature failure');
    // One byte of the subject changed.
    const renamed = Buffer.from(leaf.certificateDer);
    const at = renamed.indexOf(Buffer.from('91350100M000100Y43'));
    renamed[at] = 0x38;
    const bad2 = await verify(dir.write('renamed.pem', pem(renamed)));
    expect(bad2.stdout + bad2.stderr).toContain('certificate signature failure');
    // The service's own check agrees.
    expect(verifySm2CertificateSignature(leaf.certificateDer, rootCredential.signer.publicKey)).toBe(true);
    expect(verifySm2CertificateSignature(flip(leaf.certificateDer, -3), rootCredential.signer.publicKey)).toBe(false);
    expect(verifySm2CertificateSignature(leaf.certificateDer, generateSm2KeyPair().publicKey)).toBe(false);
  });

  it('certify a key made by OpenSSL, which then signs for the service', async () => {
    const keyFile = dir.file('holder.pem');
    await tool('openssl', ['genpkey', '-algorithm', 'SM2', '-out', keyFile]);
    const root = credentialOf(await createSm2Root({ commonName: 'Root 2' }, validity.notBefore, validity.notAfter));
    const keyPair = sm2KeyPairFrom(readFileSync(keyFile, 'utf8'));
    const leaf = await issueSm2EndEntity(root, { commonName: 'holder' }, validity, keyPair);
    expect(sm2CertificateFacts(leaf.certificateDer).publicKey.equals(keyPair.publicKey)).toBe(true);
    const certificatePublicKey = await tool('openssl', [
      'x509',
      '-in',
      dir.write('holder.crt', pem(leaf.certificateDer)),
      '-pubkey',
      '-noout',
    ]);
    const message = Buffer.from('data');
    const signature = await new LocalSm2Signer(keyPair).sign(message);
    expect(await opensslVerify(certificatePublicKey.stdout, message, signature, 'holder')).toBe(true);
  });
});
