// Journey: the shell. A visitor sees the public navigation, logs in through identity (SSO), sees
// the navigation of their roles and their account (trust level, sessions), and logs out; logging
// out at identity (another app) ends the console session too (back-channel logout).
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
} from './browser/platform.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('shell, login, account and logout', () => {
  it('logs in through identity, shows the account, and logs out everywhere', async () => {
    const user = await registerPerson('李明');
    const { page, errors } = await newPage(browser);
    await page.goto(urls().console);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('欢迎使用政务应用支撑平台');
    expect(await page.getByRole('link', { name: '我的证照' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'shell-home-anonymous');

    await logIn(page, user);
    await expect(page.getByRole('navigation').getByRole('link', { name: '我的证照' })).toBeDefined();
    // A citizen without a staff role gets no clerk screens: their login carries no clerk scopes.
    expect(await page.getByRole('navigation').getByRole('link', { name: '签发证照' }).count()).toBe(0);

    await page.getByRole('navigation').getByRole('link', { name: '我的账户' }).click();
    await expect.poll(() => page.getByTestId('trust-level').textContent()).toBe('1 级：已注册');
    await expect.poll(() => page.getByText('当前会话').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'shell-account');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.origin === urls().console && url.pathname === '/');
    await expect.poll(() => page.getByRole('button', { name: '登录', exact: true }).count()).toBe(1);
    const me = (await (await page.request.get(`${urls().console}/api/session`)).json()) as { authenticated: boolean };
    expect(me.authenticated).toBe(false);
    expect(errors).toEqual([]);
  });

  it('ends the console session when the user logs out at identity from another app (back-channel logout)', async () => {
    const user = await registerPerson('王芳');
    const { page, errors } = await newPage(browser);
    await logIn(page, user);
    // Another app's logout: identity's end-session page, confirmed by the user.
    await page.goto(`${urls().identity}/oidc/logout`);
    await page.getByRole('button').first().click();
    await expect
      .poll(
        async () =>
          ((await (await page.request.get(`${urls().console}/api/session`)).json()) as { authenticated: boolean })
            .authenticated,
        {
          timeout: 15_000,
        },
      )
      .toBe(false);
    expect(errors).toEqual([]);
  });

  it('works at phone width: the menu opens from a button and is keyboard reachable', async () => {
    const { page, errors } = await newPage(browser, { width: 375, height: 740 });
    await page.goto(urls().console);
    const menu = page.getByRole('button', { name: '菜单' });
    await expect.poll(() => menu.isVisible()).toBe(true);
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('navigation').isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('首页');
    await expectAccessible(page);
    await screenshot(page, 'shell-phone-menu');
    expect(errors).toEqual([]);
  });
});
