// Revocation data a verifier reads: CRLs (RFC 5280 §5) and OCSP responses (RFC 6960), each
// accepted only when signed by the certificate's issuer (or, for OCSP, a responder the issuer
// delegated with the OCSPSigning purpose). Sources: this service's own CA (fresh), and the values a
// document carries in its DSS (long-term validation).
import { createHash } from 'node:crypto';
import {
  child,
  children,
  isContext,
  parseDer,
  primitiveBytes,
  readOid,
  readTime,
  toDer,
  UNIVERSAL,
  type Asn1,
} from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import { certificateFacts, type CertificateFacts } from '../ca/certificate-facts.ts';
import { CRL_REASONS } from '../ca/crl.ts';
import { verifyStructureSignature } from './algorithms.ts';
import { hasExtendedKeyUsage } from './certificate-path.ts';
import { sameInteger } from './cms-reader.ts';

export type RevocationSource = 'crl' | 'ocsp';

export type RevocationStatus =
  | { status: 'good'; source: RevocationSource; issuedAt: Date }
  | { status: 'revoked'; source: RevocationSource; issuedAt: Date; revokedAt: Date; reason: string | null }
  | { status: 'unknown' };

const REASON_NAMES = new Map<number, string>(Object.entries(CRL_REASONS).map(([name, code]) => [code, name]));

interface RevokedEntry {
  serial: Buffer;
  revokedAt: Date;
  reason: string | null;
}

export interface ParsedCrl {
  der: Buffer;
  issuerDer: Buffer;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  revoked: RevokedEntry[];
  tbsDer: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
}

function reasonOf(extensions: Asn1 | undefined): string | null {
  for (const ext of extensions ? children(extensions, 'crlEntryExtensions') : []) {
    if (readOid(child(ext, 0, 'extnID'), 'extnID') !== OID.crlReason) continue;
    const value = primitiveBytes(parseDer(primitiveBytes(children(ext, 'ext').at(-1), 'extnValue')), 'reason');
    return REASON_NAMES.get(value[0] ?? -1) ?? `reason-${value[0]}`;
  }
  return null;
}

/** Parses a CRL; undefined when it is not one (callers treat that as "no revocation data"). */
export function parseCrl(der: Uint8Array): ParsedCrl | undefined {
  try {
    const root = parseDer(der);
    const tbs = child(root, 0, 'tbsCertList');
    const fields = children(tbs, 'tbsCertList');
    let at = fields[0]?.type === UNIVERSAL.INTEGER ? 1 : 0;
    at++; // signature algorithm (repeated outside)
    const issuerDer = toDer(fields[at++]!);
    const thisUpdate = readTime(fields[at++], 'thisUpdate');
    let nextUpdate: Date | undefined;
    const maybeNext = fields[at];
    if (maybeNext && (maybeNext.type === UNIVERSAL.UTCTIME || maybeNext.type === UNIVERSAL.GENERALIZEDTIME)) {
      nextUpdate = readTime(maybeNext, 'nextUpdate');
      at++;
    }
    const list = fields[at];
    const revoked: RevokedEntry[] =
      list && list.type === UNIVERSAL.SEQUENCE && !isContext(list, 0)
        ? children(list, 'revokedCertificates').map((entry) => ({
            serial: primitiveBytes(child(entry, 0, 'userCertificate'), 'serial'),
            revokedAt: readTime(child(entry, 1, 'revocationDate'), 'revocationDate'),
            reason: reasonOf(children(entry, 'entry')[2]),
          }))
        : [];
    return {
      der: Buffer.from(der),
      issuerDer,
      thisUpdate,
      nextUpdate,
      revoked,
      tbsDer: toDer(tbs),
      signatureAlgorithm: readOid(child(child(root, 1, 'signatureAlgorithm'), 0, 'algorithm'), 'algorithm'),
      signature: primitiveBytes(child(root, 2, 'signatureValue'), 'signatureValue').subarray(1),
    };
  } catch {
    return undefined;
  }
}

/** Whether the CRL was issued and signed by `issuer`. */
export function crlIssuedBy(crl: ParsedCrl, issuer: CertificateFacts): boolean {
  return (
    crl.issuerDer.equals(issuer.subjectDer) &&
    verifyStructureSignature(crl.signatureAlgorithm, crl.tbsDer, issuer.spkiDer, crl.signature)
  );
}

