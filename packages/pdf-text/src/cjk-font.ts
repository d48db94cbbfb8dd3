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
    bytes = readFile(require.resolve(FONT_FILES[weight])).then((buffer) => new Uint8Array(buffer));
    loaded.set(weight, bytes);
  }
  return bytes;
}

/** Embeds Noto Serif SC as a subset (only the glyphs drawn end up in the file). */
export async function embedCjkFont(doc: PDFDocument, weight: CjkWeight = 'regular'): Promise<PDFFont> {
  doc.registerFontkit(fontkit);
  return doc.embedFont(await cjkFontBytes(weight), { subset: true });
}

/** Characters of `text` the font has no glyph for (they would print as blanks or boxes). */
export function missingGlyphs(font: PDFFont, text: string): string[] {
  const available = new Set(font.getCharacterSet());
  return [...new Set([...text].filter((char) => !/\s/.test(char) && !available.has(char.codePointAt(0) ?? -1)))];
}
