// The usage log under concurrent verifications: entries written together (group commit) still form
// one unbroken chain per holder, and a bad entry fails alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIRM_CODE,
  OTHER_PERSON_ID,
  PERSON_ID,
  businessLicenceRequest,
  drivingLicenceRequest,
} from './support/fixtures.ts';
import { UsageLog } from '../src/domain/usage/usage-log.ts';
import { UsageRepository } from '../src/repositories/usage.ts';
import { startLicenseNode, type LicenseNode } from './support/node.ts';

let node: LicenseNode;
let drivingLicence: string;
let businessLicence: string;
beforeAll(async () => {
  node = await startLicenseNode();
  const clerk = node.client({ scope: 'license:issue' });
  drivingLicence = (await clerk.issue.mutate(drivingLicenceRequest('CASE-U-1'))).identifier;
  businessLicence = (await clerk.issue.mutate(businessLicenceRequest('CASE-U-2'))).identifier;
});
afterAll(() => node.close());

describe('usage log group commit', () => {
  it('records each of 60 concurrent verifications once, in one intact chain per holder', async () => {
    const verifier = node.client({ sub: 'counter-7', scope: 'license:verify' });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        verifier.verify.mutate({ identifier: i % 3 === 0 ? businessLicence : drivingLicence }),
      ),
    );
    expect(results.every((result) => result.authentic && result.valid)).toBe(true);
    const person = await node.core.usage.forHolder(PERSON_ID);
    const firm = await node.core.usage.forHolder(FIRM_CODE);
    expect(person.chainIntact).toBe(true);
    expect(firm.chainIntact).toBe(true);
    expect(person.entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(firm.entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(person.entries.map((entry) => entry.actor))).toEqual(new Set(['counter-7']));
  });

  it('keeps one chain per holder when several replicas append for the same holders at once', async () => {
    // Each replica remembers the tails it wrote; the others' appends make them stale.
    const replicas = Array.from(
      { length: 3 },
      () => new UsageLog(new UsageRepository(node.db), { now: () => new Date() }),
    );
    const holders = ['REPLICA-HOLDER-A', 'REPLICA-HOLDER-B', 'REPLICA-HOLDER-C'];
    const entry = (holderCode: string, actor: string) =>
      ({ holderCode, licenseId: null, identifier: null, action: 'fetch', actor, purpose: null }) as const;
    // The node's own log writes first, so the tail it remembers goes stale below.
    await node.core.usage.record(entry('REPLICA-HOLDER-A', 'before-replicas'));
    const before = await Promise.all(
      holders.map(async (holder) => (await node.core.usage.forHolder(holder)).entries.length),
    );
    await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        replicas[i % 3]!.record({
          holderCode: holders[Math.floor(i / 3) % 3]!,
          licenseId: null,
          identifier: null,
          action: 'fetch',
          actor: `replica-${i % 3}`,
          purpose: `entry ${i}`,
        }),
      ),
    );
    for (const [index, holder] of holders.entries()) {
      const log = await node.core.usage.forHolder(holder);
      expect(log.chainIntact).toBe(true);
      expect(log.entries).toHaveLength(before[index]! + 30);
    }
    // The node's own log, whose remembered tails are now stale, still appends onto the chains.
    await node.core.usage.record(entry('REPLICA-HOLDER-A', 'after-replicas'));
    const holderA = await node.core.usage.forHolder('REPLICA-HOLDER-A');
    expect(holderA.chainIntact).toBe(true);
    expect(holderA.entries.map((row) => row.actor).at(-1)).toBe('after-replicas');
    expect(holderA.entries).toHaveLength(32);
  });

  it('fails only the entry that cannot be stored, not the others written with it', async () => {
    const record = (purpose: string) =>
      node.core.usage.record({
        holderCode: OTHER_PERSON_ID,
        licenseId: null,
        identifier: null,
        action: 'fetch',
        actor: 'bank-loan-app',
        purpose,
      });
    const outcomes = await Promise.allSettled([record('贷款审批'), record('x'.repeat(501)), record('开户')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const log = await node.core.usage.forHolder(OTHER_PERSON_ID);
    expect(log.chainIntact).toBe(true);
    expect(log.entries.map((entry) => entry.purpose)).toEqual(['贷款审批', '开户']);
  });
});
