// Finds where a text such as （盖章） is printed, so a seal can be placed on it. Follows the text
// operators of each page's content streams with the fonts' ToUnicode maps and glyph widths
// (composite Identity-H fonts and simple fonts). Text inside form XObjects is not searched.
import { AppError } from '@platform/contracts';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  type PDFObject,
} from 'pdf-lib';
import { contentOperations, type Operand } from './content-lexer.ts';
import type { OpenedPdf } from './open-pdf.ts';

export interface TextBox {
  page: number;
  /** Axis-aligned box of the text in default user space (points). */
  x: number;
  y: number;
  width: number;
  height: number;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [
  x * m[0] + y * m[2] + m[4],
  x * m[1] + y * m[3] + m[5],
];
const translate = (tx: number, ty: number): Matrix => [1, 0, 0, 1, tx, ty];

interface Glyph {
  text: string;
  corners: Array<[number, number]>;
}

interface FontInfo {
  bytesPerCode: 1 | 2;
  toUnicode: Map<number, string>;
  width(code: number): number;
}

export function locateAnchor(pdf: OpenedPdf, text: string, occurrence: number): TextBox {
  const wanted = text.replace(/\s+/g, '');
  let seen = 0;
  for (let index = 0; index < pdf.doc.getPageCount(); index++) {
    const glyphs = pageGlyphs(pdf, index).filter((g) => g.text.trim() !== '');
    // Positions of each glyph's text in the joined string, to map a match back to glyphs.
    let joined = '';
    const starts: number[] = [];
    for (const glyph of glyphs) {
      starts.push(joined.length);
      joined += glyph.text.replace(/\s+/g, '');
    }
    let from = 0;
    for (;;) {
      const at = joined.indexOf(wanted, from);
      if (at < 0) break;
      from = at + 1;
      if (++seen < occurrence) continue;
      const first = lastIndexAtOrBefore(starts, at);
      const last = lastIndexAtOrBefore(starts, at + wanted.length - 1);
      const corners = glyphs.slice(first, last + 1).flatMap((g) => g.corners);
      const xs = corners.map((c) => c[0]);
      const ys = corners.map((c) => c[1]);
      const box = { x: Math.min(...xs), y: Math.min(...ys) };
      return { page: index + 1, ...box, width: Math.max(...xs) - box.x, height: Math.max(...ys) - box.y };
    }
  }
  throw new AppError(
    'PDF_ANCHOR_NOT_FOUND',
    seen === 0
      ? `The text “${text}” does not occur in the document`
      : `The text “${text}” occurs ${seen} time(s), not ${occurrence}`,
  );
}

function lastIndexAtOrBefore(starts: number[], position: number): number {
  let found = 0;
  for (let i = 0; i < starts.length && starts[i]! <= position; i++) found = i;
  return found;
}

function pageGlyphs(pdf: OpenedPdf, index: number): Glyph[] {
  const page = pdf.doc.getPage(index);
  const resources = inherited(pdf, page.node, 'Resources');
  const fontDict = resources ? lookupDict(pdf, resources.get(PDFName.of('Font'))) : undefined;
  const fonts = new Map<string, FontInfo>();
  const fontNamed = (name: string): FontInfo | undefined => {
    if (!fonts.has(name)) {
      const dict = fontDict ? lookupDict(pdf, fontDict.get(PDFName.of(name))) : undefined;
      if (dict) fonts.set(name, fontInfo(pdf, dict));
    }
    return fonts.get(name);
  };

  const glyphs: Glyph[] = [];
  let ctm: Matrix = IDENTITY;
  const saved: Matrix[] = [];
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  let font: FontInfo | undefined;
  let size = 0;
  let charSpacing = 0;
  let wordSpacing = 0;
  let scale = 1;
  let leading = 0;
  let rise = 0;

  const nextLine = (tx: number, ty: number) => {
    tlm = multiply(translate(tx, ty), tlm);
    tm = tlm;
  };
  const show = (bytes: Uint8Array) => {
    if (!font) return;
    const step = font.bytesPerCode;
    for (let i = 0; i + step <= bytes.length; i += step) {
      const code = step === 2 ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]!;
      const advance =
        ((font.width(code) / 1000) * size + charSpacing + (step === 1 && code === 32 ? wordSpacing : 0)) * scale;
      const trm = multiply(multiply([size * scale, 0, 0, size, 0, rise], tm), ctm);
      const w = advance / (size * scale || 1);
      glyphs.push({
        text: font.toUnicode.get(code) ?? (step === 1 ? String.fromCharCode(code) : ''),
        corners: [apply(trm, 0, -0.2), apply(trm, w, -0.2), apply(trm, 0, 0.9), apply(trm, w, 0.9)],
      });
      tm = multiply(translate(advance, 0), tm);
    }
  };
  const num = (o: Operand | undefined) => (typeof o === 'number' ? o : 0);

