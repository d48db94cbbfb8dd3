// Journey of a seal officer, as far as the seal service's contract goes today: the certificate
// authority behind every seal.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, logIn, newPage, registerPerson, screenshot } from './browser/platform.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('seal officer', () => {
  it('shows the seal certificate authority', async () => {
    const officer = await registerPerson('吴刚');
    const { page, errors, context } = await newPage(browser);
    await logIn(page, officer, '/seal');
    await expect.poll(() => page.getByRole('row', { name: /根证书（信任锚）/ }).count()).toBe(1);
    expect(await page.getByRole('row', { name: /时间戳服务/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'seal-ca');
    expect(errors).toEqual([]);
    await context.close();
  });
});
