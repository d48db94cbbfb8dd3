// What later incremental updates changed after a signed revision. Adding signatures (their
// dictionaries, widgets, appearances, the AcroForm and page /Annots entries that list them) and
// long-term validation data (the DSS) is what PAdES expects of later revisions; any other change to
// an object that existed when the document was signed means the content may differ from what was signed.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import type { OpenedPdf } from '../pdf/open-pdf.ts';

export type ChangesAfterSigning = 'none' | 'signatures-and-validation-data' | 'content-modified';

export interface ChangeReport {
  changes: ChangesAfterSigning;
  /** Objects changed in a way not allowed after signing ("7 0 R"), at most 20. */
  modifiedObjects: string[];
}

const MAX_LISTED = 20;

const key = (name: string) => PDFName.of(name);

function sameObject(a: PDFObject, b: PDFObject): boolean {
  if (a instanceof PDFRawStream || b instanceof PDFRawStream) {
    return (
      a instanceof PDFRawStream &&
      b instanceof PDFRawStream &&
      a.dict.toString() === b.dict.toString() &&
      Buffer.from(a.contents).equals(Buffer.from(b.contents))
    );
  }
  return a.toString() === b.toString();
}

/** Whether two dictionaries agree on every key except `except`. */
function sameExcept(a: PDFDict, b: PDFDict, except: string[]): boolean {
  const skip = new Set(except.map((k) => key(k)));
  const entries = (d: PDFDict) =>
    d
      .entries()
      .filter(([k]) => !skip.has(k))
      .map(([k, v]) => `${k.toString()} ${v.toString()}`)
      .sort()
      .join('\n');
  return entries(a) === entries(b);
}

export async function changesAfterSigning(pdf: OpenedPdf, signedEnd: number): Promise<ChangeReport> {
  if (signedEnd >= pdf.bytes.length) return { changes: 'none', modifiedObjects: [] };
  let signed: PDFDocument;
  try {
    signed = await PDFDocument.load(pdf.bytes.subarray(0, signedEnd), {
      ignoreEncryption: true,
      updateMetadata: false,
    });
  } catch {
    return { changes: 'content-modified', modifiedObjects: ['(the signed revision cannot be read on its own)'] };
  }
  const now = pdf.doc.context;
  const before = signed.context;
  const resolve = (value: PDFObject | undefined) => (value instanceof PDFRef ? now.lookup(value) : value);

  const isSignatureField = (item: PDFObject): boolean => {
    const dict = resolve(item);
    if (!(dict instanceof PDFDict)) return false;
    if (dict.get(key('FT')) === key('Sig')) return true;
    const parent = resolve(dict.get(key('Parent')));
    return parent instanceof PDFDict && parent.get(key('FT')) === key('Sig');
  };
  /** Arrays may only grow, and only by signature fields or widgets. */
  const onlyAddsSignatures = (old: PDFObject | undefined, current: PDFObject | undefined): boolean => {
    const oldArray = old instanceof PDFRef ? before.lookup(old) : old;
    const newArray = resolve(current);
    const oldItems = oldArray instanceof PDFArray ? oldArray.asArray().map(String) : [];
    if (!(newArray instanceof PDFArray)) return oldItems.length === 0 && current === undefined;
    const newItems = newArray.asArray();
    const kept = new Set(newItems.map(String));
    if (!oldItems.every((item) => kept.has(item))) return false;
    const oldSet = new Set(oldItems);
    return newItems.filter((item) => !oldSet.has(String(item))).every(isSignatureField);
  };

  /** The AcroForm: only new signature fields, and the flags saying signatures exist. */
  const acroFormOnlyAddsSignatures = (old: PDFObject | undefined, current: PDFObject | undefined): boolean => {
    if (!(current instanceof PDFDict)) return false;
    const oldDict = old instanceof PDFDict ? old : PDFDict.withContext(before);
    return (
      sameExcept(oldDict, current, ['Fields', 'SigFlags']) &&
      onlyAddsSignatures(oldDict.get(key('Fields')), current.get(key('Fields')))
    );
  };

  const catalogRef = now.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef) || String(catalogRef) !== String(before.trailerInfo.Root)) {
    return { changes: 'content-modified', modifiedObjects: ['(the document catalog was replaced)'] };
  }
  // DSS objects may be rewritten freely: they only hold validation data.
  const dssRefs = new Set<string>();
  const catalog = now.lookup(catalogRef);
  const dssValue = catalog instanceof PDFDict ? catalog.get(key('DSS')) : undefined;
  if (dssValue instanceof PDFRef) dssRefs.add(String(dssValue));
  const dss = resolve(dssValue);
  if (dss instanceof PDFDict) {
    for (const k of ['Certs', 'CRLs', 'OCSPs', 'VRI']) {
      const v = dss.get(key(k));
      if (v instanceof PDFRef) dssRefs.add(String(v));
    }
  }

  const allowedChange = (ref: PDFRef, old: PDFObject, current: PDFObject): boolean => {
    if (dssRefs.has(String(ref))) return true;
    const oldArrayHolder = old instanceof PDFArray && current instanceof PDFArray;
    if (oldArrayHolder) return onlyAddsSignatures(old, current);
    if (!(old instanceof PDFDict) || !(current instanceof PDFDict)) return false;
    if (String(ref) === String(catalogRef)) {
      if (!sameExcept(old, current, ['AcroForm', 'DSS'])) return false;
      const oldForm = old.get(key('AcroForm'));
      const newForm = current.get(key('AcroForm'));
      if (String(oldForm) === String(newForm)) return true;
      // A form dictionary that is new or moved must still differ only by signature fields.
      const previous = oldForm instanceof PDFRef ? before.lookup(oldForm) : oldForm;
      return newForm !== undefined && acroFormOnlyAddsSignatures(previous, resolve(newForm));
    }
    const type = current.get(key('Type'));
    if (type === key('Page')) {
      return (
        sameExcept(old, current, ['Annots']) && onlyAddsSignatures(old.get(key('Annots')), current.get(key('Annots')))
      );
    }
    if (current.has(key('Fields')) && old.has(key('Fields'))) return acroFormOnlyAddsSignatures(old, current);
    if (current.get(key('FT')) === key('Sig')) {
      // An empty signature field being signed: its value and appearance are filled in.
      return sameExcept(old, current, ['V', 'AP']);
    }
    return false;
  };

  const modified: string[] = [];
  for (const [ref, current] of now.enumerateIndirectObjects()) {
    const old = before.lookup(ref);
    if (old === undefined || sameObject(old, current)) continue; // new objects are inert unless referenced
    if (!allowedChange(ref, old, current)) modified.push(String(ref));
  }
  // Objects of the signed revision that are gone (freed) count as modified too.
  for (const [ref] of before.enumerateIndirectObjects()) {
    if (now.lookup(ref) === undefined) modified.push(String(ref));
  }
  return modified.length
    ? { changes: 'content-modified', modifiedObjects: modified.slice(0, MAX_LISTED) }
    : { changes: 'signatures-and-validation-data', modifiedObjects: [] };
}
