// Chinese text in PDFs made with pdf-lib. The standard PDF fonts hold no CJK glyphs and the machine
// may have no Chinese fonts at all, so the platform ships Noto Serif SC (SIL Open Font License) and
// embeds only the glyphs a document uses: a one-page license stays around 20–60 KB instead of 15 MB.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

export type CjkWeight = 'regular' | 'bold';

const FONT_FILES: Record<CjkWeight, string> = {
  regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
};

const require = createRequire(import.meta.url);
// Read once per process: the files are large, and every document embeds from the same bytes.
const loaded = new Map<CjkWeight, Promise<Uint8Array>>();

export function cjkFontBytes(weight: CjkWeight = 'regular'): Promise<Uint8Array> {
  let bytes = loaded.get(weight);
  if (!bytes) {
    // An ArrayBuffer of exactly the font's bytes (see platformFontkit below).
    bytes = readFile(require.resolve(FONT_FILES[weight])).then(
      (buffer) => new Uint8Array(Uint8Array.from(buffer).buffer),
    );
    loaded.set(weight, bytes);
  }
  return bytes;
}

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type FontkitFont = ReturnType<typeof fontkit.create>;
type Subset = ReturnType<FontkitFont['createSubset']>;
/** The parts of fontkit's TrueType subsetter that evenGlyphs() corrects. */
type TrueTypeSubset = Subset & { _addGlyph(gid: number): number; glyf: Uint8Array[]; offset: number };

// fontkit wraps its input in its bundled Buffer polyfill, which copies a Uint8Array byte by byte
// (about 250 ms for this 15 MB font, on every document) but wraps an ArrayBuffer without copying.
// The font bytes are never written to, so handing over their ArrayBuffer is safe.
const wrapWithoutCopy = fontkit.create as (data: Uint8Array | ArrayBuffer, postscriptName?: string) => FontkitFont;

/**
 * fontkit's subsetter copies glyph data as it is and, for a small subset, writes the short `loca`
 * format, which stores offsets divided by two. Noto's glyphs have odd lengths, so every glyph after
 * an odd one pointed one byte off and printed blank (pdftotext still found the text, a reader
 * showed nothing). Padding each glyph to an even length keeps every offset exact.
 */
function evenGlyphs(subset: Subset): Subset {
  const trueType = subset as TrueTypeSubset;
  if (typeof trueType._addGlyph !== 'function') return subset; // not a TrueType subset
  const addGlyph = trueType._addGlyph.bind(trueType);
  trueType._addGlyph = (gid: number) => {
    const index = addGlyph(gid);
    const data = trueType.glyf[trueType.glyf.length - 1];
    if (data && data.length % 2 === 1) {
      const padded = new Uint8Array(data.length + 1);
      padded.set(data);
      // fontkit's encoder accepts only its own Buffer polyfill, which is a Uint8Array with its
      // prototype: give the padded copy the same one.
      Object.setPrototypeOf(padded, Object.getPrototypeOf(data) as object);
      trueType.glyf[trueType.glyf.length - 1] = padded;
      trueType.offset += 1;
    }
    return index;
  };
  return subset;
}

const platformFontkit: Fontkit = {
  create: (data, postscriptName) => {
    const font = wrapWithoutCopy(
      data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? (data.buffer as ArrayBuffer) : data,
      postscriptName,
    );
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => evenGlyphs(createSubset());
    return font;
  },
};

/** Embeds Noto Serif SC as a subset (only the glyphs drawn end up in the file). */
export async function embedCjkFont(doc: PDFDocument, weight: CjkWeight = 'regular'): Promise<PDFFont> {
  doc.registerFontkit(platformFontkit);
  return doc.embedFont(await cjkFontBytes(weight), { subset: true });
}

/** Characters of `text` the font has no glyph for (they would print as blanks or boxes). */
export function missingGlyphs(font: PDFFont, text: string): string[] {
  const available = new Set(font.getCharacterSet());
  return [...new Set([...text].filter((char) => !/\s/.test(char) && !available.has(char.codePointAt(0) ?? -1)))];
}
