// @platform/pdf-text: Chinese text in PDFs made with pdf-lib (font embedding, line breaking).
export { cjkFontBytes, embedCjkFont, missingGlyphs, type CjkWeight } from './cjk-font.ts';
export { textWidth, wrapText } from './wrap.ts';
