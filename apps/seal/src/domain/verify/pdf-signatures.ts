// Finds the signature dictionaries of a PDF (signatures and document timestamps) and its DSS, and
// checks that each /ByteRange is well-formed and that the gap it leaves is exactly the hex
// /Contents of that dictionary — the bytes outside the gap are what the signature covers.
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib';
import type { OpenedPdf } from '../pdf/open-pdf.ts';
import { parsePdfDate } from '../pdf/pdf-date.ts';

export type ByteRange = [number, number, number, number];

export interface PdfSignatureDictionary {
  /** Object number of the signature dictionary, e.g. "12 0 R". */
  ref: string;
  fieldName: string | undefined;
  kind: 'signature' | 'document-timestamp';
  subFilter: string | undefined;
  byteRange: ByteRange | undefined;
  /** The decoded /Contents (the CMS, usually followed by zero padding). */
  contents: Buffer;
  claimedSigningTime: Date | undefined;
  /** Why the dictionary cannot be verified as it stands (undefined when its layout is sound). */
  formatProblem: string | undefined;
}

export interface DocumentSecurityStore {
  certs: Buffer[];
  crls: Buffer[];
  ocsps: Buffer[];
}

const name = (dict: PDFDict, key: string): string | undefined => {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFName ? value.decodeText() : undefined;
};

const text = (dict: PDFDict, key: string): string | undefined => {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
};

function bytesOf(value: PDFObject | undefined): Buffer | undefined {
  if (value instanceof PDFHexString || value instanceof PDFString) return Buffer.from(value.asBytes());
  return undefined;
}

/** Field names by the ref of their signature value, walking the AcroForm tree (with /Kids). */
function fieldNames(pdf: OpenedPdf): Map<string, string> {
  const names = new Map<string, string>();
  const acroForm = pdf.doc.catalog.lookup(PDFName.of('AcroForm'));
  if (!(acroForm instanceof PDFDict)) return names;
  const seen = new Set<PDFObject>();
  const walk = (fields: PDFObject | undefined, prefix: string, depth: number) => {
    const array = fields instanceof PDFRef ? pdf.doc.context.lookup(fields) : fields;
    if (!(array instanceof PDFArray) || depth > 20) return;
    for (const item of array.asArray()) {
      const field = item instanceof PDFRef ? pdf.doc.context.lookup(item) : item;
      if (!(field instanceof PDFDict) || seen.has(field)) continue;
      seen.add(field);
      const partial = text(field, 'T');
      const full = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial;
      const value = field.get(PDFName.of('V'));
      if (value instanceof PDFRef) names.set(value.toString(), full);
      walk(field.get(PDFName.of('Kids')), full, depth + 1);
    }
  };
  walk(acroForm.get(PDFName.of('Fields')), '', 0);
  return names;
}

function readByteRange(dict: PDFDict): ByteRange | undefined {
  const value = dict.lookup(PDFName.of('ByteRange'));
  if (!(value instanceof PDFArray) || value.size() !== 4) return undefined;
  const numbers = value.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN));
  return numbers.every((n) => Number.isSafeInteger(n) && n >= 0) ? (numbers as ByteRange) : undefined;
}

/** The layout rules a signed PDF must follow for its byte ranges to mean anything. */
function byteRangeProblem(bytes: Buffer, range: ByteRange | undefined, contents: Buffer): string | undefined {
  if (!range) return '/ByteRange is missing or not four non-negative integers';
  const [start, firstLength, gapEnd, secondLength] = range;
  if (start !== 0) return '/ByteRange does not start at the beginning of the file';
  if (gapEnd < firstLength) return '/ByteRange ranges overlap';
  if (gapEnd + secondLength > bytes.length) return '/ByteRange reaches beyond the end of the file';
  // The gap must be exactly "<hex>" of this dictionary's /Contents: nothing else may go unsigned.
  if (bytes[firstLength] !== 0x3c || bytes[gapEnd - 1] !== 0x3e) return 'the unsigned gap is not a hex string';
  const hex = bytes.subarray(firstLength + 1, gapEnd - 1).toString('latin1');
  if (hex.length !== contents.length * 2 || !/^[0-9a-fA-F]*$/.test(hex) || !Buffer.from(hex, 'hex').equals(contents)) {
    return 'the unsigned gap is not the /Contents of this signature';
  }
  return undefined;
}

export function findSignatures(pdf: OpenedPdf): PdfSignatureDictionary[] {
  const names = fieldNames(pdf);
  const found: PdfSignatureDictionary[] = [];
  for (const [ref, object] of pdf.doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || !object.has(PDFName.of('ByteRange'))) continue;
    const contents = bytesOf(object.lookup(PDFName.of('Contents')));
    if (!contents) continue;
    const type = name(object, 'Type');
    const subFilter = name(object, 'SubFilter');
    const byteRange = readByteRange(object);
    const claimed = text(object, 'M');
    found.push({
      ref: ref.toString(),
      fieldName: names.get(ref.toString()),
      kind: type === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature',
      subFilter,
      byteRange,
      contents,
      claimedSigningTime: claimed ? parsePdfDate(claimed) : undefined,
      formatProblem: byteRangeProblem(pdf.bytes, byteRange, contents),
    });
  }
  // In the order they were made: a later revision's signature covers more of the file.
  const end = (s: PdfSignatureDictionary) => (s.byteRange ? s.byteRange[2] + s.byteRange[3] : Number.MAX_SAFE_INTEGER);
  return found.sort((a, b) => end(a) - end(b));
}

/** The bytes a signature covers, as the two slices of its byte range. */
export function signedSlices(bytes: Buffer, range: ByteRange): [Buffer, Buffer] {
  return [bytes.subarray(range[0], range[0] + range[1]), bytes.subarray(range[2], range[2] + range[3])];
}

/** The DER value at the start of a zero-padded /Contents (its own length says where it ends). */
export function trimDer(padded: Buffer): Buffer {
  if (padded.length < 2) return padded;
  const first = padded[1]!;
  if (first < 0x80) return padded.subarray(0, 2 + first);
  const count = first & 0x7f;
  if (count === 0 || count > 4 || padded.length < 2 + count) return padded; // indefinite or absurd: leave whole
  const length = padded.subarray(2, 2 + count).readUIntBE(0, count);
  return padded.subarray(0, Math.min(padded.length, 2 + count + length));
}

function streamBytes(pdf: OpenedPdf, value: PDFObject | undefined): Buffer | undefined {
  const stream = value instanceof PDFRef ? pdf.doc.context.lookup(value) : value;
  if (!(stream instanceof PDFRawStream)) return undefined;
  try {
    return Buffer.from(decodePDFRawStream(stream).decode());
  } catch {
    return undefined;
  }
}

/** The catalog's /DSS (ETSI EN 319 142-1 §5.4): certificates and revocation values as streams. */
export function readDss(pdf: OpenedPdf): DocumentSecurityStore | undefined {
  const dss = pdf.doc.catalog.lookup(PDFName.of('DSS'));
  if (!(dss instanceof PDFDict)) return undefined;
  const list = (key: string): Buffer[] => {
    const array = dss.lookup(PDFName.of(key));
    if (!(array instanceof PDFArray)) return [];
    return array
      .asArray()
      .map((item) => streamBytes(pdf, item))
      .filter((b): b is Buffer => b !== undefined);
  };
  return { certs: list('Certs'), crls: list('CRLs'), ocsps: list('OCSPs') };
}
