// Consent in a real browser: a third-party app asks, the user approves, later revokes it on the
// account page, and the app's refresh token stops working while its next request asks again.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../src/pages/strings.ts';
import { checkPage, launchChromium, type Chromium } from './support/chromium.ts';
import { createClient, registerUser, startIdentity, type TestIdentity, type TestUser } from './support/identity.ts';
import { authorizeUrl, codeOf, pkce, tokenRequest } from './support/oauth.ts';

const APP = { id: 'tax-helper', name: '个税助手', redirectUri: 'https://tax-helper.example.test/cb' };

describe('consent in Chromium', { timeout: 180_000 }, () => {
  let identity: TestIdentity;
  let chromium: Chromium;
  let page: Page;
  let user: TestUser;
  let app: { id: string; secret: string | null };
  const callbacks: string[] = [];

  beforeAll(async () => {
    chromium = await launchChromium();
    page = chromium.page;
    // The app's own site is not running: its callback page is answered here, and noted.
    await chromium.context.route(`${new URL(APP.redirectUri).origin}/**`, (route) => {
      callbacks.push(route.request().url());
      return route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><html lang="zh-CN"><title>个税助手</title><main><h1>个税助手</h1></main></html>',
      });
    });
    identity = await startIdentity();
    user = await registerUser(identity, { name: '宋佳' });
    app = await createClient(identity, {
      id: APP.id,
      name: APP.name,
      firstParty: false,
      redirectUris: [APP.redirectUri],
      scopes: ['openid', 'profile', 'phone', 'offline_access'],
    });
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await identity?.close();
  });

  const authorize = () => {
    const { challenge, verifier } = pkce();
    const url = authorizeUrl(identity.url, {
      client_id: APP.id,
      redirect_uri: APP.redirectUri,
      scope: 'openid profile offline_access',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st-1',
    });
    return { url, verifier };
  };

  let refreshToken = '';

  it('logs in for the app and approves its request for consent', async () => {
    const { url, verifier } = authorize();
    await page.goto(url);
    await expect(page.locator('main').innerText()).resolves.toContain(STRINGS.loginIntro(APP.name));
    await page.getByLabel(STRINGS.loginName).fill(user.phone);
    await page.getByLabel(STRINGS.password, { exact: true }).fill(user.password);
    await page.getByRole('button', { name: STRINGS.submitLogin }).first().click();

    expect(await page.locator('h1').innerText()).toBe(STRINGS.consentTitle);
    await expect(page.locator('main').innerText()).resolves.toContain(STRINGS.scopeLabels.offline_access);
    await checkPage(page, 'consent', [STRINGS.approve, STRINGS.deny]);
    await page.getByRole('button', { name: STRINGS.approve }).click();
    await page.waitForURL(`${APP.redirectUri}?**`);

    const callback = new URL(callbacks.at(-1) ?? '');
    expect(callback.searchParams.get('state')).toBe('st-1');
    expect(callback.searchParams.get('iss')).toBe(identity.url);
    const tokens = await tokenRequest(
      identity.url,
      {
        grant_type: 'authorization_code',
        code: codeOf(callback.toString()),
        redirect_uri: APP.redirectUri,
        code_verifier: verifier,
      },
      app,
    );
    expect(tokens.status).toBe(200);
    refreshToken = String(tokens.body.refresh_token);
  });

  it('lists the app on the account page and revokes it', async () => {
    await page.goto(`${identity.url}/account`);
    await page.getByRole('link', { name: STRINGS.navApps }).click();
    const card = page.locator('section.card');
    await expect(card.count()).resolves.toBe(1);
    await expect(card.innerText()).resolves.toContain(APP.name);
    await checkPage(page, 'apps', [STRINGS.revokeConsent(APP.name)]);

    await page.getByRole('button', { name: STRINGS.revokeConsent(APP.name) }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(STRINGS.consentRevoked(APP.name));
    await expect(page.locator('main').innerText()).resolves.toContain(STRINGS.noConsents);
    await checkPage(page, 'apps-revoked', []);

    const refreshed = await tokenRequest(
      identity.url,
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      app,
    );
    expect(refreshed.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('asks for consent again on the app’s next request, without asking for the password', async () => {
    await page.goto(authorize().url);
    expect(await page.locator('h1').innerText()).toBe(STRINGS.consentTitle);
    await page.getByRole('button', { name: STRINGS.deny }).click();
    await page.waitForURL(`${APP.redirectUri}?**`);
    expect(new URL(callbacks.at(-1) ?? '').searchParams.get('error')).toBe('access_denied');
  });
});
