// A citizen as an integrator's app sees one: registered through identity's public procedures (the
// code read from the development SMS outbox, as in a sandbox), logged in through the login pages
// with authorization code + PKCE, tokens from the token endpoint.
import { createHash, randomBytes } from 'node:crypto';
import { citizenIdCheckChar } from '@platform/identifiers';
import { Browser, type Page } from './browser.ts';
import type { E2eApp } from './context.ts';
import { call, identityClient, serviceUrl } from './platform.ts';

export interface Citizen {
  accountId: string;
  subjectId: string;
  name: string;
  phone: string;
  password: string;
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token: string;
  scope: string;
}

const issuer = () => serviceUrl('identity');
let sequence = Math.floor(Math.random() * 900);

/** A valid citizen ID number (check character included), different per call and per run. */
export function newCitizenId(): string {
  sequence += 1;
  const body = `370102198${1 + (sequence % 9)}0${1 + (sequence % 9)}1${sequence % 10}${String(sequence % 1000).padStart(3, '0')}`;
  return body + citizenIdCheckChar(body);
}

const newPhone = () => `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

export async function registerCitizen(name = '王小明'): Promise<Citizen> {
  const identity = identityClient();
  const phone = newPhone();
  const subjectId = newCitizenId();
  const password = `E2e-${randomBytes(6).toString('hex')}-电子证照`;
  await identity.account.requestSmsCode.mutate({ phone, purpose: 'register' });
  const [sms] = await identity.dev.smsOutbox.query({ phone, limit: 1 });
  const smsCode = /(\d{6})/.exec(sms?.body ?? '')?.[1];
  if (!smsCode) throw new Error(`no registration code in the SMS outbox for ${phone}`);
  const account = await identity.account.register.mutate({
    kind: 'natural_person',
    subjectId,
    name,
    phone,
    smsCode,
    password,
  });
  return { accountId: account.id, subjectId, name, phone, password };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface Authorization {
  page: Page;
  verifier: string;
  /** The app's callback with a code, when identity sent the browser back to the app. */
  code: string | undefined;
}

/** Starts an app's login; with a live SSO session identity answers at once with a code. */
export async function authorize(
  browser: Browser,
  app: E2eApp,
  extra: Record<string, string> = {},
): Promise<Authorization> {
  const { verifier, challenge } = pkce();
  const url = new URL(`${issuer()}/oidc/authorize`);
  const params = {
    response_type: 'code',
    client_id: app.id,
    redirect_uri: app.redirectUri,
    scope: 'openid profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    ...extra,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const page = await browser.open(url.toString());
  return { page, verifier, code: codeAt(page, app) };
}

function codeAt(page: Page, app: E2eApp): string | undefined {
  if (!page.location?.startsWith(`${app.redirectUri}?`)) return undefined;
  return new URL(page.location).searchParams.get('code') ?? undefined;
}

/** Enters the password on identity's login page shown by `authorize`. */
export async function enterPassword(browser: Browser, started: Authorization, app: E2eApp, citizen: Citizen) {
  if (!started.page.html.includes('action="/login/password"'))
    throw new Error(`expected identity's login page, got ${started.page.status} ${started.page.location ?? ''}`);
  const page = await browser.submit(started.page, '/login/password', {
    login_name: citizen.phone,
    password: citizen.password,
  });
  const code = codeAt(page, app);
  if (!code)
    throw new Error(`login did not return to ${app.id}: ${page.status} ${page.location ?? page.html.slice(0, 500)}`);
  return { ...started, page, code };
}

export async function tokenRequest(
  app: E2eApp,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await call(`${issuer()}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${app.id}:${app.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function exchangeCode(app: E2eApp, authorization: { code?: string; verifier: string }): Promise<Tokens> {
  const { status, body } = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code: authorization.code ?? '',
    redirect_uri: app.redirectUri,
    code_verifier: authorization.verifier,
  });
  if (status !== 200) throw new Error(`code exchange for ${app.id} refused: ${status} ${JSON.stringify(body)}`);
  return body as unknown as Tokens;
}

/** Refreshes for another resource (audience); refresh tokens rotate, so the new one is returned. */
export async function refreshFor(app: E2eApp, refreshToken: string, resource: string): Promise<Tokens> {
  const { status, body } = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    resource,
  });
  if (status !== 200) throw new Error(`refresh for ${resource} refused: ${status} ${JSON.stringify(body)}`);
  return body as unknown as Tokens;
}

/** Registers and logs a citizen into `app`: the browser then holds identity's SSO session. */
export async function loggedInCitizen(app: E2eApp, citizen?: Citizen) {
  const who = citizen ?? (await registerCitizen());
  const browser = new Browser();
  const tokens = await exchangeCode(app, await enterPassword(browser, await authorize(browser, app), app, who));
  return { citizen: who, browser, tokens };
}

export const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
