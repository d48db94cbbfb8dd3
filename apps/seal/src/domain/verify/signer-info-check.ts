// Checks one CMS SignerInfo: which carried certificate it names, whether the message-digest
// attribute matches the content, whether the signature over the signed attributes verifies with
// that certificate's key (node:crypto), and whether signing-certificate-v2 binds the same certificate.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { child, children, isContext, primitiveBytes, readOid, toDer, type Asn1 } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import type { CertificateFacts } from '../ca/certificate-facts.ts';
import { DIGESTS, SIGNATURE_ALGORITHMS, verifyWithKey } from './algorithms.ts';
import { attributeValue, identifies, sameInteger, type CmsSignerInfo } from './cms-reader.ts';

export type SigningCertificateBinding = 'matches' | 'mismatch' | 'absent';

export interface SignerInfoCheck {
  /** The carried certificate the SignerInfo names; undefined when none of them matches. */
  certificate: CertificateFacts | undefined;
  /** Node's name of the digest algorithm, or undefined when unsupported. */
  digest: string | undefined;
  messageDigestMatches: boolean;
  signatureValid: boolean;
  /** Why the cryptographic check could not be made or failed, for the report. */
  problem: string | undefined;
  contentType: string | undefined;
  signingCertificateV2: SigningCertificateBinding;
  hasSigningTimeAttribute: boolean;
}

/** The content digest with the SignerInfo's algorithm, computed by the caller over its bytes. */
export type ContentDigester = (algorithm: string) => Buffer;

export function digestOf(parts: Uint8Array[]): ContentDigester {
  const cache = new Map<string, Buffer>();
  return (algorithm) => {
    let digest = cache.get(algorithm);
    if (!digest) {
      const hash = createHash(algorithm);
      for (const part of parts) hash.update(part);
      digest = hash.digest();
      cache.set(algorithm, digest);
    }
    return digest;
  };
}

export function checkSignerInfo(
  info: CmsSignerInfo,
  candidates: CertificateFacts[],
  contentDigest: ContentDigester,
  content?: () => Buffer,
): SignerInfoCheck {
  const certificate = candidates.find((c) => identifies(info.sid, c));
  const digest = DIGESTS[info.digestAlgorithm];
  const contentTypeNode = attributeValue(info.signedAttributes, OID.contentType);
  const result: SignerInfoCheck = {
    certificate,
    digest,
    messageDigestMatches: false,
    signatureValid: false,
    problem: undefined,
    contentType: contentTypeNode ? safe(() => readOid(contentTypeNode, 'contentType')) : undefined,
    signingCertificateV2: 'absent',
    hasSigningTimeAttribute: info.signedAttributes.some((a) => a.type === OID.signingTime),
  };
  if (!digest) return { ...result, problem: `unsupported digest algorithm ${info.digestAlgorithm}` };

  let signedBytes: Buffer;
  if (info.signedAttributesDer) {
    const messageDigest = attributeValue(info.signedAttributes, OID.messageDigest);
    const claimed = messageDigest ? safe(() => primitiveBytes(messageDigest, 'messageDigest')) : undefined;
    result.messageDigestMatches = claimed?.equals(contentDigest(digest)) ?? false;
    if (!result.contentType) return { ...result, problem: 'the content-type signed attribute is missing' };
    signedBytes = info.signedAttributesDer;
  } else {
    // Without signed attributes the signature is over the content itself (RFC 5652 §5.4).
    if (!content) return { ...result, problem: 'signatures without signed attributes are not accepted here' };
    signedBytes = content();
    result.messageDigestMatches = true;
  }

  if (!certificate) return { ...result, problem: 'the CMS does not carry the certificate its SignerInfo names' };
  result.signingCertificateV2 = signingCertificateBinding(info, certificate);

  const algorithm = SIGNATURE_ALGORITHMS[info.signatureAlgorithm];
  let key: KeyObject;
  try {
    key = createPublicKey({ key: certificate.spkiDer, format: 'der', type: 'spki' });
  } catch {
    return { ...result, problem: 'the signer certificate holds an unreadable public key' };
  }
  if (!algorithm || key.asymmetricKeyType !== algorithm.key) {
    return { ...result, problem: `unsupported signature algorithm ${info.signatureAlgorithm} for this key` };
  }
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    return { ...result, problem: 'RSA keys below 2048 bits are not accepted' };
  }
  result.signatureValid = verifyWithKey(algorithm.hash ?? digest, signedBytes, key, info.signature);
  if (!result.signatureValid) result.problem = 'the signature value does not verify with the signer certificate';
  else if (!result.messageDigestMatches) result.problem = 'the message digest does not match the signed content';
  return result;
}

/** ESS signing-certificate-v2 (RFC 5035): its first ESSCertIDv2 must be the signer's certificate. */
function signingCertificateBinding(info: CmsSignerInfo, certificate: CertificateFacts): SigningCertificateBinding {
  const value = attributeValue(info.signedAttributes, OID.signingCertificateV2);
  if (!value) return 'absent';
  try {
    const first = child(child(value, 0, 'certs'), 0, 'ESSCertIDv2');
    const fields = children(first, 'ESSCertIDv2');
    let at = 0;
    let hash = 'sha256';
    if (fields[0] && Array.isArray(fields[0].value)) {
      // AlgorithmIdentifier present (a SEQUENCE); absent means the default SHA-256.
      const named = DIGESTS[readOid(child(fields[0], 0, 'hashAlgorithm'), 'hashAlgorithm')];
      if (!named) return 'mismatch';
      hash = named;
      at = 1;
    }
    const certHash = primitiveBytes(fields[at], 'certHash');
    if (!createHash(hash).update(certificate.der).digest().equals(certHash)) return 'mismatch';
    const issuerSerial = fields[at + 1];
    if (issuerSerial && !issuerSerialMatches(issuerSerial, certificate)) return 'mismatch';
    return 'matches';
  } catch {
    return 'mismatch';
  }
}

function issuerSerialMatches(node: Asn1, certificate: CertificateFacts): boolean {
  const generalNames = children(child(node, 0, 'issuer'), 'GeneralNames');
  const serial = primitiveBytes(child(node, 1, 'serialNumber'), 'serialNumber');
  const directoryName = generalNames.find((name) => isContext(name, 4));
  const issuerMatches = directoryName
    ? toDer(child(directoryName, 0, 'directoryName')).equals(certificate.issuerDer)
    : false;
  return issuerMatches && sameInteger(serial, certificate.serialBytes);
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
