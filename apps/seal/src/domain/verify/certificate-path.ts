// Builds and checks the path from a signer certificate up to a trust anchor. Certificates found in
// the document are only candidates: a path counts only when every link's signature verifies with
// its issuer's key, every issuer is a CA allowed to sign certificates, and it ends at a certificate
// byte-identical to a configured trust anchor (this service's root, or explicitly trusted roots).
import { child, children, isContext, parseDer, primitiveBytes, readOid } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import type { CertificateFacts } from '../ca/certificate-facts.ts';

const MAX_PATH_LENGTH = 6;

export type PathProblem = 'NO_CERTIFICATE_CHAIN_FOUND' | 'CHAIN_CONSTRAINTS_FAILURE';

export interface CertificatePath {
  /** Signer first; ends at the trust anchor when trusted, else where building stopped. */
  chain: CertificateFacts[];
  trusted: boolean;
  problem: PathProblem | undefined;
  detail: string | undefined;
}

/** Key usage bits by RFC 5280 position. */
export const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

const keyUsageCache = new WeakMap<CertificateFacts, Set<number> | null>();

/** The key usage bits set in the certificate, or null when the extension is absent (any usage). */
export function keyUsageOf(certificate: CertificateFacts): Set<number> | null {
  const cached = keyUsageCache.get(certificate);
  if (cached !== undefined) return cached;
  let bits: Set<number> | null = null;
  try {
    const tbs = children(child(parseDer(certificate.der), 0, 'tbsCertificate'), 'tbsCertificate');
    const wrapper = tbs.find((field) => isContext(field, 3));
    for (const ext of wrapper ? children(child(wrapper, 0, 'extensions'), 'extensions') : []) {
      if (readOid(child(ext, 0, 'extnID'), 'extnID') !== OID.keyUsage) continue;
      const value = primitiveBytes(parseDer(primitiveBytes(children(ext, 'extension').at(-1), 'extnValue')), 'bits');
      bits = new Set();
      for (let i = 0; i < (value.length - 1) * 8; i++) {
        if ((value[1 + (i >> 3)]! & (0x80 >> (i & 7))) !== 0) bits.add(i);
      }
    }
  } catch {
    bits = new Set(); // an unreadable key usage allows nothing
  }
  keyUsageCache.set(certificate, bits);
  return bits;
}

export function allows(certificate: CertificateFacts, bit: number): boolean {
  const bits = keyUsageOf(certificate);
  return bits === null || bits.has(bit);
}

function issues(issuer: CertificateFacts, subject: CertificateFacts): boolean {
  if (!issuer.subjectDer.equals(subject.issuerDer)) return false;
  try {
    return subject.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

const isAnchor = (certificate: CertificateFacts, anchors: CertificateFacts[]) =>
  anchors.some((anchor) => anchor.der.equals(certificate.der));

export function buildPath(
  leaf: CertificateFacts,
  candidates: CertificateFacts[],
  anchors: CertificateFacts[],
): CertificatePath {
  const chain = [leaf];
  let current = leaf;
  while (chain.length <= MAX_PATH_LENGTH) {
    if (isAnchor(current, anchors)) {
      return chain.length === 1
        ? {
            chain,
            trusted: false,
            problem: 'CHAIN_CONSTRAINTS_FAILURE',
            detail: 'a trust anchor cannot sign documents',
          }
        : { chain, trusted: true, problem: undefined, detail: undefined };
    }
    // Anchors first: a candidate copy of the root with another key must never shadow the real one.
    const issuer = [...anchors, ...candidates].find((c) => !chain.includes(c) && issues(c, current));
    if (!issuer) {
      return {
        chain,
        trusted: false,
        problem: 'NO_CERTIFICATE_CHAIN_FOUND',
        detail: `no trusted issuer found for ${current.x509.subject.replace(/\n/g, ', ')}`,
      };
    }
    if (!issuer.x509.ca || !allows(issuer, KEY_USAGE.keyCertSign)) {
      return {
        chain: [...chain, issuer],
        trusted: false,
        problem: 'CHAIN_CONSTRAINTS_FAILURE',
        detail: 'an issuer in the chain is not a certificate authority',
      };
    }
    chain.push(issuer);
    current = issuer;
  }
  return { chain, trusted: false, problem: 'NO_CERTIFICATE_CHAIN_FOUND', detail: 'the chain is too long' };
}

/** Certificates of the chain not valid at `time` (outside notBefore..notAfter). */
export function invalidAt(chain: CertificateFacts[], time: Date): CertificateFacts[] {
  return chain.filter((c) => time < c.notBefore || time > c.notAfter);
}

export function hasExtendedKeyUsage(certificate: CertificateFacts, purpose: string): boolean {
  return (certificate.x509.keyUsage ?? []).includes(purpose);
}
