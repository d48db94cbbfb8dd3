// The two key types the CA issues for (RSA-2048 and ECDSA P-256) and what each means in X.509/CMS.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { nul, oid, seq, type Asn1 } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';

export const KEY_ALGORITHMS = ['rsa-2048', 'ecdsa-p256'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];
/**
 * What a seal's (and a stored certificate's) key may be: the two above, which X.509, CMS and PAdES
 * use, or SM2 for GB/T 38540 seals, which have their own hierarchy (domain/sm2).
 */
export type SealKeyAlgorithm = KeyAlgorithm | 'sm2';

export function generateKeyPair(algorithm: KeyAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  return algorithm === 'rsa-2048'
    ? generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
    : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

/** The key type of a public or private key object, or undefined for anything else. */
export function algorithmOfKey(key: KeyObject): KeyAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === 2048) return 'rsa-2048';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  return undefined;
}

/** AlgorithmIdentifier of the signature (RFC 4055 keeps the NULL for RSA; RFC 5758 omits it for ECDSA). */
export function signatureAlgorithmIdentifier(algorithm: KeyAlgorithm): Asn1 {
  return algorithm === 'rsa-2048' ? seq([oid(OID.sha256WithRSAEncryption), nul()]) : seq([oid(OID.ecdsaWithSHA256)]);
}

/** The signatureAlgorithm a CMS SignerInfo names (RFC 5652 allows rsaEncryption for RSA; ECDSA names the hash). */
export function cmsSignatureAlgorithmIdentifier(algorithm: KeyAlgorithm): Asn1 {
  return algorithm === 'rsa-2048' ? seq([oid(OID.rsaEncryption), nul()]) : seq([oid(OID.ecdsaWithSHA256)]);
}

export const sha256AlgorithmIdentifier = (): Asn1 => seq([oid(OID.sha256)]);
