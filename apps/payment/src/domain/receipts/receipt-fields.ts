// The fields of a fiscal e-receipt (财政电子票据) as DOMAIN.md lists them, and its identifiers:
// receipt code = region(2) class(2) kind(2) year(2); number = 10 digits; check code = 6 digits.
import { randomInt } from 'node:crypto';
import type { NoticeRecord } from '../../repositories/notices.ts';
import type { UnitRecord } from '../../repositories/units.ts';

/** Class 01: non-tax revenue; kind 01: general payment receipt (非税收入一般缴款书). */
const RECEIPT_CLASS = '01';
const RECEIPT_KIND = '01';

export function receiptCode(unitCode: string, issuedAt: Date): string {
  const region = unitCode.slice(2, 4); // province digits of the unit's division code
  const year = String(issuedAt.getUTCFullYear() % 100).padStart(2, '0');
  return `${region}${RECEIPT_CLASS}${RECEIPT_KIND}${year}`;
}

/** Six random digits: together with code and number it proves the holder saw the real receipt. */
export const newCheckCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export interface PaymentFacts {
  payMode: string;
  bankSerial: string;
  confirmedAt: Date;
  channel: string;
}

export function receiptFields(notice: NoticeRecord, unit: UnitRecord, payment: PaymentFacts, issuedAt: Date) {
  return {
    name: 'Non-tax revenue general payment receipt (非税收入一般缴款书)',
    specimenCode: `${RECEIPT_CLASS}${RECEIPT_KIND}`,
    supervisingRegion: notice.paymentCode.slice(0, 6),
    totalFen: notice.totalFen,
    currency: 'CNY',
    issueDateTime: issuedAt.toISOString(),
    issuingParty: { name: unit.name, creditCode: unit.creditCode },
    payer: { name: notice.payerName, id: notice.payerId },
    payMode: payment.payMode,
    businessCode: notice.paymentCode,
    bankSerial: payment.bankSerial,
    channel: payment.channel,
    paidAt: payment.confirmedAt.toISOString(),
    lines: notice.lines.map((line) => ({
      itemCode: line.itemCode,
      itemName: line.itemName,
      amountFen: line.amountFen,
    })),
    remark: notice.remark ?? '',
    handler: 'platform',
    checker: 'platform',
  };
}
