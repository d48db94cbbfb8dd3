// Adds a signature field with a visible seal to an incremental update: the signature dictionary
// (with /Contents and /ByteRange placeholders), its widget on the page with the seal image as
// appearance, and the AcroForm entries that make readers list it.
import { deflateSync } from 'node:zlib';
import { AppError } from '@platform/contracts';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, type PDFObject, type PDFPage } from 'pdf-lib';
import type { SealRaster } from '../images/seal-image.ts';
import { IncrementalUpdate } from './incremental-update.ts';
import type { OpenedPdf } from './open-pdf.ts';
import { pdfDate } from './pdf-date.ts';

export const MM_TO_PT = 72 / 25.4;
/** Room for the CMS: certificates, signature and the timestamp token (with its certificate). */
export const DEFAULT_CONTENTS_BYTES = 16 * 1024;
const BYTE_RANGE_PLACEHOLDER = `/ByteRange [0 ${'*'.repeat(10)} ${'*'.repeat(10)} ${'*'.repeat(10)}]`;

export interface Placement {
  /** 1-based page number. */
  page: number;
  /** Lower-left corner of the seal in PDF points from the page's lower-left corner. */
  x: number;
  y: number;
  widthMm: number;
  heightMm: number;
}

export interface SignatureFieldInput {
  placement: Placement;
  image: SealRaster;
  signingTime: Date;
  name: string;
  reason?: string;
  location?: string;
  contentsBytes?: number;
}

export interface PreparedPdf {
  bytes: Buffer;
  /** Offsets of the hex /Contents value including its angle brackets. */
  contentsStart: number;
  contentsEnd: number;
  byteRangeOffset: number;
}

const text = (value: string) => PDFHexString.fromText(value).toString();

function lookupDict(pdf: OpenedPdf, value: PDFObject | undefined): PDFDict | undefined {
  const resolved = value instanceof PDFRef ? pdf.doc.context.lookup(value) : value;
  return resolved instanceof PDFDict ? resolved : undefined;
}

/** Appends `item` to the array at `key` of `dict`; an indirect array is rewritten in place. */
function appendToArray(update: IncrementalUpdate, pdf: OpenedPdf, dict: PDFDict, key: string, item: PDFRef): void {
  const existing = dict.get(PDFName.of(key));
  if (existing instanceof PDFRef) {
    const array = pdf.doc.context.lookup(existing);
    if (!(array instanceof PDFArray)) throw new AppError('PDF_MALFORMED', `/${key} is not an array`);
    const copy = array.clone(pdf.doc.context);
    copy.push(item);
    update.set(existing, copy);
    return;
  }
  const copy = existing instanceof PDFArray ? existing.clone(pdf.doc.context) : pdf.doc.context.obj([]);
  copy.push(item);
  dict.set(PDFName.of(key), copy);
}

export function existingSignatureCount(pdf: OpenedPdf): number {
  const acroForm = lookupDict(pdf, pdf.doc.catalog.get(PDFName.of('AcroForm')));
  const fields = acroForm?.lookup(PDFName.of('Fields'));
  if (!(fields instanceof PDFArray)) return 0;
  return fields.asArray().filter((ref) => lookupDict(pdf, ref)?.get(PDFName.of('FT')) === PDFName.of('Sig')).length;
}

/** Refuses documents whose certification signature forbids any change (DocMDP P=1). */
function assertChangesPermitted(pdf: OpenedPdf): void {
  const perms = lookupDict(pdf, pdf.doc.catalog.get(PDFName.of('Perms')));
  const docMdp = lookupDict(pdf, perms?.get(PDFName.of('DocMDP')));
  const references = docMdp?.lookup(PDFName.of('Reference'));
  if (!(references instanceof PDFArray)) return;
  for (const ref of references.asArray()) {
    const params = lookupDict(pdf, lookupDict(pdf, ref)?.get(PDFName.of('TransformParams')));
    const p = params?.get(PDFName.of('P'));
    if (p instanceof PDFNumber && p.asNumber() === 1) {
      throw new AppError('PDF_CHANGES_NOT_PERMITTED', 'A certification signature of this PDF forbids any change');
    }
  }
}

