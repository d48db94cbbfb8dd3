// Line breaking for Chinese text: CJK text has no spaces, so a line may break between any two
// characters, except that closing punctuation never starts a line and opening punctuation never
// ends one (the basic rule of Chinese typesetting, 避头尾).
import type { PDFFont } from 'pdf-lib';

const NO_LINE_START = new Set([...'，。、；：！？）》」』】〕〉”’,.;:!?)]}%']);
const NO_LINE_END = new Set([...'（《「『【〔〈“‘([{']);

// Measuring a string runs the font's full shaping (fontkit layout), which is slow for a CJK font;
// character advances are measured once per font and summed (CJK text has no kerning to lose).
const advances = new WeakMap<PDFFont, Map<string, number>>();

/** Width of `text` at `size`, as the sum of its characters' advances. */
export function textWidth(text: string, font: PDFFont, size: number): number {
  let known = advances.get(font);
  if (!known) {
    known = new Map();
    advances.set(font, known);
  }
  let total = 0;
  for (const char of text) {
    let advance = known.get(char);
    if (advance === undefined) {
      advance = font.widthOfTextAtSize(char, 1000);
      known.set(char, advance);
    }
    total += advance;
  }
  return (total * size) / 1000;
}

/** Splits `text` into lines no wider than `maxWidth` at `size` (explicit newlines are kept). */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    let width = 0;
    for (const char of paragraph) {
      const advance = textWidth(char, font, size);
      if (line === '' || width + advance <= maxWidth) {
        line += char;
        width += advance;
        continue;
      }
      // Move the tail to the next line when the break would strand punctuation, unless the moved
      // tail would no longer fit that line (the box matters more than the rule: a value running
      // over its box overlaps the frame, the QR code or the seal).
      let carry = char;
      while (
        line.length > 1 &&
        (NO_LINE_START.has(carry[0] ?? '') || NO_LINE_END.has(line.at(-1) ?? '')) &&
        textWidth(line.at(-1) + carry, font, size) <= maxWidth
      ) {
        carry = line.at(-1) + carry;
        line = line.slice(0, -1);
      }
      lines.push(line);
      line = carry;
      width = textWidth(carry, font, size);
    }
    lines.push(line);
  }
  return lines;
}
