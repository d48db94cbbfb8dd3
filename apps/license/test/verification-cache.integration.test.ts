// Online verification keeps license rows between calls (LicenseRowCache). A change made anywhere —
// this replica's API, another replica, plain SQL — must show in the very next verification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LicenseChangeFeed } from '../src/repositories/license-change-feed.ts';
import { drivingLicenceRequest } from './support/fixtures.ts';
import { startLicenseNode, type LicenseNode } from './support/node.ts';

let node: LicenseNode;
beforeAll(async () => {
  node = await startLicenseNode();
});
afterAll(() => node.close());

let caseNo = 0;
const clerk = () => node.client({ scope: 'license:issue license:manage license:read', sub: 'clerk-c' });
const issue = () => clerk().issue.mutate(drivingLicenceRequest(`CASE-CACHE-${++caseNo}`));
const verify = (identifier: string) => node.anonymous.verify.mutate({ identifier });

/** Until the feed's LISTEN is in place nothing is cached; wait for it so the cache is exercised. */
async function verifiedTwice(identifier: string) {
  for (let attempt = 0; attempt < 50 && !(await feedLive()); attempt += 1) {
    await verify(identifier);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await verify(identifier);
  return verify(identifier);
}
const feedLive = async () =>
  (
    await node.db.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN license_changed'`
  )[0]!.n > 0n;

describe('verification cache', () => {
  it('sees a revocation through the API at once', async () => {
    const { identifier } = await issue();
    expect((await verifiedTwice(identifier)).status).toBe('active');
    await clerk().revoke.mutate({ identifier, reason: '吊销' });
    expect(await verify(identifier)).toMatchObject({ valid: false, status: 'revoked' });
  });

  it("sees its own replica's revocation before any notification arrives (read-your-writes)", async () => {
    // A feed that is up but never delivers: only the replica's own bookkeeping can drop the row.
    const silent: LicenseChangeFeed = {
      live: true,
      start: async () => undefined,
      onChange: () => undefined,
      onGap: () => undefined,
      close: async () => undefined,
    };
    const quiet = await startLicenseNode({ licenseChanges: silent });
    try {
      const quietClerk = quiet.client({ scope: 'license:issue license:manage license:read', sub: 'clerk-q' });
      const { identifier } = await quietClerk.issue.mutate(drivingLicenceRequest('CASE-CACHE-QUIET'));
      await quiet.anonymous.verify.mutate({ identifier });
      expect((await quiet.anonymous.verify.mutate({ identifier })).status).toBe('active');
      await quietClerk.revoke.mutate({ identifier, reason: '吊销' });
      expect(await quiet.anonymous.verify.mutate({ identifier })).toMatchObject({ valid: false, status: 'revoked' });
    } finally {
      await quiet.close();
    }
  });

  it('sees a change written by another replica (plain SQL) as soon as it commits', async () => {
    const { identifier } = await issue();
    expect((await verifiedTwice(identifier)).status).toBe('active');
    await node.db.$executeRaw`UPDATE license SET status = 'suspended' WHERE identifier = ${identifier}`;
    // NOTIFY is delivered after commit over another connection: allow it a moment, no more.
    let status: string | null = 'active';
    for (let attempt = 0; attempt < 50 && status === 'active'; attempt += 1) {
      status = (await verify(identifier)).status;
      if (status === 'active') await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(status).toBe('suspended');
  });

  it('answers from the database while the change feed is down, and caches again once it is back', async () => {
    const { identifier } = await issue();
    expect((await verifiedTwice(identifier)).status).toBe('active');
    await node.db.$executeRaw`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query = 'LISTEN license_changed'`;
    // The service learns of the loss when the server's goodbye arrives; give it that moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await node.db.$executeRaw`UPDATE license SET status = 'revoked' WHERE identifier = ${identifier}`;
    expect((await verify(identifier)).status).toBe('revoked');
    // Back online, nothing cached before the gap may be served: the change in it was never announced.
    for (let attempt = 0; attempt < 100 && !(await feedLive()); attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await feedLive()).toBe(true);
    expect((await verify(identifier)).status).toBe('revoked');
  });
});
