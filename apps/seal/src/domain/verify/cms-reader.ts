// Reads a CMS SignedData (RFC 5652) into the parts a verifier needs, without trusting any of them:
// embedded certificates are only candidates, attributes are only claims until checked.
import forge from 'node-forge';
import {
  Asn1ShapeError,
  child,
  children,
  fromBin,
  isContext,
  parseDer,
  primitiveBytes,
  readOid,
  toDer,
  UNIVERSAL,
  type Asn1,
} from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import { certificateFacts, type CertificateFacts } from '../ca/certificate-facts.ts';

export class CmsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CmsFormatError';
  }
}

export interface CmsAttribute {
  type: string;
  values: Asn1[];
}

export type SignerIdentifier = { issuerDer: Buffer; serial: Buffer } | { subjectKeyId: Buffer };

export interface CmsSignerInfo {
  sid: SignerIdentifier;
  digestAlgorithm: string;
  /** The signed attributes DER-encoded as a SET: the bytes the signature covers (RFC 5652 §5.4). */
  signedAttributesDer: Buffer | undefined;
  signedAttributes: CmsAttribute[];
  signatureAlgorithm: string;
  signature: Buffer;
  unsignedAttributes: CmsAttribute[];
}

export interface CmsSignedData {
  contentType: string;
  /** Encapsulated content (timestamp tokens); undefined when detached. */
  encapsulated: Buffer | undefined;
  /** Certificates carried in the CMS, parsed; unparseable ones are dropped (they cannot help). */
  certificates: CertificateFacts[];
  signerInfos: CmsSignerInfo[];
}

/** OCTET STRING contents, also in BER's constructed form (chunks of octet strings). */
function octetStringValue(node: Asn1, what: string): Buffer {
  if (typeof node.value === 'string') return fromBin(node.value);
  return Buffer.concat(children(node, what).map((part) => octetStringValue(part, what)));
}

function readAttributes(node: Asn1, what: string): CmsAttribute[] {
  return children(node, what).map((attribute) => ({
    type: readOid(child(attribute, 0, `${what} type`), `${what} type`),
    values: children(child(attribute, 1, `${what} values`), `${what} values`),
  }));
}

function readSignerIdentifier(node: Asn1): SignerIdentifier {
  if (isContext(node, 0)) return { subjectKeyId: primitiveBytes(node, 'subjectKeyIdentifier') };
  return {
    issuerDer: toDer(child(node, 0, 'issuer')),
    serial: primitiveBytes(child(node, 1, 'serialNumber'), 'serialNumber'),
  };
}

function readSignerInfo(node: Asn1): CmsSignerInfo {
  const fields = children(node, 'SignerInfo');
  let at = 1;
  const sid = readSignerIdentifier(fields[at++]!);
  const digestAlgorithm = readOid(child(fields[at++], 0, 'digestAlgorithm'), 'digestAlgorithm');
  let signedAttributesDer: Buffer | undefined;
  let signedAttributes: CmsAttribute[] = [];
  if (isContext(fields[at], 0)) {
    const implicitSet = fields[at++]!;
    // Re-tagged as a universal SET: the signature is over that encoding, not over [0].
    const asSet = forge.asn1.create(
      forge.asn1.Class.UNIVERSAL,
      UNIVERSAL.SET,
      true,
      children(implicitSet, 'signedAttrs'),
    );
    signedAttributesDer = toDer(asSet);
    signedAttributes = readAttributes(implicitSet, 'signed attribute');
  }
  const signatureAlgorithm = readOid(child(fields[at++], 0, 'signatureAlgorithm'), 'signatureAlgorithm');
  const signature = octetStringValue(fields[at++]!, 'signature');
  const unsigned = fields[at];
  const unsignedAttributes = isContext(unsigned, 1) ? readAttributes(unsigned!, 'unsigned attribute') : [];
  return {
    sid,
    digestAlgorithm,
    signedAttributesDer,
    signedAttributes,
    signatureAlgorithm,
    signature,
    unsignedAttributes,
  };
}

/** Parses a ContentInfo holding SignedData; CmsFormatError for anything else or any broken shape. */
export function readSignedData(der: Uint8Array): CmsSignedData {
  let root: Asn1;
  try {
    root = parseDer(der);
  } catch {
    throw new CmsFormatError('not a DER/BER encoded CMS structure');
  }
  try {
    if (readOid(child(root, 0, 'contentType'), 'contentType') !== OID.signedData)
      throw new CmsFormatError('the CMS is not SignedData');
    const signedData = child(child(root, 1, 'content'), 0, 'SignedData');
    const fields = children(signedData, 'SignedData');
    const encap = fields[2];
    const contentType = readOid(child(encap, 0, 'eContentType'), 'eContentType');
    const eContent = children(encap, 'EncapsulatedContentInfo')[1];
    const encapsulated = eContent ? octetStringValue(child(eContent, 0, 'eContent'), 'eContent') : undefined;
    const certificates: CertificateFacts[] = [];
    const certificateSet = fields.slice(3).find((field) => isContext(field, 0));
    for (const choice of certificateSet ? children(certificateSet, 'certificates') : []) {
      // Only plain X.509 certificates (a SEQUENCE); attribute or other certificate formats are skipped.
      if (choice.tagClass !== forge.asn1.Class.UNIVERSAL) continue;
      try {
        certificates.push(certificateFacts(toDer(choice)));
      } catch {
        // An unreadable certificate can only fail to build a chain; ignoring it is safe.
      }
    }
    const signerInfoSet = fields.at(-1);
    if (!signerInfoSet || signerInfoSet.type !== UNIVERSAL.SET) throw new CmsFormatError('no SignerInfos');
    const signerInfos = children(signerInfoSet, 'SignerInfos').map(readSignerInfo);
    return { contentType, encapsulated, certificates, signerInfos };
  } catch (error) {
    if (error instanceof CmsFormatError) throw error;
    if (error instanceof Asn1ShapeError) throw new CmsFormatError(error.message);
    throw new CmsFormatError('malformed SignedData');
  }
}

/** The first value of a signed or unsigned attribute. */
export function attributeValue(attributes: CmsAttribute[], type: string): Asn1 | undefined {
  return attributes.find((a) => a.type === type)?.values[0];
}

/** Whether the identifier names this certificate (serials compared as numbers). */
export function identifies(sid: SignerIdentifier, certificate: CertificateFacts): boolean {
  if ('subjectKeyId' in sid) return certificate.subjectKeyId?.equals(sid.subjectKeyId) ?? false;
  return sid.issuerDer.equals(certificate.issuerDer) && sameInteger(sid.serial, certificate.serialBytes);
}

export function sameInteger(a: Buffer, b: Buffer): boolean {
  const strip = (x: Buffer) => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    return x.subarray(i);
  };
  return strip(a).equals(strip(b));
}
