// A running seal service for integration tests: its own database, a stand-in identity issuer for
// access tokens, typed clients per caller over real HTTP, and a helper that brings a seal to active.
import { randomBytes } from 'node:crypto';
import { createSealClient, errorBodyOf, type ErrorCode, type SealView } from '@platform/contracts';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import { creditCodeCheckChar } from '@platform/identifiers';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { listenForTest, type RunningService } from '@platform/service-kit/testing';
import { expect } from 'vitest';
import { createSealService, createSealCoreFor } from '../../src/app.ts';
import type { SealCore } from '../../src/composition.ts';
import { createDatabase, type Database } from '../../src/db.ts';
import { loadEnv } from '../../src/env.ts';
import { RESOURCE } from '../../src/meta.ts';

export const ORG_CODE = '91370102MA3C8U7P4' + creditCodeCheckChar('91370102MA3C8U7P4');
export type SealClient = ReturnType<typeof createSealClient>;

export interface SealNode {
  url: string;
  db: Database;
  core: SealCore;
  issuer: TestIssuer;
  /** A client whose token has subject `sub` and the given scopes. */
  as(sub: string, scope: string): SealClient;
  anonymous: SealClient;
  close(): Promise<void>;
}

export async function startSealNode(): Promise<SealNode> {
  const issuer = await startTestIssuer();
  const database: TestDatabase = await createTestDatabase();
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    IDENTITY_ISSUER_URL: issuer.issuer,
  });
  const db = createDatabase(database.url);
  const core = createSealCoreFor(env, db);
  const running: RunningService = await listenForTest(createSealService(env, db, { core }));
  return {
    url: running.url,
    db,
    core,
    issuer,
    as: (sub, scope) =>
      createSealClient({ url: running.url, getToken: () => issuer.mint({ sub, aud: RESOURCE, scope }) }),
    anonymous: createSealClient({ url: running.url }),
    async close() {
      await running.close();
      await issuer.close();
      await database.drop();
    },
  };
}

/** Clerk, approver (seal:admin each) and the steps from application to an active seal. */
export async function activeSeal(
  node: SealNode,
  overrides: Partial<{
    name: string;
    kind: 'official' | 'contract' | 'finance' | 'invoice' | 'business';
    keyAlgorithm: 'rsa-2048' | 'ecdsa-p256' | 'sm2';
    validUntil: string;
  }> = {},
): Promise<SealView> {
  const clerk = node.as('clerk-1', 'seal:admin');
  const chief = node.as('chief-1', 'seal:admin');
  const applied = await clerk.seal.applyFor.mutate({
    orgCode: ORG_CODE,
    orgName: '济南泉城软件有限公司',
    name: overrides.name ?? '济南泉城软件有限公司合同专用章',
    kind: overrides.kind ?? 'contract',
    keyAlgorithm: overrides.keyAlgorithm ?? 'ecdsa-p256',
    widthMm: 40,
    heightMm: 40,
    validUntil: overrides.validUntil ?? new Date(Date.now() + 365 * 86400_000).toISOString(),
  });
  await chief.seal.approve.mutate({ sealId: applied.id });
  await clerk.seal.make.mutate({ sealId: applied.id });
  await clerk.seal.file.mutate({ sealId: applied.id });
  return clerk.seal.activate.mutate({ sealId: applied.id });
}

/** Awaits a call that must fail with the given platform error code; returns the error body. */
export async function expectAppError(call: Promise<unknown>, code: ErrorCode) {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  const body = errorBodyOf(caught);
  expect(body?.code, `expected ${code}, got ${String(caught)}`).toBe(code);
  return body as NonNullable<typeof body>;
}

/** Rows that signing writes, to prove a refused call wrote nothing. */
export async function writes(db: Database) {
  const [operations, authorizations, requests] = await Promise.all([
    db.signingOperation.count(),
    db.sealAuthorization.aggregate({ _sum: { usedCount: true } }),
    db.usageRequest.count({ where: { status: 'used' } }),
  ]);
  return { operations, uses: authorizations._sum.usedCount ?? 0, usedRequests: requests };
}
