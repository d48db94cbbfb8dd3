// Renders a receipt's fields as a one-page PDF. The standard PDF fonts cannot show Chinese, and no
// CJK font ships with the platform yet, so characters outside Latin-1 print as "?" while the
// complete fields travel inside the PDF as an attached JSON file (receipt.json), byte-exact.
import { PDFDocument, StandardFonts } from 'pdf-lib';

export interface ReceiptPdfInput {
  receiptCode: string;
  receiptNumber: string;
  checkCode: string;
  totalFen: number;
  refundedFen: number;
  fields: Record<string, unknown>;
}

const printable = (text: string): string => text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
export const yuan = (fen: number): string => `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;

export async function renderReceiptPdf(input: ReceiptPdfInput, createdAt: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  // Fixed dates make the rendering of one receipt reproducible.
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  doc.setTitle(`Fiscal e-receipt ${input.receiptCode}-${input.receiptNumber}`);
  doc.setProducer('platform payment service');
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let y = 790;
  const line = (label: string, value: string, size = 11) => {
    page.drawText(printable(label), { x: 50, y, size, font: bold });
    page.drawText(printable(value), { x: 210, y, size, font });
    y -= size + 9;
  };
  page.drawText('Fiscal e-receipt (non-tax revenue)', { x: 50, y, size: 18, font: bold });
  y -= 36;
  const f = input.fields as {
    issuingParty?: { name?: string; creditCode?: string };
    payer?: { name?: string };
    payMode?: string;
    businessCode?: string;
    issueDateTime?: string;
    currency?: string;
    supervisingRegion?: string;
    lines?: Array<{ itemCode: string; itemName: string; amountFen: number }>;
    remark?: string;
    handler?: string;
    checker?: string;
  };
  line('Receipt code', input.receiptCode);
  line('Receipt number', input.receiptNumber);
  line('Check code', input.checkCode);
  line('Supervising region', f.supervisingRegion ?? '');
  line('Issue date/time (UTC)', f.issueDateTime ?? '');
  line('Issuing party', `${f.issuingParty?.name ?? ''} (${f.issuingParty?.creditCode ?? ''})`);
  line('Payer', f.payer?.name ?? '');
  line('Business code', f.businessCode ?? '');
  line('Pay mode', f.payMode ?? '');
  line('Currency', f.currency ?? 'CNY');
  y -= 8;
  for (const item of f.lines ?? []) line(`  ${item.itemCode}`, `${item.itemName}   ${yuan(item.amountFen)}`);
  y -= 8;
  line('Total', yuan(input.totalFen), 13);
  if (input.refundedFen > 0) line('Refunded', yuan(input.refundedFen));
  line('Remark', f.remark ?? '');
  line('Handler / checker', `${f.handler ?? ''} / ${f.checker ?? ''}`);
  await doc.attach(new TextEncoder().encode(JSON.stringify(input)), 'receipt.json', {
    mimeType: 'application/json',
    description: 'All receipt fields',
    creationDate: createdAt,
    modificationDate: createdAt,
  });
  return doc.save({ useObjectStreams: false });
}
