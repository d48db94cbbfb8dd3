// A citizen's journey in a real browser: register with an SMS code, log in with the keyboard only,
// enrol an authenticator app from the QR code, log out, and log in again with the app's code.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpStep } from '../src/domain/otp/totp.ts';
import { STRINGS } from '../src/pages/strings.ts';
import { checkPage, decodeQrOnPage, launchChromium, outputPath, type Chromium } from './support/chromium.ts';
import { citizenId, codeIn, lastSms, phoneNumber, startIdentity, type TestIdentity } from './support/identity.ts';

describe('account journey in Chromium', { timeout: 180_000 }, () => {
  let identity: TestIdentity;
  let chromium: Chromium;
  let page: Page;

  beforeAll(async () => {
    chromium = await launchChromium();
    page = chromium.page;
    identity = await startIdentity();
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await identity?.close();
  });

  const phone = phoneNumber();
  const password = '春眠不觉晓-处处闻啼鸟';
  const heading = () => page.locator('h1').innerText();

  it('registers with an SMS code, seeing the password rules', async () => {
    await page.goto(`${identity.url}/login`);
    await checkPage(page, 'login', [STRINGS.submitLogin, STRINGS.sendCode]);
    await page.getByRole('link', { name: STRINGS.registerLink }).click();
    expect(await heading()).toBe(STRINGS.registerTitle);
    await checkPage(page, 'register', [STRINGS.sendCode, STRINGS.submitRegister]);
    await expect(page.locator('#password_rules').innerText()).resolves.toContain(STRINGS.passwordRules[1]);

    await page.getByLabel(STRINGS.personName).fill('黄晓明');
    await page.getByLabel(STRINGS.citizenId).fill(citizenId());
    await page.getByLabel(STRINGS.phone).fill(phone);
    await page.getByRole('button', { name: STRINGS.sendCode }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(STRINGS.codeSent);
    const code = codeIn(await lastSms(identity, phone));

    // A weak password first: the page names the broken rule and the code.
    await page.getByLabel(STRINGS.smsCode).fill(code);
    await page.getByLabel(STRINGS.newPassword).fill('password123');
    await page.getByLabel(STRINGS.confirmPassword).fill('password123');
    await page.getByRole('button', { name: STRINGS.submitRegister, exact: true }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain(STRINGS.passwordProblems.common);
    await checkPage(page, 'register-weak-password', [STRINGS.submitRegister]);

    await page.getByLabel(STRINGS.smsCode).fill(code);
    await page.getByLabel(STRINGS.newPassword).fill(password);
    await page.getByLabel(STRINGS.confirmPassword).fill(password);
    await page.getByRole('button', { name: STRINGS.submitRegister, exact: true }).click();
    expect(await heading()).toBe(STRINGS.registeredTitle);
    await checkPage(page, 'registered', []);
  });

  it('logs in with the keyboard only and lands on the account page', async () => {
    await page.getByRole('link', { name: STRINGS.goToLogin }).click();
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab'); // login name
    await page.keyboard.type(phone);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${identity.url}/account`);
    expect(await heading()).toBe(STRINGS.accountTitle);
    await expect(page.locator('main').innerText()).resolves.toContain('黄晓明');
    await checkPage(page, 'account', []);
  });

  let secret = '';

  it('enrols an authenticator app from the QR code after re-entering the password', async () => {
    await page.getByRole('link', { name: STRINGS.navTotp }).click();
    await checkPage(page, 'totp-start', [STRINGS.totpStart]);
    await page.getByLabel(STRINGS.currentPassword).fill(password);
    await page.getByRole('button', { name: STRINGS.totpStart }).click();
    await checkPage(page, 'totp-enrol', [STRINGS.totpConfirm]);
    await page.locator('svg.qr').screenshot({ path: outputPath('totp-qr.png') });

    secret = await page.locator('#totp_secret').innerText();
    const uri = await decodeQrOnPage(page);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(uri ?? '').searchParams.get('secret')).toBe(secret);

    await page.getByLabel(STRINGS.totpConfirmCode).fill(hotp(base32Decode(secret), totpStep(identity.clock.now())));
    await page.getByRole('button', { name: STRINGS.totpConfirm }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(STRINGS.totpEnabledNotice);
    await checkPage(page, 'totp-enabled', [STRINGS.totpDisable]);
  });

  it('logs out after confirming', async () => {
    await page.getByRole('link', { name: STRINGS.navLogout }).click();
    await checkPage(page, 'logout-confirm', [STRINGS.logoutConfirm]);
    await page.getByRole('button', { name: STRINGS.logoutConfirm }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(STRINGS.loggedOut);
    await checkPage(page, 'logged-out', []);
    await page.goto(`${identity.url}/account`);
    expect(page.url()).toBe(`${identity.url}/login`);
  });

  it('logs in again with the password and then the authenticator code', async () => {
    await page.getByLabel(STRINGS.loginName).fill(phone);
    await page.getByLabel(STRINGS.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: STRINGS.submitLogin }).first().click();
    expect(await heading()).toBe(STRINGS.totpTitle);
    await checkPage(page, 'login-totp', [STRINGS.verify]);
    // The enrolment used this time step's code; each step is accepted once.
    identity.clock.advanceSeconds(30);
    await page.getByLabel(STRINGS.totpCode).fill(hotp(base32Decode(secret), totpStep(identity.clock.now())));
    await page.getByRole('button', { name: STRINGS.verify }).click();
    await page.waitForURL(`${identity.url}/account`);

    await page.getByRole('link', { name: STRINGS.navSessions }).click();
    const sessions = page.locator('section.card');
    await expect(sessions.count()).resolves.toBe(1);
    await expect(sessions.first().innerText()).resolves.toContain(STRINGS.amrLabels.otp);
    await checkPage(page, 'sessions', [STRINGS.endThisSession]);
  });
});
