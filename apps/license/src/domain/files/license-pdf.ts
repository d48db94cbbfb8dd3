// Renders a license file (GB/T 36905 style): the type's layout (title, orientation, field order, QR
// position, seal position), the license's fields in Chinese, its GB/T 36904 identifier, validity,
// issuer, a QR code for verification, and the （盖章） anchor where the issuing authority's seal is
// placed afterwards by the seal service. Returns the anchor's centre so the sealer can place the
// seal exactly there.
import type { FieldValue, Layout } from '@platform/contracts';
import { embedCjkFont, wrapText } from '@platform/pdf-text';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { drawQrCode } from './qr-code.ts';

export interface LicenseDocument {
  identifier: string;
  typeName: string;
  layout: Layout;
  issuer: { name: string; code: string };
  holder: { name: string; codeType: string; code: string };
  /** Label and value of every field, in print order. */
  fields: Array<{ label: string; value: FieldValue }>;
  validFrom: Date;
  validUntil: Date | null;
  issuedAt: Date;
  /** What the QR code carries: where any phone or verifier app checks this license. */
  verificationUrl: string;
}

export interface SealAnchor {
  page: number;
  /** Centre of the （盖章） text, PDF points from the lower-left corner of the page. */
  x: number;
  y: number;
}

export const SEAL_ANCHOR_TEXT = '（盖章）';

const MARGIN = 48;
const QR_SIZE = 92;
const FOOTER_HEIGHT = 120;
const LABEL_WIDTH = 120;
const BODY_SIZE = 11;
const LINE = 15;
const INK = rgb(0.12, 0.12, 0.12);
const FRAME = rgb(0.62, 0.16, 0.13);

