// Draws a QR code as vector squares on a PDF page: sharp at any print size, and no image codec
// needed. Error correction M survives a stamp or a fold across part of the code.
import {
  closePath,
  fill,
  lineTo,
  moveTo,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  rotateRadians,
  setDashPattern,
  setFillingRgbColor,
  setLineWidth,
  skewRadians,
  type PDFPage,
} from 'pdf-lib';
import { encode } from 'uqr';

// The dark runs are written with exactly the operators page.drawRectangle writes for a filled,
// unrotated rectangle without border, but built directly: drawRectangle validates its options and
// makes a dozen fresh operators per call, which for the few hundred runs of a code was a quarter of
// a license file's rendering. The operators that do not depend on the run are made once and
// shared (an operator is only read when the page is saved); qr-code.test.ts checks the bytes
// against drawRectangle's.
const RUN_START: PDFOperator[] = [
  pushGraphicsState(),
  setFillingRgbColor(0, 0, 0),
  setLineWidth(0),
  setDashPattern([], 0),
];
const RUN_ORIENTATION: PDFOperator[] = [rotateRadians(0), skewRadians(0, 0), moveTo(0, 0)];
const RUN_END: PDFOperator[] = [closePath(), fill(), popGraphicsState()];
const [ONE, ZERO] = [PDFNumber.of(1), PDFNumber.of(0)];

/** Draws `text` as a QR code of `size` points (quiet zone included) with its lower-left at x, y. */
export function drawQrCode(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { data } = encode(text, { ecc: 'M', border: 0 });
  const modules = data.length;
  const quiet = 2; // modules of white margin on each side
  const cell = size / (modules + 2 * quiet);
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  // The outline of a run depends only on its length: made once per length.
  const outlines = new Map<number, PDFOperator[]>();
  const outline = (length: number) => {
    let operators = outlines.get(length);
    if (!operators) {
      const width = length * cell;
      operators = [lineTo(0, cell), lineTo(width, cell), lineTo(width, 0)];
      outlines.set(length, operators);
    }
    return operators;
  };
  // Where a run starts: pdf-lib's translate(x, y), with each column's x and each row's y made once.
  const columnX = new Map<number, PDFNumber>();
  const moveToRun = (column: number, rowY: PDFNumber) => {
    let runX = columnX.get(column);
    if (!runX) {
      runX = PDFNumber.of(x + (quiet + column) * cell);
      columnX.set(column, runX);
    }
    return PDFOperator.of(PDFOperatorNames.ConcatTransformationMatrix, [ONE, ZERO, ZERO, ONE, runX, rowY]);
  };
  const operators: PDFOperator[] = [];
  data.forEach((row, r) => {
    const rowY = PDFNumber.of(y + size - (quiet + r + 1) * cell);
    // One rectangle per horizontal run of dark modules keeps the content stream small.
    let start = -1;
    for (let c = 0; c <= modules; c++) {
      const dark = c < modules && row[c] === true;
      if (dark && start < 0) start = c;
      if (!dark && start >= 0) {
        operators.push(...RUN_START, moveToRun(start, rowY), ...RUN_ORIENTATION, ...outline(c - start), ...RUN_END);
        start = -1;
      }
    }
  });
  page.pushOperators(...operators);
}
