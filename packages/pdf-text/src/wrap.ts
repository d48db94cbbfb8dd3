// Line breaking for Chinese text: CJK text has no spaces, so a line may break between any two
// characters, except that closing punctuation never starts a line and opening punctuation never
// ends one (the basic rule of Chinese typesetting, 避头尾).
import type { PDFFont } from 'pdf-lib';

const NO_LINE_START = new Set([...'，。、；：！？）》」』】〕〉”’,.;:!?)]}%']);
const NO_LINE_END = new Set([...'（《「『【〔〈“‘([{']);

/** Splits `text` into lines no wider than `maxWidth` at `size` (explicit newlines are kept). */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const char of paragraph) {
      const candidate = line + char;
      if (line === '' || font.widthOfTextAtSize(candidate, size) <= maxWidth) {
        line = candidate;
        continue;
      }
      // Move the tail to the next line when the break would strand punctuation.
      let carry = char;
      while (line.length > 1 && (NO_LINE_START.has(carry[0] ?? '') || NO_LINE_END.has(line.at(-1) ?? ''))) {
        carry = line.at(-1) + carry;
        line = line.slice(0, -1);
      }
      lines.push(line);
      line = carry;
    }
    lines.push(line);
  }
  return lines;
}
