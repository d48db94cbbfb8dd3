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
