// Test PDFs made with pdf-lib: with cross-reference streams (its default) or classic tables.
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function samplePdf(
  options: { pages?: number; objectStreams?: boolean; padToBytes?: number } = {},
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Licence document page ${i + 1}`, { x: 72, y: 760, size: 18, font });
  }
  if (options.padToBytes) {
    // Incompressible filler so the file reaches a given size (benchmarks, size limits).
    const filler = Buffer.alloc(options.padToBytes);
    for (let i = 0; i < filler.length; i++) filler[i] = (i * 2654435761) >>> 24;
    doc.attach(filler, 'filler.bin', { mimeType: 'application/octet-stream' });
  }
  return Buffer.from(await doc.save({ useObjectStreams: options.objectStreams ?? true }));
}
