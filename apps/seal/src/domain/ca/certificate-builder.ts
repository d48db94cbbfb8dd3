// Builds and signs X.509 v3 certificates. node-forge's own certificate code handles RSA keys
// only, so the TBSCertificate is assembled with its ASN.1 module and signed by a Signer.
import { randomBytes } from 'node:crypto';
import { bitString, explicit, int, parseDer, seq, time, toDer, unsignedInt, type Asn1 } from '../asn1/der.ts';
import { signatureAlgorithmIdentifier } from '../keys/key-algorithm.ts';
import type { Signer } from '../keys/signer.ts';
import { extensionsToAsn1, type Extension } from './extensions.ts';
import { nameToAsn1, type DistinguishedName } from './names.ts';

export interface CertificateRequest {
  subject: DistinguishedName;
  /** The subject's public key as SubjectPublicKeyInfo DER. */
  subjectPublicKey: Buffer;
  notBefore: Date;
  notAfter: Date;
  extensions: Extension[];
}

export interface Issuer {
  /** The issuer's subject Name exactly as encoded in its own certificate. */
  nameDer: Buffer;
  signer: Signer;
}

/** 16 random bytes, positive (RFC 5280 allows up to 20 octets). */
export function newSerialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

export async function issueCertificate(request: CertificateRequest, issuer: Issuer): Promise<Buffer> {
  const algorithm = () => signatureAlgorithmIdentifier(issuer.signer.algorithm);
  const tbsDer = tbsCertificateDer(request, issuer.nameDer, algorithm());
  const signature = await issuer.signer.sign(tbsDer);
  return toDer(seq([parseDer(tbsDer), algorithm(), bitString(signature)]));
}

/** The TBSCertificate to be signed; shared with the SM2 CA (sm2/sm2-certificate.ts). */
export function tbsCertificateDer(request: CertificateRequest, issuerNameDer: Buffer, algorithm: Asn1): Buffer {
  return toDer(
    seq([
      explicit(0, int(2)),
      unsignedInt(newSerialNumber()),
      algorithm,
      parseDer(issuerNameDer),
      seq([time(request.notBefore), time(request.notAfter)]),
      nameToAsn1(request.subject),
      parseDer(request.subjectPublicKey),
      explicit(3, extensionsToAsn1(request.extensions)),
    ]),
  );
}