  for (const { operator, operands } of contentOperations(pageContent(pdf, page.node))) {
    const n = operands.map(num);
    switch (operator) {
      case 'q':
        saved.push(ctm);
        break;
      case 'Q':
        ctm = saved.pop() ?? IDENTITY;
        break;
      case 'cm':
        ctm = multiply(n.slice(0, 6) as Matrix, ctm);
        break;
      case 'BT':
        tm = tlm = IDENTITY;
        break;
      case 'Tf': {
        const name = operands[0];
        font = name && typeof name === 'object' && 'name' in name ? fontNamed(name.name) : undefined;
        size = n[1] ?? 0;
        break;
      }
      case 'Tc':
        charSpacing = n[0] ?? 0;
        break;
      case 'Tw':
        wordSpacing = n[0] ?? 0;
        break;
      case 'Tz':
        scale = (n[0] ?? 100) / 100;
        break;
      case 'TL':
        leading = n[0] ?? 0;
        break;
      case 'Ts':
        rise = n[0] ?? 0;
        break;
      case 'Td':
        nextLine(n[0] ?? 0, n[1] ?? 0);
        break;
      case 'TD':
        leading = -(n[1] ?? 0);
        nextLine(n[0] ?? 0, n[1] ?? 0);
        break;
      case 'Tm':
        tm = tlm = n.slice(0, 6) as Matrix;
        break;
      case 'T*':
        nextLine(0, -leading);
        break;
      case 'Tj':
        if (operands[0] instanceof Uint8Array) show(operands[0]);
        break;
      case "'":
        nextLine(0, -leading);
        if (operands[0] instanceof Uint8Array) show(operands[0]);
        break;
      case '"':
        wordSpacing = n[0] ?? 0;
        charSpacing = n[1] ?? 0;
        nextLine(0, -leading);
        if (operands[2] instanceof Uint8Array) show(operands[2]);
        break;
      case 'TJ':
        for (const item of Array.isArray(operands[0]) ? operands[0] : []) {
          if (item instanceof Uint8Array) show(item);
          else if (typeof item === 'number') tm = multiply(translate((-item / 1000) * size * scale, 0), tm);
        }
        break;
    }
  }
  return glyphs;
}

function lookupDict(pdf: OpenedPdf, value: PDFObject | undefined): PDFDict | undefined {
  const resolved = value instanceof PDFRef ? pdf.doc.context.lookup(value) : value;
  return resolved instanceof PDFDict ? resolved : undefined;
}

function inherited(pdf: OpenedPdf, node: PDFDict, key: string): PDFDict | undefined {
  let current: PDFDict | undefined = node;
  for (let depth = 0; current && depth < 32; depth++) {
    const value = lookupDict(pdf, current.get(PDFName.of(key)));
    if (value) return value;
    current = lookupDict(pdf, current.get(PDFName.of('Parent')));
  }
  return undefined;
}

function streamBytes(pdf: OpenedPdf, value: PDFObject | undefined): Uint8Array {
  const resolved = value instanceof PDFRef ? pdf.doc.context.lookup(value) : value;
  if (!(resolved instanceof PDFRawStream)) return new Uint8Array();
  try {
    return decodePDFRawStream(resolved).decode();
  } catch {
    return new Uint8Array(); // an undecodable stream holds no findable text
  }
}

