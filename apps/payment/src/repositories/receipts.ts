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

  /** Stores the rendered (and possibly sealed) PDF once; a concurrent renderer's result wins. */
  async storePdf(id: string, pdf: Uint8Array, sealed: boolean, sealer: string, at: Date): Promise<void> {
    await this.db.receipt.updateMany({
      where: { id, pdf: null },
      data: { pdf: Buffer.from(pdf), sealed, sealer, renderedAt: at },
    });
  }

  findById(id: string) {
    return this.db.receipt.findUnique({ where: { id } });
  }
}
