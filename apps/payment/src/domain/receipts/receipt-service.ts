// Reading, rendering and verifying e-receipts. The PDF is rendered and sealed on first request and
// stored; whether it is sealed is recorded from what the sealer reports, never assumed. When the
// seal service cannot seal it now, the request fails with RECEIPT_SEAL_UNAVAILABLE and nothing
// unsealed is handed out in place of the sealed receipt.
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db.ts';
import type { Receipt } from '../../generated/prisma/client.ts';
import { NoticeRepository, type NoticeRecord } from '../../repositories/notices.ts';
import type { PayerIdentity } from '../payers/payer-of.ts';
import { ReceiptRepository } from '../../repositories/receipts.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import type { ReceiptSealer } from './receipt-sealer.ts';

export class ReceiptService {
  private readonly receipts: ReceiptRepository;
  constructor(
    private readonly db: Database,
    private readonly sealer: ReceiptSealer,
    private readonly clock: Clock,
  ) {
    this.receipts = new ReceiptRepository(db);
  }

  async forNotice(
    paymentCode: string,
    unitCode: string,
    withPdf: boolean,
  ): Promise<{ receipt: Receipt; paymentCode: string }> {
    const notice = await new NoticeRepository(this.db).findByCode(paymentCode);
    if (!notice || notice.unitCode !== unitCode)
      throw new AppError('NOTICE_NOT_FOUND', 'No notice has this payment code');
    return { receipt: await this.receiptOf(notice, withPdf), paymentCode };
  }

  /**
   * The payer's own receipt with its PDF. Someone else's notice answers exactly like a code nobody
   * issued, so a payer cannot even learn that another payer's code exists.
   */
  async forPayer(paymentCode: string, payer: PayerIdentity): Promise<Receipt> {
    const notice = await new NoticeRepository(this.db).findByCode(paymentCode);
    if (!notice || notice.payerId !== payer.id || notice.payerKind !== payer.kind)
      throw new AppError('NOTICE_NOT_FOUND', 'No notice has this payment code');
    return this.receiptOf(notice, true);
  }

  private async receiptOf(notice: NoticeRecord, withPdf: boolean): Promise<Receipt> {
    const unitCode = notice.unitCode;
    let receipt = await this.receipts.findByNotice(notice.id);
    if (!receipt) throw new AppError('RECEIPT_NOT_FOUND', 'The notice has no receipt (it is not paid)');
    if (withPdf && !receipt.pdf) {
      const refundedFen = Number(receipt.refundedFen);
      const rendered = await this.receipts.keepRendering(
        receipt.id,
        receipt.renderedPdf ??
          (await renderReceiptPdf(
            {
              receiptCode: receipt.receiptCode,
              receiptNumber: receipt.receiptNumber,
              checkCode: receipt.checkCode,
              totalFen: Number(receipt.totalFen),
              refundedFen,
              fields: receipt.fields as Record<string, unknown>,
            },
            receipt.issuedAt,
          )),
        this.clock.now(),
      );
      // If sealing fails, the rendering stays and the next request seals exactly these bytes under
      // the same key; a refund renders anew, under a new key.
      const sealed = await this.sealer.seal(rendered, {
        unitCode,
        receiptCode: receipt.receiptCode,
        receiptNumber: receipt.receiptNumber,
        idempotencyKey: `receipt:${receipt.receiptCode}-${receipt.receiptNumber}:refunded-${refundedFen}`,
      });
      await this.receipts.storePdf(receipt.id, refundedFen, sealed.pdf, sealed.sealed, sealed.sealer);
      receipt = (await this.receipts.findById(receipt.id)) ?? receipt;
    }
    return receipt;
  }

  /** Public check: the receipt exists with exactly this code, number and check code. */
  async verify(receiptCode: string, receiptNumber: string, checkCode: string) {
    const receipt = await this.receipts.findByNumber(receiptCode, receiptNumber);
    if (!receipt || receipt.checkCode !== checkCode) return { valid: false, receipt: null };
    const payer = (receipt.fields as { payer?: { name?: string } }).payer?.name ?? '';
    return {
      valid: true,
      receipt: {
        totalFen: Number(receipt.totalFen),
        refundedFen: Number(receipt.refundedFen),
        issuedAt: receipt.issuedAt.toISOString(),
        payerName: payer,
        sealed: receipt.sealed,
      },
    };
  }
}