function pageContent(pdf: OpenedPdf, node: PDFDict): Uint8Array {
  const contents = node.get(PDFName.of('Contents'));
  const resolved = contents instanceof PDFRef ? pdf.doc.context.lookup(contents) : contents;
  const parts =
    resolved instanceof PDFArray
      ? resolved.asArray().map((ref) => streamBytes(pdf, ref))
      : [streamBytes(pdf, contents)];
  // Streams of one page are one content stream split anywhere except inside a token.
  return Buffer.concat(parts.flatMap((p) => [Buffer.from(p), Buffer.from('\n')]));
}

function fontInfo(pdf: OpenedPdf, dict: PDFDict): FontInfo {
  const subtype = dict.get(PDFName.of('Subtype'));
  const toUnicode = parseToUnicode(Buffer.from(streamBytes(pdf, dict.get(PDFName.of('ToUnicode')))).toString('latin1'));
  if (subtype === PDFName.of('Type0')) {
    const descendants = dict.lookup(PDFName.of('DescendantFonts'));
    const cidFont = descendants instanceof PDFArray ? lookupDict(pdf, descendants.get(0)) : undefined;
    const dw = cidFont?.lookup(PDFName.of('DW'));
    const defaultWidth = dw instanceof PDFNumber ? dw.asNumber() : 1000;
    const widths = cidWidths(pdf, cidFont?.lookup(PDFName.of('W')));
    return { bytesPerCode: 2, toUnicode, width: (code) => widths.get(code) ?? defaultWidth };
  }
  const firstChar = dict.lookup(PDFName.of('FirstChar'));
  const widthArray = dict.lookup(PDFName.of('Widths'));
  const first = firstChar instanceof PDFNumber ? firstChar.asNumber() : 0;
  const widths = widthArray instanceof PDFArray ? widthArray.asArray().map((w) => numberOf(pdf, w)) : [];
  // Standard 14 fonts may omit /Widths: an average width keeps positions roughly right.
  return { bytesPerCode: 1, toUnicode, width: (code) => widths[code - first] ?? 500 };
}

function numberOf(pdf: OpenedPdf, value: PDFObject | undefined): number {
  const resolved = value instanceof PDFRef ? pdf.doc.context.lookup(value) : value;
  return resolved instanceof PDFNumber ? resolved.asNumber() : 0;
}

/** /W of a CIDFont: `c [w1 w2 …]` or `cFirst cLast w`. */
function cidWidths(pdf: OpenedPdf, w: PDFObject | undefined): Map<number, number> {
  const widths = new Map<number, number>();
  if (!(w instanceof PDFArray)) return widths;
  const items = w.asArray();
  for (let i = 0; i < items.length;) {
    const start = numberOf(pdf, items[i]);
    const next = items[i + 1] instanceof PDFRef ? pdf.doc.context.lookup(items[i + 1] as PDFRef) : items[i + 1];
    if (next instanceof PDFArray) {
      next.asArray().forEach((value, k) => widths.set(start + k, numberOf(pdf, value)));
      i += 2;
    } else {
      const end = numberOf(pdf, items[i + 1]);
      const width = numberOf(pdf, items[i + 2]);
      for (let c = start; c <= end && c - start < 65536; c++) widths.set(c, width);
      i += 3;
    }
  }
  return widths;
}

const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');

/** bfchar and bfrange entries of a ToUnicode CMap. */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) {
      if (m[2]!.length % 4 === 0) map.set(parseInt(m[1]!, 16), utf16(m[2]!));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])/g)) {
      const low = parseInt(m[1]!, 16);
      const high = Math.min(parseInt(m[2]!, 16), low + 65535);
      const target = m[3]!;
      if (target.startsWith('[')) {
        [...target.matchAll(/<([0-9a-fA-F]*)>/g)].forEach((t, k) => {
          if (t[1]!.length % 4 === 0) map.set(low + k, utf16(t[1]!));
        });
      } else {
        const hex = target.slice(1, -1);
        if (hex.length % 4 !== 0 || hex.length === 0) continue;
        const base = Buffer.from(hex, 'hex');
        for (let code = low; code <= high; code++) {
          const value = Buffer.from(base);
          value.writeUInt16BE((base.readUInt16BE(base.length - 2) + (code - low)) & 0xffff, base.length - 2);
          map.set(code, utf16(value.toString('hex')));
        }
      }
    }
  }
  return map;
}
