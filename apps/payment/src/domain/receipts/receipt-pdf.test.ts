import { describe, expect, it } from 'vitest';
import { capitalYuan } from './receipt-pdf.ts';

describe('capitalYuan (大写金额)', () => {
  it.each([
    [0, '零元整'],
    [5, '伍分'],
    [50, '伍角'],
    [20_000, '贰佰元整'],
    [1_005, '壹拾元零伍分'],
    [1_050, '壹拾元伍角'],
    [12_345_67, '壹万贰仟叁佰肆拾伍元陆角柒分'],
    [10_010_000, '壹拾万零壹佰元整'],
    [100_000_000, '壹佰万元整'],
    [10_000_000_000, '壹亿元整'],
    [10_000_100_000, '壹亿零壹仟元整'],
  ])('writes %i fen as %s', (fen, text) => {
    expect(capitalYuan(fen)).toBe(text);
  });

  it('refuses negative and fractional amounts', () => {
    expect(() => capitalYuan(-1)).toThrow(RangeError);
    expect(() => capitalYuan(1.5)).toThrow(RangeError);
  });
});