export function statusFromCrl(crl: ParsedCrl, certificate: CertificateFacts): RevocationStatus {
  const entry = crl.revoked.find((e) => sameInteger(e.serial, certificate.serialBytes));
  return entry
    ? { status: 'revoked', source: 'crl', issuedAt: crl.thisUpdate, revokedAt: entry.revokedAt, reason: entry.reason }
    : { status: 'good', source: 'crl', issuedAt: crl.thisUpdate };
}

interface SingleOcspResponse {
  hash: string;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  serial: Buffer;
  status: 'good' | 'revoked' | 'unknown';
  revokedAt: Date | undefined;
  reason: string | null;
  thisUpdate: Date;
}

export interface ParsedOcspResponse {
  der: Buffer;
  producedAt: Date;
  responderByKey: Buffer | undefined;
  responderByNameDer: Buffer | undefined;
  responses: SingleOcspResponse[];
  tbsDer: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
  certificates: CertificateFacts[];
}

const OCSP_HASHES: Record<string, string> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256' };

/** Parses a successful OCSPResponse with a basic response; undefined for anything else. */
export function parseOcspResponse(der: Uint8Array): ParsedOcspResponse | undefined {
  try {
    const root = parseDer(der);
    if (primitiveBytes(child(root, 0, 'responseStatus'), 'status')[0] !== 0) return undefined;
    const responseBytes = child(child(root, 1, 'responseBytes'), 0, 'ResponseBytes');
    if (readOid(child(responseBytes, 0, 'responseType'), 'responseType') !== OID.ocspBasic) return undefined;
    const basic = parseDer(primitiveBytes(child(responseBytes, 1, 'response'), 'response'));
    const tbs = child(basic, 0, 'tbsResponseData');
    const fields = children(tbs, 'ResponseData');
    let at = isContext(fields[0], 0) ? 1 : 0;
    const responder = fields[at++]!;
    const responderByKey = isContext(responder, 2)
      ? primitiveBytes(child(responder, 0, 'KeyHash'), 'KeyHash')
      : undefined;
    const responderByNameDer = isContext(responder, 1) ? toDer(child(responder, 0, 'Name')) : undefined;
    const producedAt = readTime(fields[at++], 'producedAt');
    const responses = children(fields[at], 'responses').map((single): SingleOcspResponse => {
      const certId = child(single, 0, 'certID');
      const hash = OCSP_HASHES[readOid(child(child(certId, 0, 'hashAlgorithm'), 0, 'algorithm'), 'hash')] ?? '';
      const statusNode = child(single, 1, 'certStatus');
      const status = isContext(statusNode, 0) ? 'good' : isContext(statusNode, 1) ? 'revoked' : 'unknown';
      const revokedFields = status === 'revoked' ? children(statusNode, 'RevokedInfo') : [];
      const reasonNode = revokedFields[1];
      const reasonCode = reasonNode ? primitiveBytes(child(reasonNode, 0, 'reason'), 'reason')[0] : undefined;
      return {
        hash,
        issuerNameHash: primitiveBytes(child(certId, 1, 'issuerNameHash'), 'issuerNameHash'),
        issuerKeyHash: primitiveBytes(child(certId, 2, 'issuerKeyHash'), 'issuerKeyHash'),
        serial: primitiveBytes(child(certId, 3, 'serialNumber'), 'serialNumber'),
        status,
        revokedAt: revokedFields[0] ? readTime(revokedFields[0], 'revocationTime') : undefined,
        reason: reasonCode === undefined ? null : (REASON_NAMES.get(reasonCode) ?? `reason-${reasonCode}`),
        thisUpdate: readTime(child(single, 2, 'thisUpdate'), 'thisUpdate'),
      };
    });
    const certsWrapper = children(basic, 'BasicOCSPResponse').find((f) => isContext(f, 0));
    const certificates = certsWrapper
      ? children(child(certsWrapper, 0, 'certs'), 'certs').map((c) => certificateFacts(toDer(c)))
      : [];
    return {
      der: Buffer.from(der),
      producedAt,
      responderByKey,
      responderByNameDer,
      responses,
      tbsDer: toDer(tbs),
      signatureAlgorithm: readOid(child(child(basic, 1, 'signatureAlgorithm'), 0, 'algorithm'), 'algorithm'),
      signature: primitiveBytes(child(basic, 2, 'signature'), 'signature').subarray(1),
      certificates,
    };
  } catch {
    return undefined;
  }
}

