// PAdES B-LTA: a document timestamp (ISO 32000-2 §12.8.5, ETSI EN 319 142-1 §5.4.3) appended as an
// incremental update — an invisible signature field whose value is a /Type /DocTimeStamp dictionary
// with /SubFilter /ETSI.RFC3161 and, as /Contents, an RFC 3161 TimeStampToken over SHA-256 of the
// byte ranges. It covers everything before it, the DSS included, so the validation data stays
// provably unchanged once the certificates and CRLs have expired.
import { createHash } from 'node:crypto';
import { AppError } from '@platform/contracts';
import { existingSignatureCount, fillByteRange, fillContents, finishSignatureField } from './signature-field.ts';
import { IncrementalUpdate } from './incremental-update.ts';
import { openPdf } from './open-pdf.ts';

/** Room for the token: TSTInfo, the TSA's signature and its certificate (about 1.5 KB with ECDSA). */
const TOKEN_BYTES = 8 * 1024;

/** Returns a TimeStampToken (DER ContentInfo) over a SHA-256 imprint. */
export type DocumentTimestamper = (imprint: Buffer) => Promise<Buffer>;

export interface DocumentTimestampResult {
  pdf: Buffer;
  byteRange: [number, number, number, number];
  token: Buffer;
}

/** The PDF with a document timestamp revision appended (a new Buffer; the input is not changed). */
export async function addDocumentTimestamp(
  input: Uint8Array,
  timestamp: DocumentTimestamper,
): Promise<DocumentTimestampResult> {
  const pdf = await openPdf(input);
  if (pdf.doc.getPageCount() === 0) throw new AppError('PDF_MALFORMED', 'The PDF has no page to hold the field');
  const update = new IncrementalUpdate(pdf);
  const sigRef = update.allocate();
  const widgetRef = update.allocate();
  const prepared = finishSignatureField(pdf, update, {
    sigRef,
    widgetRef,
    fieldName: `DocTimeStamp${existingSignatureCount(pdf) + 1}-${sigRef.objectNumber}`,
    page: pdf.doc.getPage(0),
    // Invisible: a zero rectangle, no appearance to draw.
    widget: '/Rect [0 0 0 0]',
    sigHead: '<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161',
    contentsBytes: TOKEN_BYTES,
  });
  const { byteRange, covered } = fillByteRange(prepared);
  const digest = createHash('sha256');
  for (const part of covered) digest.update(part);
  const token = await timestamp(digest.digest());
  fillContents(prepared, token);
  return { pdf: prepared.bytes, byteRange, token };
}
