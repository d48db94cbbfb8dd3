// What the service needs to know about a certificate, read from its DER: identifiers for CMS and
// OCSP (issuer and serial as encoded), key ids, validity.
import { createHash, X509Certificate } from 'node:crypto';
import { child, children, isContext, parseDer, primitiveBytes, readOid, toDer } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';

export interface CertificateFacts {
  der: Buffer;
  x509: X509Certificate;
  /** Serial number as lowercase hex without leading zeros. */
  serialHex: string;
  /** DER INTEGER contents of the serial, as encoded. */
  serialBytes: Buffer;
  issuerDer: Buffer;
  subjectDer: Buffer;
  spkiDer: Buffer;
  /** The subjectPublicKey bits (for OCSP key hashes and key ids). */
  publicKeyBits: Buffer;
  subjectKeyId: Buffer | undefined;
  notBefore: Date;
  notAfter: Date;
}

export function certificateFacts(der: Uint8Array): CertificateFacts {
  const buf = Buffer.from(der);
  const x509 = new X509Certificate(buf);
  const tbs = child(parseDer(buf), 0, 'tbsCertificate');
  const fields = children(tbs, 'tbsCertificate fields');
  // An explicit [0] version comes first in v3 certificates.
  const offset = isContext(fields[0], 0) ? 1 : 0;
  const serialBytes = primitiveBytes(fields[offset], 'serialNumber');
  const spki = fields[offset + 5];
  const publicKeyBits = primitiveBytes(child(spki, 1, 'subjectPublicKey'), 'subjectPublicKey').subarray(1);
  let subjectKeyId: Buffer | undefined;
  const extensionsWrapper = fields.find((field) => isContext(field, 3));
  if (extensionsWrapper) {
    for (const ext of children(child(extensionsWrapper, 0, 'extensions'), 'extensions')) {
      if (readOid(child(ext, 0, 'extnID'), 'extnID') === OID.subjectKeyIdentifier) {
        const value = children(ext, 'extension').at(-1);
        subjectKeyId = primitiveBytes(parseDer(primitiveBytes(value, 'extnValue')), 'keyIdentifier');
      }
    }
  }
  return {
    der: buf,
    x509,
    serialHex: x509.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    serialBytes,
    issuerDer: toDer(fields[offset + 2]!),
    subjectDer: toDer(fields[offset + 4]!),
    spkiDer: toDer(spki!),
    publicKeyBits,
    subjectKeyId,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdOf(spkiDer: Uint8Array): Buffer {
  const bits = primitiveBytes(child(parseDer(spkiDer), 1, 'subjectPublicKey'), 'subjectPublicKey').subarray(1);
  return createHash('sha1').update(bits).digest();
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}