function responderIs(response: ParsedOcspResponse, candidate: CertificateFacts): boolean {
  if (response.responderByKey) {
    return createHash('sha1').update(candidate.publicKeyBits).digest().equals(response.responderByKey);
  }
  return response.responderByNameDer?.equals(candidate.subjectDer) ?? false;
}

/**
 * The status the response gives for `certificate`, if the response is about it and was signed by
 * its issuer or by a responder certificate the issuer issued for OCSP signing.
 */
export function statusFromOcsp(
  response: ParsedOcspResponse,
  certificate: CertificateFacts,
  issuer: CertificateFacts,
): RevocationStatus | undefined {
  const single = response.responses.find(
    (r) =>
      r.hash !== '' &&
      sameInteger(r.serial, certificate.serialBytes) &&
      createHash(r.hash).update(issuer.subjectDer).digest().equals(r.issuerNameHash) &&
      createHash(r.hash).update(issuer.publicKeyBits).digest().equals(r.issuerKeyHash),
  );
  if (!single) return undefined;
  const signedByIssuer =
    responderIs(response, issuer) &&
    verifyStructureSignature(response.signatureAlgorithm, response.tbsDer, issuer.spkiDer, response.signature);
  const delegated =
    !signedByIssuer &&
    response.certificates.some(
      (responder) =>
        responderIs(response, responder) &&
        responder.issuerDer.equals(issuer.subjectDer) &&
        responder.x509.verify(issuer.x509.publicKey) &&
        hasExtendedKeyUsage(responder, OID.ocspSigning) &&
        verifyStructureSignature(response.signatureAlgorithm, response.tbsDer, responder.spkiDer, response.signature),
    );
  if (!signedByIssuer && !delegated) return undefined;
  if (single.status === 'unknown') return { status: 'unknown' };
  if (single.status === 'revoked') {
    return {
      status: 'revoked',
      source: 'ocsp',
      issuedAt: single.thisUpdate,
      revokedAt: single.revokedAt ?? single.thisUpdate,
      reason: single.reason,
    };
  }
  return { status: 'good', source: 'ocsp', issuedAt: single.thisUpdate };
}

/** Revocation values a document carries (DSS /CRLs and /OCSPs), parsed once. */
export class CarriedRevocationData {
  readonly crls: ParsedCrl[];
  readonly ocsps: ParsedOcspResponse[];

  constructor(crlDers: Buffer[], ocspDers: Buffer[]) {
    this.crls = crlDers.map(parseCrl).filter((c): c is ParsedCrl => c !== undefined);
    this.ocsps = ocspDers.map(parseOcspResponse).filter((o): o is ParsedOcspResponse => o !== undefined);
  }

  /** A status from a carried OCSP response or CRL that the issuer signed, OCSP preferred. */
  statusOf(certificate: CertificateFacts, issuer: CertificateFacts): RevocationStatus | undefined {
    for (const response of this.ocsps) {
      const status = statusFromOcsp(response, certificate, issuer);
      if (status) return status;
    }
    const crl = this.crls.find((c) => crlIssuedBy(c, issuer));
    return crl ? statusFromCrl(crl, certificate) : undefined;
  }
}

/** Where fresh revocation status comes from (this service's CA: its current CRLs). */
export interface RevocationProvider {
  /** The status of `certificate` issued by `issuer`, or undefined when this provider has no data for that issuer. */
  statusOf(certificate: CertificateFacts, issuer: CertificateFacts): Promise<RevocationStatus | undefined>;
}

/** Fresh status from the CRLs a CA publishes (looked up by issuer certificate), verified before use. */
export function crlProvider(crlOf: (issuer: CertificateFacts) => Promise<Buffer | undefined>): RevocationProvider {
  return {
    async statusOf(certificate, issuer) {
      const der = await crlOf(issuer);
      const crl = der ? parseCrl(der) : undefined;
      if (!crl || !crlIssuedBy(crl, issuer)) return undefined;
      return statusFromCrl(crl, certificate);
    },
  };
}
