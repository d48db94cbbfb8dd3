// Journey of seal officers: one applies for a seal, cannot approve their own application (four
// eyes, explained), a second officer approves; the seal is made, filed and put into use, and shows
// its image. The certificate authority and the public PDF verification page are shown too.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '@platform/identifiers';
import {
  expectAccessible,
  expectText,
  launchBrowser,
  logIn,
  newPage,
  registerPerson,
  screenshot,
  urls,
} from './browser/platform.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('seal officers', () => {
  it('apply, four-eyes approval, make, file and activate an SM2 seal, with its image', async () => {
    const applicant = await registerPerson('吴刚', ['seal-officer', 'seal-approver']);
    const approver = await registerPerson('郑洁', ['seal-officer', 'seal-approver']);
    const name = `济南市测试局合同专用章${Date.now() % 100_000}`;
    const body = `11370100MB${String(Date.now() % 10_000_000).padStart(7, '0')}`;

    const first = await newPage(browser);
    await logIn(first.page, applicant, '/seal');
    await expectText(first.page, '根证书（信任锚）');
    await first.page.getByLabel('统一社会信用代码').fill(body + creditCodeCheckChar(body));
    await first.page.getByLabel('所属单位').fill('济南市测试局');
    await first.page.getByLabel('印章名称').fill(name);
    await first.page.getByLabel('印章类型').selectOption('contract');
    // An SM2 seal (GB/T 38540): the same lifecycle; its certificate comes from the SM2 hierarchy.
    await first.page.getByLabel('密钥算法').selectOption('sm2');
    await first.page.getByRole('button', { name: '提交申请' }).click();
    await expectText(first.page, '申请已提交');
    const card = first.page.getByTestId(`seal-${name}`);
    await expect.poll(() => card.getByTestId('seal-status').textContent()).toBe('已申请');
    await card.getByRole('button', { name: '批准' }).click();
    await expect.poll(() => card.getByText('申请人与审批人不能是同一人。').count()).toBe(1);
    await expectAccessible(first.page);
    await screenshot(first.page, 'seal-four-eyes');
    expect(first.errors).toEqual([]);
    await first.context.close();

    const second = await newPage(browser);
    await logIn(second.page, approver, '/seal');
    const seen = second.page.getByTestId(`seal-${name}`);
    for (const [action, status] of [
      ['批准', '已批准'],
      ['制作', '已制作'],
      ['备案', '已备案'],
      ['启用', '使用中'],
    ] as const) {
      await seen.getByRole('button', { name: action, exact: true }).click();
      await expect
        .poll(() => seen.getByTestId('seal-status').textContent(), { timeout: 20_000 })
        .toBe(status)
        .catch(async (error: unknown) => {
          throw new Error(`${action}: ${String(error)}\n${await seen.innerText()}`);
        });
    }
    await expect.poll(() => seen.getByRole('img', { name: `印章图样：${name}` }).count()).toBe(1);
    expect(await seen.innerText()).toContain('SM2 国密（GB/T 38540 电子签章）');
    await expectAccessible(second.page);
    await screenshot(second.page, 'seal-active');
    expect(second.errors).toEqual([]);
    await second.context.close();
  });

  it('offers PDF signature verification to anyone', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto(`${urls().console}/verify/pdf`);
    await expectText(page, 'PDF 签章验证');
    await expectAccessible(page);
    await screenshot(page, 'verify-pdf');
    expect(errors).toEqual([]);
    await context.close();
  });
});
