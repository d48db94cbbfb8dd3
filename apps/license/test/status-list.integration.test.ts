// The database's bit numbering (PostgreSQL set_bit) matches the W3C list the verifier reads, for
// any set of positions; and slot scrambling never gives two licenses the same index.
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { TrustStore, getBit, readStatusListCredential } from '@platform/license-verifier';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseCore, type LicenseCore } from '../src/composition.ts';
import { createDatabase, type Database } from '../src/db.ts';
import { STATUS_LIST_SIZE, indexOfSlotNumber, slotOfIndex } from '../src/domain/status/status-lists.ts';
import { testEnv } from './support/env.ts';
import { creditCode } from './support/fixtures.ts';

let database: TestDatabase;
let db: Database;
let core: LicenseCore;
beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url);
  core = createLicenseCore(testEnv(database.url), db);
});
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

describe('status lists', () => {
  it('maps status indexes one-to-one within a list (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 3 * STATUS_LIST_SIZE - 1 }), { minLength: 2, maxLength: 500 }),
        (slots) => {
          const indexes = slots.map(indexOfSlotNumber);
          return (
            new Set(indexes).size === indexes.length &&
            slots.every((slot, i) => slotOfIndex(indexes[i] ?? 0).listNumber === Math.floor(slot / STATUS_LIST_SIZE))
          );
        },
      ),
    );
  });

  it('serves exactly the bits set in the database, at W3C positions (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: STATUS_LIST_SIZE - 1 }), { maxLength: 40 }),
        async (positions) => {
          const issuer = creditCode(`1137000000000${String(run++).padStart(4, '0')}`);
          await core.repositories.licenses.transaction(async (tx) => {
            await tx.ensureStatusList(issuer, 'revocation', 0, STATUS_LIST_SIZE / 8);
            for (const position of positions) await tx.setStatusBit(issuer, 'revocation', 0, position, true);
          });
          const jwt = await core.statusLists.signed(issuer, 'revocation', 0);
          const trust = new TrustStore([{ id: core.keys.issuerId(issuer), jwks: await core.keys.jwks(issuer) }]);
          const list = readStatusListCredential(jwt ?? '', trust);
          expect(list.bits.length * 8).toBe(STATUS_LIST_SIZE);
          const set = new Set(positions);
          let count = 0;
          for (const byte of list.bits) for (let b = byte; b; b &= b - 1) count++;
          return count === set.size && positions.every((p) => getBit(list.bits, p));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('re-signs a list only when it changed', async () => {
    const issuer = creditCode('11370000000099990');
    await core.repositories.licenses.transaction((tx) =>
      tx.ensureStatusList(issuer, 'suspension', 0, STATUS_LIST_SIZE / 8),
    );
    const first = await core.statusLists.signed(issuer, 'suspension', 0);
    expect(await core.statusLists.signed(issuer, 'suspension', 0)).toBe(first);
    await core.repositories.licenses.transaction((tx) => tx.setStatusBit(issuer, 'suspension', 0, 5, true));
    expect(await core.statusLists.signed(issuer, 'suspension', 0)).not.toBe(first);
    expect(await core.statusLists.signed(issuer, 'unknown' as never, 0)).toBeNull();
  });
});
