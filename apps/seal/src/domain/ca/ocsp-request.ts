// OCSP requests (RFC 6960 §4.1) for a certificate, as a client builds them: used to fetch the
// responses a PDF's DSS carries for long-term validation.
import { createHash } from 'node:crypto';
import { nul, octets, oid, seq, toDer, unsignedInt } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import type { CertificateFacts } from './certificate-facts.ts';

export function ocspRequest(certificate: CertificateFacts, issuer: CertificateFacts): Buffer {
  const sha1 = (data: Uint8Array) => createHash('sha1').update(data).digest();
  const certId = seq([
    seq([oid(OID.sha1), nul()]),
    octets(sha1(issuer.subjectDer)),
    octets(sha1(issuer.publicKeyBits)),
    unsignedInt(certificate.serialBytes),
  ]);
  return toDer(seq([seq([seq([seq([certId])])])]));
}
