// Runs a real identity service on a real PostgreSQL database over real HTTP, with a manual clock,
// plus the fixtures most tests need (clients, admin tokens, registered users).
import { randomBytes } from 'node:crypto';
import { createIdentityClient } from '@platform/contracts';
import { findFreePort } from '@platform/db';
import { createTestDatabase } from '@platform/db/testing';
import { citizenIdCheckChar, creditCodeCheckChar } from '@platform/identifiers';
import { createIdentityService, type IdentityService } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import type { CoreOptions } from '../../src/composition.ts';
import { createDatabase } from '../../src/db.ts';
import type { NewClient } from '../../src/domain/clients/client-registry.ts';
import { loadEnv, type Env } from '../../src/env.ts';

export interface TestIdentity {
  url: string;
  service: IdentityService;
  core: IdentityService['core'];
  clock: ManualClock;
  env: Env;
  close(): Promise<void>;
}

export async function startIdentity(
  options: { env?: Record<string, string>; core?: CoreOptions; clock?: ManualClock; databaseUrl?: string } = {},
): Promise<TestIdentity> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database?.url ?? '';
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const clock = options.clock ?? new ManualClock(new Date());
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    ISSUER_URL: url,
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    ...options.env,
  });
  const service = createIdentityService(env, createDatabase(databaseUrl), { clock, ...options.core });
  await service.listen(port, '127.0.0.1');
  return {
    url,
    service,
    core: service.core,
    clock,
    env,
    async close() {
      await service.close();
      await database?.drop();
    },
  };
}

let sequence = 0;
/** A valid (check character included) citizen ID number, unique per call. */
export function citizenId(): string {
  sequence += 1;
  // Birth date 1990-01-(01..28); the serial differs per call.
  const body = `110105199001${String(1 + (sequence % 28)).padStart(2, '0')}${String(sequence % 1000).padStart(3, '0')}`;
  return body + citizenIdCheckChar(body);
}

/** A valid unified social credit code, unique per call. */
export function creditCode(): string {
  sequence += 1;
  const body = `91110105MA${String(sequence).padStart(7, '0')}`;
  return body + creditCodeCheckChar(body);
}

let phoneSequence = Math.floor(Math.random() * 1_000_000);
export function phoneNumber(): string {
  phoneSequence += 1;
  return `139${String(phoneSequence % 100_000_000).padStart(8, '0')}`;
}

export const PASSWORD = 'Correct-horse-电池-staple';

export function api(identity: TestIdentity, token?: string) {
  return createIdentityClient({ url: identity.url, ...(token ? { getToken: () => token } : {}) });
}

/** The last SMS the development gateway "sent" to a phone, through the dev procedure. */
export async function lastSms(identity: TestIdentity, phone: string): Promise<string> {
  const [message] = await api(identity).dev.smsOutbox.query({ phone, limit: 1 });
  if (!message) throw new Error(`no SMS for ${phone}`);
  return message.body;
}

export const codeIn = (sms: string): string => {
  const match = /(\d{6})/.exec(sms);
  if (!match?.[1]) throw new Error(`no code in "${sms}"`);
  return match[1];
};

export interface TestUser {
  id: string;
  phone: string;
  subjectId: string;
  name: string;
  password: string;
}

/** Registers a natural person the way a citizen does: SMS code, then the registration. */
export async function registerUser(
  identity: TestIdentity,
  overrides: Partial<{ name: string; password: string }> = {},
): Promise<TestUser> {
  const phone = phoneNumber();
  const subjectId = citizenId();
  const name = overrides.name ?? '张三';
  const password = overrides.password ?? PASSWORD;
  await api(identity).account.requestSmsCode.mutate({ phone, purpose: 'register' });
  const smsCode = codeIn(await lastSms(identity, phone));
  const account = await api(identity).account.register.mutate({
    kind: 'natural_person',
    subjectId,
    name,
    phone,
    smsCode,
    password,
  });
  // The next SMS to this phone must not hit the one-per-minute limit.
  identity.clock.advanceSeconds(61);
  return { id: account.id, phone, subjectId, name, password };
}

export async function registerFirm(identity: TestIdentity, representativeId: string): Promise<TestUser> {
  const phone = phoneNumber();
  const subjectId = creditCode();
  await api(identity).account.requestSmsCode.mutate({ phone, purpose: 'register' });
  const smsCode = codeIn(await lastSms(identity, phone));
  const account = await api(identity).account.register.mutate({
    kind: 'legal_person',
    subjectId,
    name: '示例科技有限公司',
    legalRepresentativeId: representativeId,
    phone,
    smsCode,
    password: PASSWORD,
  });
  identity.clock.advanceSeconds(61);
  return { id: account.id, phone, subjectId, name: account.name, password: PASSWORD };
}

export async function createClient(
  identity: TestIdentity,
  client: Partial<NewClient> & { id: string },
): Promise<{ id: string; secret: string | null }> {
  const { client: created, secret } = await identity.core.clients.create({
    name: `应用 ${client.id}`,
    type: 'confidential',
    redirectUris: [],
    postLogoutRedirectUris: [],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'phone', 'offline_access'],
    resources: [],
    defaultResource: null,
    backchannelLogoutUri: null,
    firstParty: true,
    ...client,
  });
  return { id: created.id, secret };
}

export async function clientCredentialsToken(
  identity: TestIdentity,
  clientId: string,
  secret: string,
  extra: Record<string, string> = {},
) {
  const response = await fetch(`${identity.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...extra }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** An access token with identity:admin for the admin procedures (a client_credentials client). */
export async function adminToken(identity: TestIdentity): Promise<string> {
  const id = `admin-${randomBytes(4).toString('hex')}`;
  const { secret } = await createClient(identity, {
    id,
    grantTypes: ['client_credentials'],
    scopes: ['identity:admin'],
    firstParty: true,
  });
  const { body } = await clientCredentialsToken(identity, id, secret ?? '');
  return String(body.access_token);
}
