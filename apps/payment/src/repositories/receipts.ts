// Fiscal e-receipts. Numbers come from a database sequence shared by every replica.
import type { DbClient } from '../db.ts';
import type { Prisma, Receipt } from '../generated/prisma/client.ts';

export interface NewReceipt {
  noticeId: string;
  receiptCode: string;
  checkCode: string;
  totalFen: number;
  fields: Prisma.InputJsonObject;
  issuedAt: Date;
}

export class ReceiptRepository {
  constructor(private readonly db: DbClient) {}

  async nextNumber(): Promise<string> {
    const rows = await this.db.$queryRaw<Array<{ n: bigint }>>`SELECT nextval('receipt_number_seq') AS n`;
    return String(rows[0]?.n ?? 0n).padStart(10, '0');
  }

  async insert(receipt: NewReceipt & { receiptNumber: string }): Promise<Receipt> {
    return this.db.receipt.create({ data: { ...receipt, totalFen: BigInt(receipt.totalFen) } });
  }

  findByNotice(noticeId: string) {
    return this.db.receipt.findUnique({ where: { noticeId } });
  }

  findByNumber(receiptCode: string, receiptNumber: string) {
    return this.db.receipt.findUnique({ where: { receiptCode_receiptNumber: { receiptCode, receiptNumber } } });
  }

  /**
   * Keeps the rendering that goes to the sealer; the first of concurrent renderers wins and every
   * caller gets the winner's bytes back, so all of them seal the same document.
   */
  async keepRendering(id: string, pdf: Uint8Array, at: Date): Promise<Uint8Array> {
    await this.db.receipt.updateMany({
      where: { id, renderedPdf: null },
      data: { renderedPdf: Buffer.from(pdf), renderedAt: at },
    });
    const row = await this.db.receipt.findUnique({ where: { id }, select: { renderedPdf: true } });
    if (!row?.renderedPdf) throw new Error(`receipt ${id} lost its rendering`);
    return new Uint8Array(row.renderedPdf);
  }

  /**
   * Stores the sealed (or, from the development sealer, unsealed) PDF once; the first one wins. A
   * refund recorded meanwhile changed the amounts printed, so a PDF of the old amounts is dropped.
   */
  async storePdf(id: string, refundedFen: number, pdf: Uint8Array, sealed: boolean, sealer: string): Promise<void> {
    await this.db.receipt.updateMany({
      where: { id, pdf: null, refundedFen: BigInt(refundedFen) },
      data: { pdf: Buffer.from(pdf), sealed, sealer },
    });
  }

  findById(id: string) {
    return this.db.receipt.findUnique({ where: { id } });
  }
}
