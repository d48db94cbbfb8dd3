// Documents that cannot be sealed are refused with a stable code and no output.
import { AppError } from '@platform/contracts';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSeal } from '../src/domain/images/seal-image.ts';
import { prepareSignatureField } from '../src/domain/pdf/signature-field.ts';
import { openPdf } from '../src/domain/pdf/open-pdf.ts';
import { samplePdf } from './support/pdfs.ts';
import { TempDir, tool } from './support/tools.ts';

const image = drawSeal({ shape: 'round', widthMm: 40, heightMm: 40, organisation: '测试单位', caption: '' }).raster;
const dir = new TempDir();
let pdf: Buffer;

beforeAll(async () => {
  pdf = await samplePdf({ pages: 2 });
});
afterAll(() => dir.remove());

async function codeOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

const field = (page: number, x = 100, y = 100) => ({
  placement: { page, x, y, widthMm: 40, heightMm: 40 },
  image,
  signingTime: new Date(),
  name: '测试',
});

describe('documents that cannot be sealed', () => {
  it('refuses bytes that are not a PDF, and a PDF cut short', async () => {
    expect(await codeOf(() => openPdf(Buffer.from('hello world')))).toBe('PDF_MALFORMED');
    expect(await codeOf(() => openPdf(pdf.subarray(0, pdf.length - 200)))).toBe('PDF_MALFORMED');
    expect(
      await codeOf(() =>
        openPdf(
          Buffer.concat([
            Buffer.from('%PDF-1.7\n'),
            Buffer.alloc(500, 0x41),
            Buffer.from('\nstartxref\n99999\n%%EOF\n'),
          ]),
        ),
      ),
    ).toBe('PDF_MALFORMED');
  });

  it('refuses an encrypted PDF', async () => {
    const plain = dir.write('plain.pdf', pdf);
    const encrypted = dir.file('encrypted.pdf');
    const result = await tool('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, encrypted]);
    expect(result.code).toBe(0);
    expect(await codeOf(() => openPdf(readFileSync(encrypted)))).toBe('PDF_ENCRYPTED');
  });

  it('refuses page numbers outside the document and positions off the page', async () => {
    const opened = await openPdf(pdf);
    expect(await codeOf(async () => prepareSignatureField(opened, field(3)))).toBe('PDF_PAGE_OUT_OF_RANGE');
    expect(await codeOf(async () => prepareSignatureField(opened, field(0)))).toBe('PDF_PAGE_OUT_OF_RANGE');
    expect(await codeOf(async () => prepareSignatureField(opened, field(1, 500, 100)))).toBe(
      'PDF_POSITION_OUTSIDE_PAGE',
    );
    expect(await codeOf(async () => prepareSignatureField(opened, field(1, -1, 100)))).toBe(
      'PDF_POSITION_OUTSIDE_PAGE',
    );
  });

  it('leaves the input untouched when it refuses', async () => {
    const copy = Buffer.from(pdf);
    const opened = await openPdf(copy);
    await codeOf(async () => prepareSignatureField(opened, field(9)));
    expect(copy.equals(pdf)).toBe(true);
  });
});
