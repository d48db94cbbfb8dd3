// drawQrCode writes the operators page.drawRectangle would write for each dark run, without going
// through drawRectangle (too slow for a few hundred runs per file): the saved files must be the same
// bytes as with one drawRectangle per run, for codes of every size a verification URL gives.
import fc from 'fast-check';
import { PDFDocument, rgb, type PDFPage } from 'pdf-lib';
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { drawQrCode } from '../src/domain/files/qr-code.ts';

/** The drawing as it was written first: one page.drawRectangle per horizontal run of dark modules. */
function drawWithRectangles(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { data } = encode(text, { ecc: 'M', border: 0 });
  const modules = data.length;
  const cell = size / (modules + 4);
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  data.forEach((row, r) => {
    let start = -1;
    for (let c = 0; c <= modules; c++) {
      const dark = c < modules && row[c] === true;
      if (dark && start < 0) start = c;
      if (!dark && start >= 0) {
        page.drawRectangle({
          x: x + (2 + start) * cell,
          y: y + size - (2 + r + 1) * cell,
          width: (c - start) * cell,
          height: cell,
          color: rgb(0, 0, 0),
        });
        start = -1;
      }
    }
  });
}

async function pageWith(draw: (page: PDFPage) => void): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  draw(doc.addPage([595, 842]));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

describe('drawQrCode', () => {
  it('writes the same bytes as one drawRectangle per dark run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 700, noNaN: true }),
        fc.integer({ min: 40, max: 200 }),
        async (path, x, y, size) => {
          const text = `https://license.example.gov.cn/verify/${encodeURIComponent(path)}`;
          const fast = await pageWith((page) => drawQrCode(page, text, x, y, size));
          const reference = await pageWith((page) => drawWithRectangles(page, text, x, y, size));
          expect(fast.equals(reference)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('draws two codes on one page independently', async () => {
    const a = 'https://license.example.gov.cn/verify/11370100MB28517000001';
    const b = 'https://license.example.gov.cn/verify/11370100MB28517000002.11100000MB0143028X001.0001';
    const fast = await pageWith((page) => {
      drawQrCode(page, a, 10, 10, 92);
      drawQrCode(page, b, 300, 400, 120);
    });
    const reference = await pageWith((page) => {
      drawWithRectangles(page, a, 10, 10, 92);
      drawWithRectangles(page, b, 300, 400, 120);
    });
    expect(fast.equals(reference)).toBe(true);
  });
});
