// Journeys of the finance bureau: items and their go-live state, a refund approved and paid out,
// the day's reconciliation with its charts, and anyone checking the e-receipt of a payment.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  launchBrowser,
  logIn,
  newPage,
  registerPerson,
  screenshot,
  urls,
  type TestUser,
} from './browser/platform.ts';
import { issueNotice, liveItem, payNotice, receiptOf, refundAwaitingFinance } from './browser/setup-data.ts';

let browser: Browser;
let officer: TestUser;
let itemCode: string;
let paymentCode: string;

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await registerPerson('钱进', ['finance', 'payment-admin']);
  ({ itemCode } = await liveItem(12_000));
  paymentCode = await issueNotice(officer, itemCode);
  await payNotice(paymentCode, officer.name);
});
afterAll(async () => {
  await browser?.close();
});

describe('finance', () => {
  it('shows items with their go-live state and suspends one', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, officer, '/finance/items');
    const row = page.getByRole('row', { name: new RegExp(itemCode) });
    await expect.poll(() => row.textContent()).toContain('已上线');
    await expectAccessible(page);
    await screenshot(page, 'finance-items');
    await row.getByRole('button', { name: '设为已暂停' }).click();
    await expect.poll(() => row.textContent()).toContain('已暂停');
    await row.getByRole('button', { name: '设为已上线' }).click();
    await expect.poll(() => row.textContent()).toContain('已上线');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('approves a refund the unit verified and records it paid out', async () => {
    await refundAwaitingFinance(paymentCode, 2_000);
    const { page, errors, context } = await newPage(browser);
    await logIn(page, officer, '/finance/refunds');
    const row = page.getByRole('row', { name: new RegExp(paymentCode) });
    await expect.poll(() => row.textContent()).toContain('待财政审批');
    expect(await row.textContent()).toContain('¥20.00');
    await expectAccessible(page);
    await screenshot(page, 'finance-refunds');
    await row.getByRole('button', { name: '批准' }).click();
    await expect.poll(() => row.textContent()).toContain('待退付');
    await row.getByRole('button', { name: '确认已退付' }).click();
    await expect.poll(() => row.textContent()).toContain('已退付');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('runs the day’s reconciliation and charts the collection', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, officer, '/finance/reconciliation');
    await page.getByRole('button', { name: '执行对账' }).click();
    const report = page.getByTestId('reconciliation-report');
    await expect.poll(() => report.count(), { timeout: 20_000 }).toBe(1);
    expect(await report.textContent()).toMatch(/对平笔数 \/ 金额\d+ \/ ¥/);
    expect(await page.getByRole('img', { name: '当日收缴金额（按执收单位）' }).count()).toBe(1);
    expect(await page.getByRole('img', { name: '支付渠道构成' }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'finance-reconciliation');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets anyone check the e-receipt by code, number and check code', async () => {
    const receipt = await receiptOf(paymentCode);
    const { page, errors, context } = await newPage(browser);
    await page.goto(`${urls().console}/verify/receipt`);
    await page.getByLabel('票据代码（8 位）').fill(receipt.receiptCode);
    await page.getByLabel('票据号码（10 位）').fill(receipt.receiptNumber);
    await page.getByLabel('校验码（6 位）').fill(receipt.checkCode);
    await page.getByRole('button', { name: '查验' }).click();
    await expect.poll(() => page.getByTestId('receipt-result').textContent()).toContain('票据真实有效');
    expect(await page.getByTestId('receipt-result').textContent()).toContain('¥120.00');
    await expectAccessible(page);
    await screenshot(page, 'verify-receipt');
    const wrong = receipt.checkCode === '000000' ? '111111' : '000000';
    await page.getByLabel('校验码（6 位）').fill(wrong);
    await page.getByRole('button', { name: '查验' }).click();
    await expect
      .poll(() => page.getByTestId('receipt-result').textContent())
      .toBe('未查到与之相符的票据，请核对输入。');
    expect(errors).toEqual([]);
    await context.close();
  });
});
