// A running license node for integration tests: its own database, a stand-in identity issuer for
// access tokens, a manual clock, the seed types, and a typed client over real HTTP.
import { createLicenseClient, errorBodyOf, type ErrorCode } from '@platform/contracts';
import { startTestIssuer, type TestIssuer } from '@platform/auth/testing';
import { findFreePort } from '@platform/db';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { listenForTest, type RunningService } from '@platform/service-kit/testing';
import { expect } from 'vitest';
import { createLicenseService } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { createLicenseCore, type LicenseCore } from '../../src/composition.ts';
import type { LicenseChangeFeed } from '../../src/repositories/license-change-feed.ts';
import type { LicenseSealer } from '../../src/domain/files/license-sealer.ts';
import type { FileSealVerifier } from '../../src/domain/verification/file-verification.ts';
import { createDatabase, type Database } from '../../src/db.ts';
import { RESOURCE } from '../../src/meta.ts';
import { testEnv } from './env.ts';

export interface TokenClaims {
  sub?: string;
  scope?: string;
  acr?: string;
  subject_code?: string;
  client_id?: string;
  act?: { sub: string };
}

export interface LicenseNode {
  url: string;
  db: Database;
  core: LicenseCore;
  clock: ManualClock;
  issuer: TestIssuer;
  token(claims?: TokenClaims): Promise<string>;
  client(claims?: TokenClaims): ReturnType<typeof createLicenseClient>;
  anonymous: ReturnType<typeof createLicenseClient>;
  close(): Promise<void>;
}

/**
 * `reachable`: the node's PUBLIC_URL is its real address, so its JWKS and status lists can be
 * fetched by another node (a second region in mutual-recognition tests).
 */
export async function startLicenseNode(
  options: {
    reachable?: boolean;
    /** A token issuer shared with other services in the test (e.g. the seal service). */
    issuer?: TestIssuer;
    /** Seals license files (default: none, files stay pending_seal). */
    sealer?: LicenseSealer;
    /** Verifies uploaded files' seals (default: none). */
    sealVerifier?: FileSealVerifier;
    env?: Record<string, string>;
    /** Where verification learns of changes (default: the real LISTEN feed). */
    licenseChanges?: LicenseChangeFeed;
  } = {},
): Promise<LicenseNode> {
  const issuer = options.issuer ?? (await startTestIssuer());
  const database: TestDatabase = await createTestDatabase();
  const clock = new ManualClock(new Date());
  const port = options.reachable ? await findFreePort() : 0;
  const env = testEnv(database.url, {
    IDENTITY_ISSUER_URL: issuer.issuer,
    ...(options.reachable ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    ...options.env,
  });
  const db = createDatabase(database.url);
  const core = createLicenseCore(env, db, {
    clock,
    ...(options.sealer ? { sealer: options.sealer } : {}),
    ...(options.sealVerifier ? { sealVerifier: options.sealVerifier } : {}),
    ...(options.licenseChanges ? { licenseChanges: options.licenseChanges } : {}),
  });
  await core.types.seed();
  const service = createLicenseService(env, db, { core });
  const running: RunningService = options.reachable
    ? { url: `http://127.0.0.1:${await service.listen(port, '127.0.0.1')}`, close: () => service.close() }
    : await listenForTest(service);
  const token = (claims: TokenClaims = {}) => issuer.mint({ sub: 'clerk-1', aud: RESOURCE, scope: '', ...claims });
  return {
    url: running.url,
    db,
    core,
    clock,
    issuer,
    token,
    client: (claims = {}) => createLicenseClient({ url: running.url, getToken: () => token(claims) }),
    anonymous: createLicenseClient({ url: running.url }),
    async close() {
      await running.close();
      if (!options.issuer) await issuer.close();
      await database.drop();
    },
  };
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
