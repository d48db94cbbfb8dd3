// Reads a PDF for sealing or verification, refusing what cannot be sealed safely. pdf-lib parses
// the object graph (classic and stream cross-references); the bytes themselves are never rewritten.
import { AppError } from '@platform/contracts';
import { PDFDocument } from 'pdf-lib';

export interface OpenedPdf {
  bytes: Buffer;
  doc: PDFDocument;
  /** Offset of the last cross-reference section (the /Prev of the next revision). */
  startxref: number;
  /** Whether that last section is a cross-reference stream (PDF 1.5+) rather than a table. */
  xrefIsStream: boolean;
  /** First object number free for new objects. */
  nextObjectNumber: number;
}

const TAIL = 2048;

export function lastStartxref(bytes: Buffer): number | undefined {
  const tail = bytes.subarray(Math.max(0, bytes.length - TAIL)).toString('latin1');
  const matches = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)];
  const last = matches.at(-1);
  return last ? Number(last[1]) : undefined;
}

export async function openPdf(input: Uint8Array): Promise<OpenedPdf> {
  const bytes = Buffer.from(input);
  if (bytes.subarray(0, 1024).indexOf('%PDF-') < 0)
    throw new AppError('PDF_MALFORMED', 'The document is not a PDF (no %PDF- header)');
  const startxref = lastStartxref(bytes);
  if (startxref === undefined || startxref >= bytes.length) {
    throw new AppError('PDF_MALFORMED', 'The PDF has no valid startxref at its end');
  }
  // Checked before parsing: encrypted object streams do not parse, and the cause must be named.
  if (/\/Encrypt[\s/<\d]/.test(bytes.subarray(startxref, startxref + 8192).toString('latin1'))) {
    throw new AppError('PDF_ENCRYPTED', 'Encrypted PDFs cannot be sealed or verified');
  }
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch {
    throw new AppError('PDF_MALFORMED', 'The PDF could not be parsed');
  }
  if (doc.context.trailerInfo.Encrypt || doc.isEncrypted) {
    throw new AppError('PDF_ENCRYPTED', 'Encrypted PDFs cannot be sealed or verified');
  }
  const section = bytes.subarray(startxref, startxref + 64).toString('latin1');
  const xrefIsStream = !section.startsWith('xref');
  if (xrefIsStream && !/^\d+\s+\d+\s+obj/.test(section)) {
    throw new AppError('PDF_MALFORMED', 'startxref does not point at a cross-reference section');
  }
  // /Size of the last trailer (or cross-reference stream): free entries may lie above the largest object.
  const lastSection = bytes.subarray(startxref).toString('latin1');
  const declaredSizes = [...lastSection.matchAll(/\/Size\s+(\d+)/g)].map((m) => Number(m[1]));
  const nextObjectNumber = Math.max(doc.context.largestObjectNumber + 1, ...declaredSizes);
  try {
    if (doc.getPageCount() < 1) throw new Error('no pages');
  } catch {
    throw new AppError('PDF_MALFORMED', 'The PDF has no readable page tree');
  }
  return { bytes, doc, startxref, xrefIsStream, nextObjectNumber };
}
