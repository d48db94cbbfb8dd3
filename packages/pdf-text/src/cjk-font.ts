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
/** The parts of fontkit's TrueType subsetter that subsetGlyphs() takes over. */
type TrueTypeSubset = Subset & {
  _addGlyph(gid: number): number;
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: Array<{ advance: number; bearing: number }> };
  offset: number;
};

// fontkit wraps its input in its bundled Buffer polyfill, which copies a Uint8Array byte by byte
// (about 250 ms for this 15 MB font, on every document) but wraps an ArrayBuffer without copying.
// The font bytes are never written to, so handing over their ArrayBuffer is safe.
const wrapWithoutCopy = fontkit.create as (data: Uint8Array | ArrayBuffer, postscriptName?: string) => FontkitFont;

/** A simple glyph as a subset copies it: its (even-length) outline bytes and its metrics. */
interface KeptGlyph {
  data: Uint8Array;
  metrics: { advance: number; bearing: number };
}

/**
 * fontkit's subsetter copies glyph data as it is and, for a small subset, writes the short `loca`
 * format, which stores offsets divided by two. Noto's glyphs have odd lengths, so every glyph after
 * an odd one pointed one byte off and printed blank (pdftotext still found the text, a reader
 * showed nothing). Padding each glyph to an even length keeps every offset exact.
 *
 * Copying a glyph also decodes its whole outline (fontkit only needs to know whether it is made
 * of other glyphs), for every glyph of every document. A simple glyph's bytes and metrics are the
 * same in every subset, so they are kept per font (`kept`) and appended as fontkit would append
 * them; composite glyphs, whose component numbers depend on the subset, always go through fontkit.
 */
function subsetGlyphs(subset: Subset, kept: Map<number, KeptGlyph> | undefined): Subset {
  const trueType = subset as TrueTypeSubset;
  if (typeof trueType._addGlyph !== 'function') return subset; // not a TrueType subset
  const addGlyph = trueType._addGlyph.bind(trueType);
  trueType._addGlyph = (gid: number) => {
    const known = kept?.get(gid);
    if (known) {
      trueType.glyf.push(known.data);
      trueType.loca.offsets.push(trueType.offset);
      trueType.hmtx.metrics.push({ ...known.metrics });
      trueType.offset += known.data.length;
      return trueType.glyf.length - 1;
    }
    const index = addGlyph(gid);
    let data = trueType.glyf[index];
    if (data && data.length % 2 === 1) {
      const padded = new Uint8Array(data.length + 1);
      padded.set(data);
      // fontkit's encoder accepts only its own Buffer polyfill, which is a Uint8Array with its
      // prototype: give the padded copy the same one.
      Object.setPrototypeOf(padded, Object.getPrototypeOf(data) as object);
      trueType.glyf[index] = data = padded;
      trueType.offset += 1;
    }
    // numberOfContours, the glyph's first int16, is negative for a composite glyph.
    const composite = data !== undefined && data.length >= 2 && (data[0]! & 0x80) !== 0;
    const metrics = trueType.hmtx.metrics[index];
    if (kept && data && metrics && !composite) kept.set(gid, { data, metrics: { ...metrics } });
    return index;
  };
  return subset;
}

// Parsed fonts, one per font file and process. pdf-lib asks fontkit to parse the font for every
// document it is embedded in; parsing is lazy, so each document then decoded the tables it touched
// (cmap, hmtx, loca, GSUB, GPOS of a 65,000-glyph font) all over again, most of a license's
// rendering time. A fontkit font is safe to share: documents only read it (glyph data is copied
// into each document's own subset), its caches fill once, and all of it runs synchronously on this
// thread, so no two documents move its read position at the same time.
const parsed = new WeakMap<ArrayBufferLike, Map<string | undefined, FontkitFont>>();

function parseOnce(data: Uint8Array, postscriptName: string | undefined): FontkitFont {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  // Only whole buffers (cjkFontBytes gives those) are shared; anything else is parsed as given.
  if (!whole) return withPlatformSubsets(wrapWithoutCopy(data, postscriptName), false);
  let byName = parsed.get(data.buffer);
  if (!byName) {
    byName = new Map();
    parsed.set(data.buffer, byName);
  }
  let font = byName.get(postscriptName);
  if (!font) {
    font = withPlatformSubsets(wrapWithoutCopy(data.buffer as ArrayBuffer, postscriptName), true);
    byName.set(postscriptName, font);
  }
  return font;
}

function withPlatformSubsets(font: FontkitFont, shared: boolean): FontkitFont {
  const createSubset = font.createSubset.bind(font);
  // Glyph bytes are kept only for a font parsed once (a variable font re-encodes its outlines).
  const kept =
    shared && !(font as { _variationProcessor?: unknown })._variationProcessor
      ? new Map<number, KeptGlyph>()
      : undefined;
  font.createSubset = () => subsetGlyphs(createSubset(), kept);
  return rememberLayouts(font);
}

type GlyphRun = ReturnType<FontkitFont['layout']>;

/**
 * How many distinct strings each font keeps the shaping of. Most entries are single characters
 * (line breaking measures each one) and the labels every document repeats, which stay; the values
 * of one license come and go. A few MB per font at most.
 */
const LAYOUTS_KEPT = 5_000;

/**
 * pdf-lib shapes every string it measures or draws (fontkit's full OpenType layout: script
 * detection, a shaping plan, every GSUB and GPOS lookup), which costs far more than the drawing.
 * The same string always shapes the same, and documents repeat most of theirs (labels, titles, the
 * characters line breaking measures), so each font remembers the shaping of the strings it saw
 * last. pdf-lib only reads the glyph run it gets back, so one run can serve every caller.
 */
function rememberLayouts(font: FontkitFont): FontkitFont {
  const layout = font.layout.bind(font) as (text: string, ...options: unknown[]) => GlyphRun;
  const runs = new Map<string, GlyphRun>();
  font.layout = ((text: string, ...options: unknown[]): GlyphRun => {
    // Features, script or direction chosen by the caller: shaped as asked, not remembered.
    if (options.some((option) => option !== undefined)) return layout(text, ...options);
    let run = runs.get(text);
    if (run) {
      runs.delete(text); // most recently used last: the first key is the one to forget
    } else {
      run = layout(text);
      if (runs.size >= LAYOUTS_KEPT) runs.delete(runs.keys().next().value as string);
    }
    runs.set(text, run);
    return run;
  }) as FontkitFont['layout'];
  return font;
}

const platformFontkit: Fontkit = { create: parseOnce };

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
