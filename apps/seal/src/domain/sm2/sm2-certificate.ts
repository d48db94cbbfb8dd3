// X.509 certificates with SM2 keys signed with SM3withSM2 (GB/T 20518, GM/T 0015). node-forge
// cannot sign these; the TBSCertificate comes from the CA's builder and is signed by an Sm2Signer.
import { bitString, child, oid, parseDer, primitiveBytes, readOid, seq, toDer } from '../asn1/der.ts';
import { tbsCertificateDer, type CertificateRequest } from '../ca/certificate-builder.ts';
import { certificateFacts, type CertificateFacts } from '../ca/certificate-facts.ts';
import { SM2_OID, sm2PublicKeyFromSpki } from './sm2-key.ts';
import { sm2Verify } from './sm2-signature.ts';
import type { Sm2Signer } from './sm2-signer.ts';

export interface Sm2Issuer {
  /** The issuer's subject Name exactly as encoded in its own certificate. */
  nameDer: Buffer;
  signer: Sm2Signer;
}

/** AlgorithmIdentifier of SM3withSM2; parameters absent, as OpenSSL writes it. */
export const sm3WithSm2AlgorithmIdentifier = () => seq([oid(SM2_OID.sm3WithSm2)]);

export async function issueSm2Certificate(request: CertificateRequest, issuer: Sm2Issuer): Promise<Buffer> {
  const tbsDer = tbsCertificateDer(request, issuer.nameDer, sm3WithSm2AlgorithmIdentifier());
  const signature = await issuer.signer.sign(tbsDer);
  return toDer(seq([parseDer(tbsDer), sm3WithSm2AlgorithmIdentifier(), bitString(signature)]));
}

export interface Sm2CertificateFacts extends CertificateFacts {
  /** The subject's SM2 public point. */
  publicKey: Buffer;
}

/** Facts of a certificate whose subject key is SM2; throws when it is not. */
export function sm2CertificateFacts(der: Uint8Array): Sm2CertificateFacts {
  const facts = certificateFacts(der);
  return { ...facts, publicKey: sm2PublicKeyFromSpki(facts.spkiDer) };
}

/** True when `certificateDer` carries an SM3withSM2 signature by `issuerPublicKey` over its TBS. */
export function verifySm2CertificateSignature(certificateDer: Uint8Array, issuerPublicKey: Uint8Array): boolean {
  const certificate = parseDer(certificateDer);
  const tbsDer = toDer(child(certificate, 0, 'tbsCertificate'));
  const algorithm = readOid(child(child(certificate, 1, 'signatureAlgorithm'), 0, 'algorithm'), 'algorithm');
  if (algorithm !== SM2_OID.sm3WithSm2) return false;
  const bits = primitiveBytes(child(certificate, 2, 'signatureValue'), 'signatureValue');
  if (bits[0] !== 0) return false;
  return sm2Verify(issuerPublicKey, tbsDer, bits.subarray(1));
}
