// What each journey needs: the running platform's URLs, a Chromium page, logging a user in through
// identity's real login page, accounts made through identity's API, service tokens for set-up,
// screenshots under test-output/ and an axe-core accessibility check.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { createIdentityClient, type AccountRole } from '@platform/contracts';
import { citizenIdCheckChar, creditCodeCheckChar } from '@platform/identifiers';
import { CHROMIUM } from './chromium.ts';
import './context.ts';

export const urls = () => inject('consoleUrls');
const outputDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'test-output');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far (the app must produce none). */
  errors: string[];
}

export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<TrackedPage> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  // Only the console's own pages count: identity's pages are identity's to keep clean.
  const ours = (url: string) => url === '' || url.startsWith(urls().console);
  // A service's error answer (e.g. 404 "no report for this day") is logged by Chrome as a failed
  // resource; the page shows its meaning and each journey asserts that, so those are not app errors.
  const serviceAnswer = (message: { text(): string; location(): { url: string } }) =>
    message.text().startsWith('Failed to load resource: the server responded with a status of 4') &&
    message.location().url.startsWith(`${urls().console}/svc/`);
  page.on('console', (message) => {
    if (message.type() === 'error' && ours(message.location().url) && !serviceAnswer(message))
      errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => {
    if (ours(page.url())) errors.push(error.message);
  });
  return { page, context, errors };
}

/** Waits for a text on the page; on failure says what the page showed instead. */
export async function expectText(page: Page, text: string, timeout = 15_000): Promise<void> {
  await page
    .getByText(text, { exact: false })
    .first()
    .waitFor({ timeout })
    .catch(async () => {
      throw new Error(
        `"${text}" not shown; at ${page.url()}:\n${(await page.locator('body').innerText()).slice(0, 1200)}`,
      );
    });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page; fails on any serious or critical violation, naming each. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol: the console's CSP (script-src 'self') rightly refuses
  // inline scripts, and the check must not weaken it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            o: object,
          ) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

let sequence = Math.floor(Math.random() * 10_000);
export const PASSWORD = 'Console-测试-Passw0rd!';

export interface TestUser {
  phone: string;
  subjectId: string;
  name: string;
  password: string;
}

/**
 * A new natural person, registered through identity's public API (SMS code from the dev outbox).
 * Staff get their roles from an identity administrator (the tests' ops client): a role is what lets
 * a person's login carry a clerk's, officer's or treasurer's scopes.
 */
export async function registerPerson(name: string, roles: AccountRole[] = []): Promise<TestUser> {
  sequence += 1;
  const identity = createIdentityClient({ url: urls().identity });
  const phone = `138${String(Date.now() % 10_000_000).padStart(7, '0')}${sequence % 10}`;
  const body = `37010219900${String(1 + (sequence % 9))}${String(10 + (sequence % 18))}${String(sequence % 1000).padStart(3, '0')}`;
  const subjectId = body + citizenIdCheckChar(body);
  await identity.account.requestSmsCode.mutate({ phone, purpose: 'register' });
  const [message] = await identity.dev.smsOutbox.query({ phone, limit: 1 });
  const smsCode = /(\d{6})/.exec(message?.body ?? '')?.[1] ?? '';
  const account = await identity.account.register.mutate({
    kind: 'natural_person',
    subjectId,
    name,
    phone,
    smsCode,
    password: PASSWORD,
  });
  if (roles.length > 0) {
    const token = await opsToken('urn:platform:identity', 'identity:admin');
    const admin = createIdentityClient({ url: urls().identity, getToken: () => token });
    await admin.admin.account.setRoles.mutate({ accountId: account.id, roles });
  }
  return { phone, subjectId, name, password: PASSWORD };
}

/** A new legal person (firm), registered like a person but with its credit code and representative. */
export async function registerFirm(name: string, legalRepresentativeId: string): Promise<TestUser> {
  sequence += 1;
  const identity = createIdentityClient({ url: urls().identity });
  const phone = `139${String(Date.now() % 10_000_000).padStart(7, '0')}${sequence % 10}`;
  const body = `91370102MA${String(Date.now() % 10_000_000).padStart(7, '0')}`;
  const subjectId = body + creditCodeCheckChar(body);
  await identity.account.requestSmsCode.mutate({ phone, purpose: 'register' });
  const [message] = await identity.dev.smsOutbox.query({ phone, limit: 1 });
  const smsCode = /(\d{6})/.exec(message?.body ?? '')?.[1] ?? '';
  await identity.account.register.mutate({
    kind: 'legal_person',
    subjectId,
    name,
    legalRepresentativeId,
    phone,
    smsCode,
    password: PASSWORD,
  });
  return { phone, subjectId, name, password: PASSWORD };
}

/** Calls a service through the console's proxy as the page's logged-in user (tRPC, one call). */
export async function callAsUser<T>(page: Page, service: string, procedure: string, input: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ service, procedure, input }) => {
      const response = await fetch(`/svc/${service}/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-console-request': '1' },
        body: JSON.stringify(input),
      });
      return { status: response.status, body: (await response.json()) as { result?: { data: unknown } } };
    },
    { service, procedure, input },
  );
  if (result.status !== 200) throw new Error(`${procedure}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.result?.data as T;
}

/** Logs in through the console's login button and identity's real password form. */
export async function logIn(page: Page, user: TestUser, startAt = '/'): Promise<void> {
  await page.goto(new URL(startAt, urls().console).toString());
  await page.getByRole('button', { name: '登录', exact: true }).first().click();
  await page.waitForURL((url) => url.origin === urls().identity);
  await page.locator('#login_name').fill(user.phone);
  await page.locator('#password').fill(user.password);
  await page.locator('form[action="/login/password"] button[type="submit"]').click();
  try {
    await page.waitForURL((url) => url.origin === urls().console, { timeout: 20_000 });
  } catch {
    throw new Error(
      `login did not return to the console; at ${page.url()}:\n${(await page.locator('body').innerText()).slice(0, 800)}`,
    );
  }
  const greeting = page.getByText(`${user.name}，您好`);
  await greeting.waitFor({ timeout: 15_000 }).catch(async () => {
    throw new Error(`not logged in; at ${page.url()}:\n${(await page.locator('body').innerText()).slice(0, 800)}`);
  });
}

/** A client-credentials token of the tests' collecting-unit system (set-up, like an integrator). */
export async function opsToken(resource: string, scope: string): Promise<string> {
  const client = inject('consoleOpsClient');
  const response = await fetch(`${urls().identity}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}
