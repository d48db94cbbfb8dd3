// Expired rows are purged; the audit log is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userTokens } from './support/flows.ts';
import { registerUser, startIdentity, type TestIdentity } from './support/identity.ts';

describe('housekeeping', () => {
  let identity: TestIdentity;
  beforeAll(async () => {
    identity = await startIdentity();
  });
  afterAll(() => identity?.close());

  it('purges expired codes, token records and counters, and never the audit log', async () => {
    const user = await registerUser(identity);
    await userTokens(identity, user);
    const auditBefore = await identity.core.audit.verify();
    expect(await identity.core.housekeeping.run()).toMatchObject({ codes: 0, accessTokens: 0 });
    identity.clock.advanceSeconds(3 * 24 * 3600);
    const purged = await identity.core.housekeeping.run();
    expect(purged).toMatchObject({ codes: 1, accessTokens: 1, otps: 1 });
    expect(purged.counters).toBeGreaterThan(0);
    expect(await identity.core.audit.verify()).toEqual(auditBefore);
  });
});
