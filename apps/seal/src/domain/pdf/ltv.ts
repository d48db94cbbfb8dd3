// PAdES B-LT on request: appends, as an incremental update, a DSS dictionary (ETSI EN 319 142-1
// §5.4) with the certificates of every signature's chain (and its timestamp authority's), the CA's
// current CRLs and fresh OCSP responses, and a VRI entry per signature. Earlier bytes are not
// touched, so every earlier signature stays valid; a verifier can then check them without going
// online, after the certificates expire.
import { createHash } from 'node:crypto';
import { AppError } from '@platform/contracts';
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { toDer } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import type { CertificateAuthority } from '../ca/authority.ts';
import type { CertificateFacts } from '../ca/certificate-facts.ts';
import { ocspRequest } from '../ca/ocsp-request.ts';
import { attributeValue, readSignedData, type CmsSignedData } from '../verify/cms-reader.ts';
import { findSignatures, trimDer } from '../verify/pdf-signatures.ts';
import { IncrementalUpdate } from './incremental-update.ts';
import { openPdf, type OpenedPdf } from './open-pdf.ts';
import { pdfDate } from './pdf-date.ts';

export interface LtvDeps {
  authority: CertificateAuthority;
  now?: () => Date;
}

/** Values already in the DSS are kept (by reference); new ones are appended once each, by content. */
class DssValues {
  readonly refs: string[] = [];
  private readonly byHash = new Map<string, string>();
  constructor(private readonly update: IncrementalUpdate) {}

  keep(existing: PDFObject | undefined, pdf: OpenedPdf): void {
    const array = existing instanceof PDFRef ? pdf.doc.context.lookup(existing) : existing;
    if (!(array instanceof PDFArray)) return;
    for (const item of array.asArray()) {
      this.refs.push(String(item));
      const stream = item instanceof PDFRef ? pdf.doc.context.lookup(item) : undefined;
      if (stream instanceof PDFRawStream) {
        try {
          this.byHash.set(sha256Hex(decodePDFRawStream(stream).decode()), String(item));
        } catch {
          // an unreadable value is kept as it is, just not reused
        }
      }
    }
  }

  /** Adds a value unless the same bytes are already there, and returns its object reference. */
  add(der: Buffer): string {
    const hash = sha256Hex(der);
    const existing = this.byHash.get(hash);
    if (existing) return existing;
    const ref = this.update.allocate();
    this.update.setStream(ref, '', der, { deflate: true });
    this.refs.push(String(ref));
    this.byHash.set(hash, String(ref));
    return String(ref);
  }
}

const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function tokenCertificates(cms: CmsSignedData): CertificateFacts[] {
  const token = attributeValue(cms.signerInfos[0]?.unsignedAttributes ?? [], OID.signatureTimeStampToken);
  if (!token) return [];
  try {
    return readSignedData(toDer(token)).certificates;
  } catch {
    return [];
  }
}

/** The signed PDF with a DSS revision appended (a new Buffer; the input is not changed). */
export async function addLongTermValidation(input: Uint8Array, deps: LtvDeps): Promise<Buffer> {
  const pdf = await openPdf(input);
  const signatures = findSignatures(pdf).filter((s) => s.kind === 'signature' && !s.formatProblem);
  if (signatures.length === 0)
    throw new AppError('PDF_NOT_SIGNED', 'The PDF holds no signature to add validation data for');
  const { authority } = deps;
  const [issuing, root] = (await authority.chain()).map((m) => m.facts) as [CertificateFacts, CertificateFacts];
  const tsa = (await authority.timestamping()).facts;
  const crls = [await authority.crlDer('issuing'), await authority.crlDer('root')];

  const update = new IncrementalUpdate(pdf);
  const existing = pdf.doc.catalog.lookup(PDFName.of('DSS'));
  const oldDss = existing instanceof PDFDict ? existing : undefined;
  const certs = new DssValues(update);
  const crlValues = new DssValues(update);
  const ocspValues = new DssValues(update);
  certs.keep(oldDss?.get(PDFName.of('Certs')), pdf);
  crlValues.keep(oldDss?.get(PDFName.of('CRLs')), pdf);
  ocspValues.keep(oldDss?.get(PDFName.of('OCSPs')), pdf);
  const oldVri = oldDss?.lookup(PDFName.of('VRI'));
  // VRI entries by key: a signature validated again gets its entry replaced, not repeated.
  const vriEntries = new Map<string, string>();
  if (oldVri instanceof PDFDict) {
    for (const [key, value] of oldVri.entries()) vriEntries.set(key.toString(), value.toString());
  }
  const crlRefs = crls.map((der) => crlValues.add(der));
  const at = pdfDate(deps.now?.() ?? new Date());
  const ocspBySerial = new Map<string, string>();

  for (const signature of signatures) {
    let cms: CmsSignedData;
    try {
      cms = readSignedData(trimDer(signature.contents));
    } catch {
      continue; // nothing to validate later for a signature that cannot be read now
    }
    const carried = [...cms.certificates, ...tokenCertificates(cms)];
    const ours = (c: CertificateFacts) =>
      c.issuerDer.equals(issuing.subjectDer) && c.x509.verify(issuing.x509.publicKey);
    const certRefs = [...carried, issuing, root, tsa].map((c) => certs.add(c.der));
    const ocspRefs: string[] = [];
    for (const certificate of carried.filter(ours)) {
      // One fresh response per certificate and run, shared by the signatures it serves.
      let ref = ocspBySerial.get(certificate.serialHex);
      if (!ref) {
        ref = ocspValues.add(await authority.ocsp(ocspRequest(certificate, issuing)));
        ocspBySerial.set(certificate.serialHex, ref);
      }
      ocspRefs.push(ref);
    }
    // VRI key: upper-case hex SHA-1 of the signature's /Contents bytes.
    const key = createHash('sha1').update(signature.contents).digest('hex').toUpperCase();
    vriEntries.set(
      `/${key}`,
      `<< /Cert [${[...new Set(certRefs)].join(' ')}] /CRL [${crlRefs.join(' ')}] /OCSP [${[...new Set(ocspRefs)].join(' ')}] /TU (${at}) >>`,
    );
  }

  const dssRef = update.allocate();
  const extra = oldDss ? carryOver(oldDss) : '';
  update.set(
    dssRef,
    `<< /Type /DSS /Certs [${certs.refs.join(' ')}] /CRLs [${crlValues.refs.join(' ')}] /OCSPs [${ocspValues.refs.join(' ')}] /VRI << ${[...vriEntries].map(([key, value]) => `${key} ${value}`).join(' ')} >>${extra} >>`,
  );
  const catalogRef = pdf.doc.context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new AppError('PDF_MALFORMED', 'The PDF trailer has no catalog reference');
  const catalog = pdf.doc.catalog.clone(pdf.doc.context);
  catalog.set(PDFName.of('DSS'), dssRef);
  update.set(catalogRef, catalog);
  return update.serialize();
}

/** Keys of an earlier DSS this code does not write itself, kept as they were. */
function carryOver(dss: PDFDict): string {
  const own = new Set(['Type', 'Certs', 'CRLs', 'OCSPs', 'VRI'].map((k) => PDFName.of(k)));
  return dss
    .entries()
    .filter(([key]) => !own.has(key))
    .map(([key, value]) => ` ${key.toString()} ${value.toString()}`)
    .join('');
}