export function prepareSignatureField(pdf: OpenedPdf, input: SignatureFieldInput): PreparedPdf {
  assertChangesPermitted(pdf);
  const { placement } = input;
  const pageCount = pdf.doc.getPageCount();
  if (!Number.isInteger(placement.page) || placement.page < 1 || placement.page > pageCount) {
    throw new AppError(
      'PDF_PAGE_OUT_OF_RANGE',
      `Page ${placement.page} does not exist; the document has ${pageCount} page(s)`,
    );
  }
  const page = pdf.doc.getPage(placement.page - 1);
  const box = page.getMediaBox();
  const width = placement.widthMm * MM_TO_PT;
  const height = placement.heightMm * MM_TO_PT;
  if (
    placement.x < 0 ||
    placement.y < 0 ||
    placement.x + width > box.width + 0.01 ||
    placement.y + height > box.height + 0.01
  ) {
    throw new AppError(
      'PDF_POSITION_OUTSIDE_PAGE',
      `The seal (${width.toFixed(1)} × ${height.toFixed(1)} pt at ${placement.x}, ${placement.y}) does not fit on page ${placement.page} (${box.width} × ${box.height} pt)`,
    );
  }
  const rect = [
    box.x + placement.x,
    box.y + placement.y,
    box.x + placement.x + width,
    box.y + placement.y + height,
  ].map((v) => Number(v.toFixed(3)));

  const update = new IncrementalUpdate(pdf);
  const sigRef = update.allocate();
  const widgetRef = update.allocate();
  const appearanceRef = update.allocate();
  const imageRef = update.allocate();
  const maskRef = update.allocate();

  const { image } = input;
  update.setStream(
    maskRef,
    ` /Type /XObject /Subtype /Image /Width ${image.widthPx} /Height ${image.heightPx} /ColorSpace /DeviceGray /BitsPerComponent 8`,
    deflatedOnce(image.alpha),
    { deflated: true },
  );
  update.setStream(
    imageRef,
    ` /Type /XObject /Subtype /Image /Width ${image.widthPx} /Height ${image.heightPx} /ColorSpace /DeviceRGB /BitsPerComponent 8 /SMask ${maskRef}`,
    deflatedOnce(image.rgb),
    { deflated: true },
  );
  const w = Number(width.toFixed(3));
  const h = Number(height.toFixed(3));
  update.setStream(
    appearanceRef,
    ` /Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}] /Resources << /XObject << /Seal ${imageRef} >> >>`,
    Buffer.from(`q ${w} 0 0 ${h} 0 0 cm /Seal Do Q`, 'latin1'),
  );

  const contentsBytes = input.contentsBytes ?? DEFAULT_CONTENTS_BYTES;
  const sigHead =
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (${pdfDate(input.signingTime)}) /Name ${text(input.name)}` +
    (input.reason ? ` /Reason ${text(input.reason)}` : '') +
    (input.location ? ` /Location ${text(input.location)}` : '');
  return finishSignatureField(pdf, update, {
    sigRef,
    widgetRef,
    fieldName: `Seal${existingSignatureCount(pdf) + 1}-${sigRef.objectNumber}`,
    page,
    widget: `/Rect [${rect.join(' ')}] /AP << /N ${appearanceRef} >>`,
    sigHead,
    contentsBytes,
  });
}

/**
 * The parts every signature field shares: the widget (listed in the page's /Annots and the
 * AcroForm's /Fields, SigFlags 3), and the signature dictionary `sigHead` completed with /ByteRange
 * and /Contents placeholders; then the revision is serialised and the placeholders located.
 */
export function finishSignatureField(
  pdf: OpenedPdf,
  update: IncrementalUpdate,
  field: {
    sigRef: PDFRef;
    widgetRef: PDFRef;
    fieldName: string;
    page: PDFPage;
    /** Widget entries for its placement and appearance (/Rect, /AP). */
    widget: string;
    /** The signature dictionary's opening entries, up to (not including) /ByteRange. */
    sigHead: string;
    contentsBytes: number;
  },
): PreparedPdf {
  const { sigRef, widgetRef, page } = field;
  update.set(
    widgetRef,
    `<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /T ${text(field.fieldName)} /V ${sigRef} /P ${page.ref} ${field.widget} >>`,
  );

  // The page gets the widget in /Annots.
  const pageDict = page.node.clone(pdf.doc.context);
  appendToArray(update, pdf, pageDict, 'Annots', widgetRef);
  update.set(page.ref, pageDict);

  // The AcroForm lists the field; SigFlags 3 = signatures exist, append only.
  const catalogRef = pdf.doc.context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new AppError('PDF_MALFORMED', 'The PDF trailer has no catalog reference');
  const acroFormValue = pdf.doc.catalog.get(PDFName.of('AcroForm'));
  const acroForm = (lookupDict(pdf, acroFormValue) ?? pdf.doc.context.obj({})).clone(pdf.doc.context);
  appendToArray(update, pdf, acroForm, 'Fields', widgetRef);
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  if (acroFormValue instanceof PDFRef) {
    update.set(acroFormValue, acroForm);
  } else {
    const acroFormRef = update.allocate();
    update.set(acroFormRef, acroForm);
    const catalog = pdf.doc.catalog.clone(pdf.doc.context);
    catalog.set(PDFName.of('AcroForm'), acroFormRef);
    update.set(catalogRef, catalog);
  }

  const { contentsBytes } = field;
  const sigHead = `${field.sigHead} ${BYTE_RANGE_PLACEHOLDER} /Contents <`;
  update.set(sigRef, Buffer.from(`${sigHead}${'0'.repeat(contentsBytes * 2)}> >>`, 'latin1'));

  const bytes = update.serialize();
  // Find the placeholder in the appended revision only (never in earlier bytes).
  const byteRangeOffset = bytes.indexOf(BYTE_RANGE_PLACEHOLDER, pdf.bytes.length, 'latin1');
  const contentsStart = bytes.indexOf('/Contents <', byteRangeOffset, 'latin1') + '/Contents '.length;
  const contentsEnd = contentsStart + contentsBytes * 2 + 2;
  return { bytes, contentsStart, contentsEnd, byteRangeOffset };
}

/** Writes the real /ByteRange into the placeholder (same width) and returns the covered bytes. */
export function fillByteRange(prepared: PreparedPdf): {
  byteRange: [number, number, number, number];
  covered: Buffer[];
} {
  const { bytes, contentsStart, contentsEnd, byteRangeOffset } = prepared;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, bytes.length - contentsEnd];
  const value = `/ByteRange [${byteRange.join(' ')}]`;
  bytes.write(value.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), byteRangeOffset, 'latin1');
  return { byteRange, covered: [bytes.subarray(0, contentsStart), bytes.subarray(contentsEnd)] };
}

export function fillContents(prepared: PreparedPdf, cms: Buffer): void {
  const capacity = (prepared.contentsEnd - prepared.contentsStart - 2) / 2;
  if (cms.length > capacity) throw new Error(`signature of ${cms.length} bytes exceeds the reserved ${capacity}`);
  prepared.bytes.write(cms.toString('hex'), prepared.contentsStart + 1, 'latin1');
}

// A seal's raster planes are the same objects for every signature with that seal (the raster
// cache keeps them); compressing their ~1 MB per signature was a third of a signature's cost.
const deflatedPlanes = new WeakMap<Buffer, Buffer>();
function deflatedOnce(plane: Buffer): Buffer {
  let deflated = deflatedPlanes.get(plane);
  if (!deflated) {
    deflated = deflateSync(plane);
    deflatedPlanes.set(plane, deflated);
  }
  return deflated;
}
