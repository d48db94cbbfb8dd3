// The amount of one notice line under its item's amount rule, in integer fen. Late fees use
// BigInt so that principal × rate × days can never lose precision before the cap is applied.
import { AppError } from '@platform/contracts';

export type AmountRule =
  | { kind: 'fixed'; amountFen: number }
  | { kind: 'range'; minFen: number; maxFen: number }
  | { kind: 'late_fee'; dailyRateBasisPoints: number };

export interface LineRequest {
  itemCode: string;
  amountFen?: number | undefined;
  basis?: { principalFen: number; days: number } | undefined;
}

/**
 * Late fee for a fine (加处罚款): rate per day × days × principal, rounded down to the fen, and
 * never more than the principal itself (Administrative Compulsion Law art. 45).
 */
export function lateFeeFen(principalFen: number, days: number, dailyRateBasisPoints: number): number {
  const raw = (BigInt(principalFen) * BigInt(dailyRateBasisPoints) * BigInt(days)) / 10_000n;
  const capped = raw < BigInt(principalFen) ? raw : BigInt(principalFen);
  return Number(capped);
}

function violated(itemCode: string, message: string): AppError {
  return new AppError('AMOUNT_RULE_VIOLATED', `Item ${itemCode}: ${message}`);
}

/** The line's amount, or AMOUNT_RULE_VIOLATED saying why the request does not fit the rule. */
export function lineAmountFen(rule: AmountRule, line: LineRequest): number {
  switch (rule.kind) {
    case 'fixed':
      if (line.amountFen !== undefined && line.amountFen !== rule.amountFen)
        throw violated(line.itemCode, `the amount is fixed at ${rule.amountFen} fen`);
      return rule.amountFen;
    case 'range':
      if (line.amountFen === undefined) throw violated(line.itemCode, 'an amount is required');
      if (line.amountFen < rule.minFen || line.amountFen > rule.maxFen)
        throw violated(line.itemCode, `the amount must lie in ${rule.minFen}–${rule.maxFen} fen`);
      return line.amountFen;
    case 'late_fee': {
      if (!line.basis) throw violated(line.itemCode, 'a late fee needs basis.principalFen and basis.days');
      const fee = lateFeeFen(line.basis.principalFen, line.basis.days, rule.dailyRateBasisPoints);
      if (fee <= 0) throw violated(line.itemCode, 'the computed late fee is zero');
      if (line.amountFen !== undefined && line.amountFen !== fee)
        throw violated(line.itemCode, `the computed late fee is ${fee} fen`);
      return fee;
    }
  }
}
