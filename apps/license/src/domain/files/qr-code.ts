// Draws a QR code as vector squares on a PDF page: sharp at any print size, and no image codec
// needed. Error correction M survives a stamp or a fold across part of the code.
import { rgb, type PDFPage } from 'pdf-lib';
import { encode } from 'uqr';

/** Draws `text` as a QR code of `size` points (quiet zone included) with its lower-left at x, y. */
export function drawQrCode(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { data } = encode(text, { ecc: 'M', border: 0 });
  const modules = data.length;
  const quiet = 2; // modules of white margin on each side
  const cell = size / (modules + 2 * quiet);
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  data.forEach((row, r) => {
    // One rectangle per horizontal run of dark modules keeps the content stream small.
    let start = -1;
    for (let c = 0; c <= modules; c++) {
      const dark = c < modules && row[c] === true;
      if (dark && start < 0) start = c;
      if (!dark && start >= 0) {
        page.drawRectangle({
          x: x + (quiet + start) * cell,
          y: y + size - (quiet + r + 1) * cell,
          width: (c - start) * cell,
          height: cell,
          color: rgb(0, 0, 0),
        });
        start = -1;
      }
    }
  });
}
