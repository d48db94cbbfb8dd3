// The certificate profiles of the hierarchy: root → issuing CA → seal and timestamp certificates.
// URLs (CRL, OCSP, CA certificates) are where this service publishes them (PUBLIC_URL).
import { OID } from '../asn1/oids.ts';
import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  crlDistributionPoint,
  extendedKeyUsage,
  keyUsage,
  subjectKeyIdentifier,
  type Extension,
} from './extensions.ts';

export interface PublicationUrls {
  rootCertificate: string;
  issuingCertificate: string;
  rootCrl: string;
  issuingCrl: string;
  /** The CRL of the SM2 root (GB/T 38540 seals' certificates), SM3withSM2-signed. */
  sm2RootCrl: string;
  ocsp: string;
}

export function publicationUrls(publicUrl: string): PublicationUrls {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    rootCertificate: `${base}/ca/root.crt`,
    issuingCertificate: `${base}/ca/issuing.crt`,
    rootCrl: `${base}/ca/root.crl`,
    issuingCrl: `${base}/ca/issuing.crl`,
    sm2RootCrl: `${base}/ca/sm2-root.crl`,
    ocsp: `${base}/ocsp`,
  };
}

export function rootExtensions(keyId: Buffer): Extension[] {
  return [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign']), subjectKeyIdentifier(keyId)];
}

export function issuingExtensions(keyId: Buffer, rootKeyId: Buffer, urls: PublicationUrls): Extension[] {
  return [
    basicConstraints({ ca: true, pathLength: 0 }),
    keyUsage(['keyCertSign', 'cRLSign']),
    subjectKeyIdentifier(keyId),
    authorityKeyIdentifier(rootKeyId),
    crlDistributionPoint(urls.rootCrl),
    authorityInfoAccess({ caIssuers: urls.rootCertificate }),
  ];
}

/** End-entity profile of a seal: non-repudiation signatures on documents. */
export function sealExtensions(keyId: Buffer, issuerKeyId: Buffer, urls: PublicationUrls): Extension[] {
  return [
    basicConstraints({ ca: false }),
    keyUsage(['digitalSignature', 'nonRepudiation']),
    // emailProtection as well: NSS (pdfsig) checks PDF signers under its "email signer" usage.
    extendedKeyUsage([OID.documentSigning, OID.emailProtection]),
    subjectKeyIdentifier(keyId),
    authorityKeyIdentifier(issuerKeyId),
    crlDistributionPoint(urls.issuingCrl),
    authorityInfoAccess({ ocsp: urls.ocsp, caIssuers: urls.issuingCertificate }),
  ];
}

/** RFC 3161 §2.3: the TSA certificate has exactly one EKU, timeStamping, marked critical. */
export function timestampExtensions(keyId: Buffer, issuerKeyId: Buffer, urls: PublicationUrls): Extension[] {
  return [
    basicConstraints({ ca: false }),
    keyUsage(['digitalSignature', 'nonRepudiation']),
    extendedKeyUsage([OID.timeStamping], true),
    subjectKeyIdentifier(keyId),
    authorityKeyIdentifier(issuerKeyId),
    crlDistributionPoint(urls.issuingCrl),
    authorityInfoAccess({ ocsp: urls.ocsp, caIssuers: urls.issuingCertificate }),
  ];
}
