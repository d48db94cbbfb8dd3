// Password reset in a real browser: from the login page's link, an SMS code, a new password, and a
// login with it; the same page whether or not the phone has an account.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../src/pages/strings.ts';
import { checkPage, launchChromium, type Chromium } from './support/chromium.ts';
import {
  codeIn,
  lastSms,
  phoneNumber,
  registerUser,
  startIdentity,
  type TestIdentity,
  type TestUser,
} from './support/identity.ts';

describe('password reset in Chromium', { timeout: 180_000 }, () => {
  let identity: TestIdentity;
  let chromium: Chromium;
  let page: Page;
  let user: TestUser;

  beforeAll(async () => {
    chromium = await launchChromium();
    page = chromium.page;
    identity = await startIdentity();
    user = await registerUser(identity, { name: '何静' });
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await identity?.close();
  });

  const newPassword = '床前明月光-疑是地上霜';
  const requestCode = async (phone: string) => {
    await page.getByLabel(STRINGS.phone).fill(phone);
    await page.getByRole('button', { name: STRINGS.sendCode }).click();
    return page.locator('main').innerText();
  };

  it('answers an unknown phone exactly like a registered one', async () => {
    await page.goto(`${identity.url}/login`);
    await page.getByRole('link', { name: STRINGS.forgotPasswordLink }).click();
    expect(await page.locator('h1').innerText()).toBe(STRINGS.resetTitle);
    await checkPage(page, 'password-reset', [STRINGS.sendCode, STRINGS.submitReset]);
    const unknown = phoneNumber();
    const forUnknown = await requestCode(unknown);
    const forUser = await requestCode(user.phone);
    expect(forUser).toBe(forUnknown);
    expect(forUser).toContain(STRINGS.codeSent);
  });

  it('refuses a wrong code with its meaning and code, then resets with the right one', async () => {
    const code = codeIn(await lastSms(identity, user.phone));
    await page.getByLabel(STRINGS.smsCode).fill(code === '000000' ? '111111' : '000000');
    await page.getByLabel(STRINGS.newPassword).fill(newPassword);
    await page.getByLabel(STRINGS.confirmPassword).fill(newPassword);
    await page.getByRole('button', { name: STRINGS.submitReset }).click();
    const alert = await page.getByRole('alert').innerText();
    expect(alert).toContain(STRINGS.errors.INVALID_SMS_CODE);
    expect(alert).toContain(STRINGS.errorCode('INVALID_SMS_CODE'));
    await checkPage(page, 'password-reset-wrong-code', [STRINGS.submitReset]);

    await page.getByLabel(STRINGS.smsCode).fill(code);
    await page.getByLabel(STRINGS.newPassword).fill(newPassword);
    await page.getByLabel(STRINGS.confirmPassword).fill(newPassword);
    await page.getByRole('button', { name: STRINGS.submitReset }).click();
    expect(await page.locator('h1').innerText()).toBe(STRINGS.resetDoneTitle);
    await checkPage(page, 'password-reset-done', []);
  });

  it('logs in with the new password only', async () => {
    await page.getByRole('link', { name: STRINGS.goToLogin }).click();
    await page.getByLabel(STRINGS.loginName).fill(user.phone);
    await page.getByLabel(STRINGS.password, { exact: true }).fill(user.password);
    await page.getByRole('button', { name: STRINGS.submitLogin }).first().click();
    await expect(page.getByRole('alert').innerText()).resolves.toBe(STRINGS.invalidCredentials);
    await checkPage(page, 'login-failed', [STRINGS.submitLogin]);

    await page.getByLabel(STRINGS.password, { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: STRINGS.submitLogin }).first().click();
    await page.waitForURL(`${identity.url}/account`);
    await expect(page.locator('main').innerText()).resolves.toContain('何静');
  });
});
