// A self-contained SM2 hierarchy: an SM2 root CA issuing SM2 end-entity certificates for seal
// makers (制章人) and seal holders (签章人).
//
// Why separate from the RSA/ECDSA CA in ca/authority.ts: Chinese relying parties expect SM2 chains
// end to end (an SM2 seal under an RSA root is not accepted by GB/T 38540 verifiers), and the
// existing CA's storage, CRL and OCSP code is typed to RSA-2048/P-256. Two levels (root → end
// entity) keep it small. Revocation is published by sm2-authority.ts (an SM2-signed CRL).
import { keyIdOf } from '../ca/certificate-facts.ts';
import type { CertificateRequest } from '../ca/certificate-builder.ts';
import {
  authorityKeyIdentifier,
  basicConstraints,
  keyUsage,
  subjectKeyIdentifier,
  type Extension,
} from '../ca/extensions.ts';
import { nameToAsn1, type DistinguishedName } from '../ca/names.ts';
import { toDer } from '../asn1/der.ts';
import { issueSm2Certificate, sm2CertificateFacts, type Sm2CertificateFacts } from './sm2-certificate.ts';
import { generateSm2KeyPair, sm2SpkiDer, type Sm2KeyPair } from './sm2-key.ts';
import { LocalSm2Signer, type Sm2Signer } from './sm2-signer.ts';

export interface Sm2Credential {
  certificate: Sm2CertificateFacts;
  signer: Sm2Signer;
}

/** An SM2 key pair with its certificate (the private part kept for sealing at rest). */
export interface IssuedSm2Key {
  keyPair: Sm2KeyPair;
  certificateDer: Buffer;
}

const rootProfile = (keyId: Buffer): Extension[] => [
  basicConstraints({ ca: true, pathLength: 0 }),
  keyUsage(['keyCertSign', 'cRLSign']),
  subjectKeyIdentifier(keyId),
];

const endEntityProfile = (keyId: Buffer, issuerKeyId: Buffer): Extension[] => [
  basicConstraints({ ca: false }),
  keyUsage(['digitalSignature', 'nonRepudiation']),
  subjectKeyIdentifier(keyId),
  authorityKeyIdentifier(issuerKeyId),
];

export async function createSm2Root(
  subject: DistinguishedName,
  notBefore: Date,
  notAfter: Date,
): Promise<IssuedSm2Key> {
  const keyPair = generateSm2KeyPair();
  const spki = sm2SpkiDer(keyPair.publicKey);
  const request: CertificateRequest = {
    subject,
    subjectPublicKey: spki,
    notBefore,
    notAfter,
    extensions: rootProfile(keyIdOf(spki)),
  };
  const certificateDer = await issueSm2Certificate(request, {
    nameDer: toDer(nameToAsn1(subject)),
    signer: new LocalSm2Signer(keyPair),
  });
  return { keyPair, certificateDer };
}

/** Issues an end-entity certificate for a new key pair (or for `keyPair`, e.g. one made by OpenSSL). */
export async function issueSm2EndEntity(
  issuer: Sm2Credential,
  subject: DistinguishedName,
  validity: { notBefore: Date; notAfter: Date },
  keyPair: Sm2KeyPair = generateSm2KeyPair(),
  /** Added to the profile, e.g. where the issuer's CRL is published. */
  extraExtensions: Extension[] = [],
): Promise<IssuedSm2Key> {
  const spki = sm2SpkiDer(keyPair.publicKey);
  const issuerKeyId = issuer.certificate.subjectKeyId ?? keyIdOf(issuer.certificate.spkiDer);
  const certificateDer = await issueSm2Certificate(
    {
      subject,
      subjectPublicKey: spki,
      ...validity,
      extensions: [...endEntityProfile(keyIdOf(spki), issuerKeyId), ...extraExtensions],
    },
    { nameDer: issuer.certificate.subjectDer, signer: issuer.signer },
  );
  return { keyPair, certificateDer };
}

export function credentialOf(issued: IssuedSm2Key): Sm2Credential {
  return { certificate: sm2CertificateFacts(issued.certificateDer), signer: new LocalSm2Signer(issued.keyPair) };
}
