// Renders a receipt's fields as a one-page PDF in Chinese (Noto Serif SC, embedded as a subset).
// The complete fields also travel inside the PDF as an attached JSON file (receipt.json),
// byte-exact, for machines. The issuing unit's seal goes into the box at ISSUER_SEAL_BOX and the
// finance bureau's supervision seal into SUPERVISOR_SEAL_BOX; both are signatures added later by
// the seal service (an incremental update), so nothing here claims a seal.
import { embedCjkFont, wrapText } from '@platform/pdf-text';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export interface ReceiptPdfInput {
  receiptCode: string;
  receiptNumber: string;
  checkCode: string;
  totalFen: number;
  refundedFen: number;
  fields: Record<string, unknown>;
}

export const PAGE_SIZE: [number, number] = [595, 842]; // A4 portrait, points
/** Where the issuing unit's seal (财务专用章) is placed: lower-left corner in PDF points. */
export const ISSUER_SEAL_BOX = { page: 1, x: 330, y: 150 };
/** Where the finance bureau's supervision seal goes. */
export const SUPERVISOR_SEAL_BOX = { page: 1, x: 90, y: 150 };

export const yuan = (fen: number): string => `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

/** The amount in capital Chinese numerals (大写金额), as printed on fiscal receipts: 壹佰贰拾元伍角整. */
export function capitalYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError('fen must be a non-negative safe integer');
  const yuanPart = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  let integer = '';
  if (yuanPart > 0) {
    const digits = String(yuanPart).split('').map(Number).reverse();
    let zeroPending = false;
    for (let i = digits.length - 1; i >= 0; i--) {
      const digit = digits[i]!;
      const position = i % 4;
      if (digit === 0) {
        zeroPending = integer !== '';
      } else {
        if (zeroPending) integer += '零';
        integer += DIGITS[digit]! + UNITS[position]!;
        zeroPending = false;
      }
      // A group name is written when the group has any non-zero digit.
      if (position === 0 && i > 0) {
        const group = digits.slice(i, i + 4);
        if (group.some((d) => d !== 0)) integer += GROUPS[i / 4]!;
      }
    }
    integer += '元';
  }
  if (jiao === 0 && fenDigit === 0) return `${integer || '零元'}整`;
  let decimals = '';
  if (jiao > 0) decimals += `${DIGITS[jiao]}角`;
  else if (yuanPart > 0) decimals += '零';
  if (fenDigit > 0) decimals += `${DIGITS[fenDigit]}分`;
  return integer + decimals;
}

interface ReceiptFields {
  name?: string;
  specimenCode?: string;
  issuingParty?: { name?: string; creditCode?: string };
  payer?: { name?: string; id?: string };
  payMode?: string;
  businessCode?: string;
  bankSerial?: string;
  issueDateTime?: string;
  paidAt?: string;
  currency?: string;
  supervisingRegion?: string;
  lines?: Array<{ itemCode: string; itemName: string; amountFen: number }>;
  remark?: string;
  handler?: string;
  checker?: string;
}

const INK = rgb(0.1, 0.1, 0.1);
const RULE = rgb(0.55, 0.2, 0.2);

/** Beijing time (UTC+8), as the printed receipt shows it; the fields keep the UTC instant. */
const beijingTime = (iso: string | undefined): string => {
  if (!iso) return '';
  const at = new Date(Date.parse(iso) + 8 * 3600_000);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getUTCFullYear()}年${pad(at.getUTCMonth() + 1)}月${pad(at.getUTCDate())}日 ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
};

export async function renderReceiptPdf(input: ReceiptPdfInput, createdAt: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  // Fixed dates make the rendering of one receipt reproducible.
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  doc.setTitle(`Fiscal e-receipt ${input.receiptCode}-${input.receiptNumber}`);
  doc.setSubject('财政电子票据（非税收入一般缴款书）');
  doc.setProducer('platform payment service');
  const page = doc.addPage(PAGE_SIZE);
  const font = await embedCjkFont(doc);
  const bold = await embedCjkFont(doc, 'bold');
  const f = input.fields as ReceiptFields;

  const text = (value: string, x: number, y: number, size = 10.5, use: PDFFont = font) =>
    page.drawText(value, { x, y, size, font: use, color: INK });
  const centred = (value: string, y: number, size: number, use: PDFFont) =>
    text(value, (PAGE_SIZE[0] - use.widthOfTextAtSize(value, size)) / 2, y, size, use);

  centred('非税收入一般缴款书（电子）', 780, 20, bold);
  centred('财政部监制', 760, 10, font);
  page.drawLine({ start: { x: 50, y: 748 }, end: { x: 545, y: 748 }, thickness: 1.2, color: RULE });

  text(`票据代码：${input.receiptCode}`, 50, 728);
  text(`票据号码：${input.receiptNumber}`, 220, 728);
  text(`校验码：${input.checkCode}`, 400, 728);
  text(`交款人：${f.payer?.name ?? ''}`, 50, 708);
  text(`交款人代码：${f.payer?.id ?? ''}`, 220, 708);
  text(`开票日期：${beijingTime(f.issueDateTime)}`, 50, 688);
  text(`监管区划：${f.supervisingRegion ?? ''}`, 400, 688);

  let y = drawItems(page, font, bold, f.lines ?? [], 660);
  y -= 6;
  text(`金额合计（大写）：${capitalYuan(input.totalFen)}`, 50, y, 11, bold);
  text(`（小写）￥${yuan(input.totalFen)}`, 400, y, 11, bold);
  y -= 20;
  if (input.refundedFen > 0) {
    text(`已退付：￥${yuan(input.refundedFen)}（${capitalYuan(input.refundedFen)}）`, 50, y);
    y -= 18;
  }
  text(`缴款方式：${f.payMode ?? ''}    业务流水号：${f.businessCode ?? ''}`, 50, y);
  y -= 18;
  text(`银行流水号：${f.bankSerial ?? ''}    缴款时间：${beijingTime(f.paidAt)}`, 50, y);
  y -= 18;
  for (const line of wrapText(`备注：${f.remark ?? ''}`, font, 10.5, 495).slice(0, 4)) {
    text(line, 50, y);
    y -= 16;
  }

  text(`收款单位（章）：${f.issuingParty?.name ?? ''}`, 50, 300);
  text(`统一社会信用代码：${f.issuingParty?.creditCode ?? ''}`, 50, 282);
  text(`复核人：${f.checker ?? ''}    收款人：${f.handler ?? ''}`, 50, 264);
  // Labels of the two seal boxes; the seals themselves are added by the seal service.
  text('财政票据监制章', SUPERVISOR_SEAL_BOX.x + 20, SUPERVISOR_SEAL_BOX.y - 14, 9);
  text('收款单位（盖章）', ISSUER_SEAL_BOX.x + 18, ISSUER_SEAL_BOX.y - 14, 9);
  page.drawLine({ start: { x: 50, y: 110 }, end: { x: 545, y: 110 }, thickness: 0.6, color: RULE });
  text('查验：以票据代码、票据号码和校验码在非税收入统一缴款平台查验真伪。', 50, 94, 9);

  await doc.attach(new TextEncoder().encode(JSON.stringify(input)), 'receipt.json', {
    mimeType: 'application/json',
    description: 'All receipt fields',
    creationDate: createdAt,
    modificationDate: createdAt,
  });
  return doc.save({ useObjectStreams: false });
}

/** The item table: code, name, amount; returns the y below it. */
function drawItems(
  page: PDFPage,
  font: PDFFont,
  bold: PDFFont,
  lines: Array<{ itemCode: string; itemName: string; amountFen: number }>,
  top: number,
): number {
  const row = (cells: [string, string, string], y: number, use: PDFFont) => {
    page.drawText(cells[0], { x: 56, y, size: 10.5, font: use, color: INK });
    page.drawText(cells[1], { x: 190, y, size: 10.5, font: use, color: INK });
    const amountWidth = use.widthOfTextAtSize(cells[2], 10.5);
    page.drawText(cells[2], { x: 538 - amountWidth, y, size: 10.5, font: use, color: INK });
  };
  page.drawRectangle({ x: 50, y: top - 6, width: 495, height: 22, borderColor: RULE, borderWidth: 0.8 });
  row(['项目编码', '项目名称', '金额（元）'], top, bold);
  let y = top - 22;
  // A receipt lists a handful of items; more than twelve would run into the seal area.
  for (const item of lines.slice(0, 12)) {
    const names = wrapText(item.itemName, font, 10.5, 240);
    row([item.itemCode, names[0] ?? '', yuan(item.amountFen)], y, font);
    for (const more of names.slice(1, 3)) {
      y -= 15;
      page.drawText(more, { x: 190, y, size: 10.5, font, color: INK });
    }
    y -= 20;
  }
  page.drawLine({ start: { x: 50, y: y + 12 }, end: { x: 545, y: y + 12 }, thickness: 0.6, color: RULE });
  return y - 4;
}
