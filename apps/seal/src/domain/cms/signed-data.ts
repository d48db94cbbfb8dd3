// CMS SignedData (RFC 5652) as CAdES-BES/PAdES wants it: content-type, message-digest and
// signing-certificate-v2 signed attributes, no signing-time (PAdES puts time in /M), optional
// unsigned attributes (the signature timestamp). Built with forge's ASN.1, signed by a Signer.
import {
  explicit,
  implicit,
  octets,
  oid,
  parseDer,
  seq,
  set,
  toDer,
  unsignedInt,
  int,
  type Asn1,
} from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import { sha256, type CertificateFacts } from '../ca/certificate-facts.ts';
import { cmsSignatureAlgorithmIdentifier, sha256AlgorithmIdentifier } from '../keys/key-algorithm.ts';
import type { Signer } from '../keys/signer.ts';

export interface Attribute {
  type: string;
  values: Asn1[];
}

const attribute = (a: Attribute): Asn1 => seq([oid(a.type), set(a.values)]);

/** ESS signing-certificate-v2 (RFC 5035): binds the signer certificate into the signed attributes. */
export function signingCertificateV2(certificate: CertificateFacts): Attribute {
  const issuerSerial = seq([seq([explicit(4, parseDer(certificate.issuerDer))]), unsignedInt(certificate.serialBytes)]);
  // hashAlgorithm is omitted: its DEFAULT is SHA-256.
  const essCertIdV2 = seq([octets(sha256(certificate.der)), issuerSerial]);
  return { type: OID.signingCertificateV2, values: [seq([seq([essCertIdV2])])] };
}

export interface SignRequest {
  /** SHA-256 of the content (the PDF byte ranges, the TSTInfo, or any bytes). */
  contentDigest: Buffer;
  contentType?: string;
  /** Encapsulated content (timestamp tokens); absent for detached signatures. */
  encapsulated?: Buffer;
  signer: Signer;
  certificate: CertificateFacts;
  /** Further certificates to carry (the chain), nearest first. */
  chain: CertificateFacts[];
  /** Signed attributes beyond the three PAdES allows (e.g. signing-time for plain CAdES). */
  extraSignedAttributes?: Attribute[];
  /** Called with the signature value; returns unsigned attributes (e.g. a signature timestamp). */
  unsignedAttributes?: (signature: Buffer) => Promise<Attribute[]>;
}

export interface SignedCms {
  der: Buffer;
  signature: Buffer;
}

export async function signCms(request: SignRequest): Promise<SignedCms> {
  const contentType = request.contentType ?? OID.data;
  const signedAttributes = set(
    [
      { type: OID.contentType, values: [oid(contentType)] },
      { type: OID.messageDigest, values: [octets(request.contentDigest)] },
      signingCertificateV2(request.certificate),
      ...(request.extraSignedAttributes ?? []),
    ].map(attribute),
  );
  // The signature covers the attributes DER-encoded as a SET (RFC 5652 §5.4), not as [0].
  const signature = await request.signer.sign(toDer(signedAttributes));
  const unsigned = request.unsignedAttributes ? await request.unsignedAttributes(signature) : [];

  const signerInfo = seq([
    int(1),
    seq([parseDer(request.certificate.issuerDer), unsignedInt(request.certificate.serialBytes)]),
    sha256AlgorithmIdentifier(),
    implicit(0, signedAttributes),
    cmsSignatureAlgorithmIdentifier(request.signer.algorithm),
    octets(signature),
    ...(unsigned.length ? [implicit(1, set(unsigned.map(attribute)))] : []),
  ]);
  const certificates = [request.certificate, ...request.chain].map((c) => parseDer(c.der));
  const encapContentInfo = seq([
    oid(contentType),
    ...(request.encapsulated ? [explicit(0, octets(request.encapsulated))] : []),
  ]);
  const signedData = seq([
    // version 3 when the content is not id-data (RFC 5652 §5.1), as timestamp tokens are.
    int(contentType === OID.data ? 1 : 3),
    set([sha256AlgorithmIdentifier()]),
    encapContentInfo,
    implicit(0, setKeepingOrder(certificates)),
    set([signerInfo]),
  ]);
  return { der: toDer(seq([oid(OID.signedData), explicit(0, signedData)])), signature };
}

/** SET OF certificates: DER would sort them, but verifiers accept any order and BER allows it. */
function setKeepingOrder(items: Asn1[]): Asn1 {
  return set(items);
}
