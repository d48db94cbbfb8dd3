// Journeys of the finance bureau: items and their go-live state, notices filtered in a paged table,
// a refund approved and paid out, the day's reconciliation and collection charts, a payer's own
// receipts with the PDF download, and anyone checking the e-receipt of a payment.
import { readFile } from 'node:fs/promises';
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
let payer: TestUser;
let payerCode: string;
let unpaid: string;

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await registerPerson('钱进', ['finance', 'payment-admin']);
  ({ itemCode } = await liveItem(12_000));
  paymentCode = await issueNotice(officer, itemCode);
  await payNotice(paymentCode, officer.name);
  payer = await registerPerson('孙丽');
  payerCode = await issueNotice(payer, itemCode);
  await payNotice(payerCode, payer.name);
  // Issued last (and before any journey suspends the item): the newest notice, left unpaid.
  unpaid = await issueNotice(officer, itemCode);
});
afterAll(async () => {
  await browser?.close();
});

describe('finance', () => {
  it('shows items with their go-live state and suspends one', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, officer, '/finance/items');
    const row = page.getByRole('row', { name: new RegExp(itemCode) });
    const status = row.locator('.badge');
    await expect.poll(() => status.textContent()).toBe('已上线');
    await expectAccessible(page);
    await screenshot(page, 'finance-items');
    await row.getByRole('button', { name: '设为已暂停' }).click();
    await expect.poll(() => status.textContent()).toBe('已暂停');
    await row.getByRole('button', { name: '设为已上线' }).click();
    await expect.poll(() => status.textContent()).toBe('已上线');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists notices in a paged table and narrows them with filters', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, officer, '/finance/notices');
    const table = page.getByTestId('notices-table');
    await expect.poll(() => table.getByRole('row', { name: new RegExp(unpaid) }).count()).toBe(1);
    // Newest first: the notice just issued heads the table.
    expect(await table.getByRole('row').nth(1).textContent()).toContain(unpaid);
    await expectAccessible(page);
    await screenshot(page, 'finance-notices');

    await page.getByLabel('缴款码（可只填前几位）').fill(paymentCode);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    const row = table.getByRole('row', { name: new RegExp(paymentCode) });
    expect(await row.textContent()).toContain('¥120.00');
    expect(await page.getByRole('status').filter({ hasText: '共 1 条' }).count()).toBe(1);

    // The same code is not unpaid: the filters combine, and an empty result says so.
    await page.getByLabel('状态').selectOption({ label: '待缴款' });
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect.poll(() => page.getByText('没有符合条件的缴款通知书。').count()).toBe(1);
    await page.getByRole('button', { name: '清除条件' }).click();
    await expect.poll(() => table.getByRole('row', { name: new RegExp(unpaid) }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pages through more notices than one page by keyboard, focus landing on the first new row', async () => {
    const { itemCode: busyItem } = await liveItem(300);
    const codes: string[] = [];
    for (let i = 0; i < 21; i += 1) codes.push(await issueNotice(officer, busyItem));
    const { page, errors, context } = await newPage(browser);
    await logIn(page, officer, '/finance/notices');
    await page.getByLabel('收费项目编码').fill(busyItem);
    await page.getByLabel('收费项目编码').press('Enter');
    const table = page.getByTestId('notices-table');
    await expect.poll(() => page.getByRole('status').filter({ hasText: '已显示 20 条，还有更多' }).count()).toBe(1);
    expect(await table.getByRole('row').count()).toBe(21);
    const more = page.getByRole('button', { name: '加载更多' });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: '共 21 条' }).count()).toBe(1);
    // Newest first: the first notice issued is the one on the second page, and it has the focus.
    const focused = await page.evaluate(() => ({
      tag: document.activeElement?.tagName,
      text: document.activeElement?.textContent ?? '',
    }));
    expect(focused.tag).toBe('TR');
    expect(focused.text).toContain(codes[0]);
    expect(await page.getByRole('button', { name: '加载更多' }).count()).toBe(0);
    await expectAccessible(page);
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

  it('charts the collection by day, item, unit and channel', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, officer, '/finance/collection');
    await expect.poll(() => page.getByTestId('collection-total').textContent()).toMatch(/^合计 \d+ 笔，¥/);
    for (const chart of [
      '每日收缴金额',
      '每日收缴金额（按收费项目）',
      '每日收缴金额（按执收单位）',
      '支付渠道与方式构成',
    ])
      expect(await page.getByRole('img', { name: chart, exact: true }).count()).toBe(1);
    expect(await page.getByRole('rowheader', { name: /证照工本费/ }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('rowheader', { name: '沙箱银行 · 网上银行' }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'finance-collection');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a payer only their own receipts and downloads the PDF', async () => {
    const receipt = await receiptOf(payerCode);
    const { page, errors, context } = await newPage(browser);
    await logIn(page, payer, '/receipts');
    // A phone-width screen (after login: the greeting logIn waits for sits in the collapsed menu there).
    await page.setViewportSize({ width: 390, height: 844 });
    const table = page.getByTestId('my-receipts');
    const row = table.getByRole('row', { name: new RegExp(receipt.receiptNumber) });
    await expect.poll(() => row.count()).toBe(1);
    // The officer's receipt (another payer) is not listed: a header row and this one only.
    expect(await table.getByRole('row').count()).toBe(2);
    expect(await row.textContent()).toContain('¥120.00');
    expect(await row.textContent()).toContain(receipt.checkCode);
    await expectAccessible(page);
    await screenshot(page, 'citizen-my-receipts-phone');

    const downloading = page.waitForEvent('download');
    await row.getByRole('button', { name: `下载票据 ${receipt.receiptNumber}` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`receipt-${receipt.receiptCode}-${receipt.receiptNumber}.pdf`);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await expect.poll(() => row.getByRole('status').textContent()).toContain('已下载');
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