/** A calendar date as printed on Chinese licenses, in Beijing time (UTC+8). */
export function chineseDate(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getUTCFullYear()}年${pad(local.getUTCMonth() + 1)}月${pad(local.getUTCDate())}日`;
}

export function printedValue(value: FieldValue): string {
  if (Array.isArray(value)) return value.join('、');
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

const HOLDER_CODE_LABEL: Record<string, string> = {
  citizen_id: '公民身份号码',
  credit_code: '统一社会信用代码',
};

export async function renderLicensePdf(license: LicenseDocument): Promise<{ pdf: Uint8Array; anchor: SealAnchor }> {
  const doc = await PDFDocument.create();
  // Fixed dates: the file says when the license was issued, not when it was rendered.
  doc.setCreationDate(license.issuedAt);
  doc.setModificationDate(license.issuedAt);
  doc.setTitle(`${license.layout.title} ${license.identifier}`);
  doc.setSubject(license.typeName);
  doc.setAuthor(license.issuer.name);
  doc.setProducer('platform license service');
  doc.setKeywords([license.identifier]);
  const font = await embedCjkFont(doc);
  const bold = await embedCjkFont(doc, 'bold');
  const [width, height] = license.layout.orientation === 'landscape' ? [842, 595] : [595, 842];
  const sealPosition =
    license.layout.sealPosition ?? (license.layout.qrPosition === 'bottom-right' ? 'bottom-center' : 'bottom-right');

  const pages: PDFPage[] = [];
  const newPage = () => {
    const page = doc.addPage([width, height]);
    page.drawRectangle({ x: 20, y: 20, width: width - 40, height: height - 40, borderColor: FRAME, borderWidth: 2.5 });
    page.drawRectangle({ x: 26, y: 26, width: width - 52, height: height - 52, borderColor: FRAME, borderWidth: 0.7 });
    pages.push(page);
    return page;
  };
  let page = newPage();
  const centred = (text: string, y: number, size: number, use: PDFFont) =>
    page.drawText(text, { x: (width - use.widthOfTextAtSize(text, size)) / 2, y, size, font: use, color: INK });

  centred(license.layout.title, height - MARGIN - 40, 26, bold);
  centred(`证照标识：${license.identifier}`, height - MARGIN - 62, 9, font);
  if (license.layout.qrPosition === 'top-right')
    qrBlock(page, font, license, width - MARGIN - QR_SIZE, height - MARGIN - QR_SIZE - 12);

  // Body: holder, fields, validity. Values wrap; a page that fills up continues on the next one.
  const valueX = MARGIN + 10 + LABEL_WIDTH;
  const valueWidth = (top: boolean) =>
    width - valueX - MARGIN - (top && license.layout.qrPosition === 'top-right' ? QR_SIZE + 8 : 0);
  let y = height - MARGIN - 92;
  const rows: Array<{ label: string; value: string }> = [
    { label: '持证主体', value: license.holder.name },
    { label: HOLDER_CODE_LABEL[license.holder.codeType] ?? '主体代码', value: license.holder.code },
    ...license.fields.map((field) => ({ label: field.label, value: printedValue(field.value) })),
    {
      label: '有效期限',
      value: `${chineseDate(license.validFrom)}至${license.validUntil ? chineseDate(license.validUntil) : '长期'}`,
    },
  ];
  for (const row of rows) {
    const labelLines = wrapText(row.label, bold, BODY_SIZE, LABEL_WIDTH - 8);
    const valueLines = wrapText(row.value, font, BODY_SIZE, valueWidth(pages.length === 1 && y > height - 260));
    const lines = Math.max(labelLines.length, valueLines.length);
    if (y - lines * LINE < MARGIN + FOOTER_HEIGHT) {
      page = newPage();
      y = height - MARGIN - 30;
    }
    labelLines.forEach((text, i) =>
      page.drawText(text, { x: MARGIN + 10, y: y - i * LINE, size: BODY_SIZE, font: bold, color: INK }),
    );
    valueLines.forEach((text, i) =>
      page.drawText(text, { x: valueX, y: y - i * LINE, size: BODY_SIZE, font, color: INK }),
    );
    y -= lines * LINE + 4;
  }

  // Footer of the last page: issuer block with the seal anchor, and the QR code when it sits below.
  const blockWidth = 230;
  const blockX =
    sealPosition === 'bottom-left'
      ? MARGIN + 10
      : sealPosition === 'bottom-center'
        ? (width - blockWidth) / 2
        : width - MARGIN - blockWidth;
  const footerY = MARGIN + 40;
  page.drawText(`发证机关：${license.issuer.name}`, { x: blockX, y: footerY + 60, size: 11, font, color: INK });
  page.drawText(`签发日期：${chineseDate(license.issuedAt)}`, {
    x: blockX,
    y: footerY + 40,
    size: 11,
    font,
    color: INK,
  });
  const anchorWidth = font.widthOfTextAtSize(SEAL_ANCHOR_TEXT, 11);
  const anchorX = blockX + (blockWidth - anchorWidth) / 2;
  page.drawText(SEAL_ANCHOR_TEXT, { x: anchorX, y: footerY + 14, size: 11, font, color: INK });
  if (license.layout.qrPosition === 'bottom-right') qrBlock(page, font, license, width - MARGIN - QR_SIZE, MARGIN - 8);
  if (license.layout.qrPosition === 'bottom-left') qrBlock(page, font, license, MARGIN + 4, MARGIN - 8);

  const anchor: SealAnchor = { page: pages.length, x: anchorX + anchorWidth / 2, y: footerY + 14 + 4 };
  return { pdf: await doc.save({ useObjectStreams: false }), anchor };
}

/** The QR code with its caption beneath it. */
function qrBlock(page: PDFPage, font: PDFFont, license: LicenseDocument, x: number, y: number): void {
  drawQrCode(page, license.verificationUrl, x, y + 12, QR_SIZE);
  const caption = '扫码核验';
  page.drawText(caption, {
    x: x + (QR_SIZE - font.widthOfTextAtSize(caption, 9)) / 2,
    y: y + 2,
    size: 9,
    font,
    color: INK,
  });
}
