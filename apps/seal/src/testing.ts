// For other services' tests (license files, payment receipts): the real seal service in-process on
// its own migrated database, trusting the caller's test token issuer, plus the administrator steps
// that bring an organisation's seal to active and authorise a client to use it.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createSealClient, type SealView } from '@platform/contracts';
import { createSealService } from './app.ts';
import { createDatabase } from './db.ts';
import { loadEnv } from './env.ts';
import { RESOURCE } from './meta.ts';

export { RESOURCE as SEAL_RESOURCE } from './meta.ts';

/** The seal migrations folder, to migrate a test database with @platform/db's applyMigrations. */
export const SEAL_MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export type TestSealClient = ReturnType<typeof createSealClient>;

/** Signs access tokens the seal service accepts (e.g. `@platform/auth/testing`'s issuer.mint). */
export type MintToken = (claims: { sub: string; aud: string; scope: string; client_id?: string }) => Promise<string>;

export interface TestSealService {
  url: string;
  /** The CA root (PEM), to trust in verifiers such as pdfsig's NSS database. */
  rootPem(): Promise<string>;
  /** A client whose tokens carry `sub` (also as client_id) and the scopes. */
  as(sub: string, scope: string): TestSealClient;
  /** Stops answering (the port is closed), keeping the database: for seal-service-down tests. */
  stop(): Promise<void>;
  /** Starts again on the same port and database (no-op while running). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSealService(options: {
  databaseUrl: string;
  issuerUrl: string;
  mint: MintToken;
  port: number;
}): Promise<TestSealService> {
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: options.databaseUrl,
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    IDENTITY_ISSUER_URL: options.issuerUrl,
    PUBLIC_URL: `http://127.0.0.1:${options.port}`,
  });
  let running: ReturnType<typeof createSealService> | undefined;
  const start = async () => {
    if (running) return;
    const service = createSealService(env, createDatabase(options.databaseUrl));
    await service.listen(options.port, '127.0.0.1');
    running = service;
  };
  const stop = async () => {
    await running?.close();
    running = undefined;
  };
  await start();
  const url = `http://127.0.0.1:${options.port}`;
  return {
    url,
    rootPem: async () => (await createSealClient({ url }).ca.certificates.query()).root.pem,
    as: (sub, scope) =>
      createSealClient({ url, getToken: () => options.mint({ sub, client_id: sub, aud: RESOURCE, scope }) }),
    stop,
    start,
    close: stop,
  };
}

/**
 * Applies for, approves (by a second administrator: four-eyes), makes, files and activates a seal,
 * then authorises `subjects` to use it on `documentTypes` for a day.
 */
export async function activateTestSeal(
  seal: TestSealService,
  request: {
    orgCode: string;
    orgName: string;
    name: string;
    kind: 'official' | 'contract' | 'finance' | 'invoice' | 'business';
    subjects: string[];
    documentTypes: string[];
  },
): Promise<SealView> {
  const clerk = seal.as('seal-clerk', 'seal:admin');
  const chief = seal.as('seal-chief', 'seal:admin');
  const applied = await clerk.seal.applyFor.mutate({
    orgCode: request.orgCode,
    orgName: request.orgName,
    name: request.name,
    kind: request.kind,
    keyAlgorithm: 'ecdsa-p256',
    widthMm: 40,
    heightMm: 40,
    validUntil: new Date(Date.now() + 365 * 86400_000).toISOString(),
  });
  await chief.seal.approve.mutate({ sealId: applied.id });
  await clerk.seal.make.mutate({ sealId: applied.id });
  await clerk.seal.file.mutate({ sealId: applied.id });
  const active = await clerk.seal.activate.mutate({ sealId: applied.id });
  await chief.authorization.grant.mutate({
    sealId: active.id,
    subjects: request.subjects,
    documentTypes: request.documentTypes,
    validUntil: new Date(Date.now() + 86400_000).toISOString(),
  });
  return active;
}

export { SealedPdfTools, type ToolOutput } from './testing-pdf-tools.ts';
