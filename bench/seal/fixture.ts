// Shared by the seal benchmarks: a small RSA/ECDSA hierarchy built with the seal service's own
// certificate code (no database: nothing here is stored), and the machine description.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cpus, loadavg, release as osRelease, totalmem } from 'node:os';
import { toDer } from '../../apps/seal/src/domain/asn1/der.ts';
import { issueCertificate } from '../../apps/seal/src/domain/ca/certificate-builder.ts';
import { certificateFacts, keyIdOf, type CertificateFacts } from '../../apps/seal/src/domain/ca/certificate-facts.ts';
import { nameToAsn1 } from '../../apps/seal/src/domain/ca/names.ts';
import { publicationUrls, rootExtensions, sealExtensions } from '../../apps/seal/src/domain/ca/profiles.ts';
import { generateKeyPair, type KeyAlgorithm } from '../../apps/seal/src/domain/keys/key-algorithm.ts';
import { LocalSigner } from '../../apps/seal/src/domain/keys/signer.ts';

export interface SealKey {
  privateKey: KeyObject;
  signer: LocalSigner;
  certificate: CertificateFacts;
  chain: CertificateFacts[];
}

/** A root (RSA-2048) and a seal certificate for a key of `algorithm` (or for `keys` when given). */
export async function sealKey(
  algorithm: KeyAlgorithm,
  keys: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPair(algorithm),
): Promise<SealKey> {
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = new Date(Date.now() + 365 * 86400_000);
  const root = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rootSpki = root.publicKey.export({ type: 'spki', format: 'der' });
  const rootName = { commonName: 'Bench Root', country: 'CN' };
  const rootSigner = new LocalSigner(root.privateKey);
  const rootDer = await issueCertificate(
    {
      subject: rootName,
      subjectPublicKey: rootSpki,
      notBefore,
      notAfter,
      extensions: rootExtensions(keyIdOf(rootSpki)),
    },
    { nameDer: toDer(nameToAsn1(rootName)), signer: rootSigner },
  );
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
  const der = await issueCertificate(
    {
      subject: { commonName: '基准测试单位公章', organization: '基准测试单位', country: 'CN' },
      subjectPublicKey: spki,
      notBefore,
      notAfter,
      extensions: sealExtensions(keyIdOf(spki), keyIdOf(rootSpki), publicationUrls('http://localhost:4003')),
    },
    { nameDer: certificateFacts(rootDer).subjectDer, signer: rootSigner },
  );
  return {
    privateKey: keys.privateKey,
    signer: new LocalSigner(keys.privateKey),
    certificate: certificateFacts(der),
    chain: [certificateFacts(rootDer)],
  };
}

export function machine() {
  return {
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${osRelease()}`,
    node: process.version,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Runs `once` repeatedly for about `ms` milliseconds; operations per second. */
export async function rate(once: () => unknown, ms: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    await once();
    count++;
    elapsed = performance.now() - start;
  }
  return (count * 1000) / elapsed;
}
