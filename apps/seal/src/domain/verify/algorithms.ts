// The digest and signature algorithms the verifier accepts, and one place that calls node:crypto.
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { OID } from '../asn1/oids.ts';

/** Digest algorithms accepted for signatures (SHA-1 is not: collisions are practical). */
export const DIGESTS: Record<string, string> = {
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms: the hash they fix (undefined = the SignerInfo's digest algorithm) and key type. */
export const SIGNATURE_ALGORITHMS: Record<string, { key: 'rsa' | 'ec'; hash?: string }> = {
  [OID.rsaEncryption]: { key: 'rsa' },
  [OID.sha256WithRSAEncryption]: { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
  [OID.ecPublicKey]: { key: 'ec' },
  [OID.ecdsaWithSHA256]: { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
};

/** RSA PKCS#1 v1.5 or ECDSA (DER signature value); false rather than a throw for any bad input. */
export function verifyWithKey(hash: string, data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return cryptoVerify(hash, data, key, signature);
  } catch {
    return false;
  }
}

/** Verifies an X.509-style signature (certificates, CRLs, OCSP responses) made with a public key. */
export function verifyStructureSignature(
  algorithmOid: string,
  data: Uint8Array,
  spkiDer: Uint8Array,
  signature: Uint8Array,
): boolean {
  const algorithm = SIGNATURE_ALGORITHMS[algorithmOid];
  if (!algorithm?.hash) return false;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  if (key.asymmetricKeyType !== algorithm.key) return false;
  return verifyWithKey(algorithm.hash, data, key, signature);
}
