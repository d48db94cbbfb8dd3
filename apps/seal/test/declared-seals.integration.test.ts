// BOOTSTRAP_SEALS: development seals brought to active through the real lifecycle and authorised,
// once however often the service starts; refused in production.
import { randomBytes } from 'node:crypto';
import { creditCodeCheckChar } from '@platform/identifiers';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealCoreFor } from '../src/app.ts';
import { createDatabase, type Database } from '../src/db.ts';
import { BOOTSTRAP_APPLICANT, BOOTSTRAP_APPROVER, declareSeals } from '../src/domain/seals/declared-seals.ts';
import { loadEnv } from '../src/env.ts';

const ORG = '11370000MB2850471';
const orgCode = ORG + creditCodeCheckChar(ORG);
const declaration = JSON.stringify([
  {
    orgCode,
    orgName: '山东省市场监督管理局',
    kind: 'official',
    authorize: { subjects: ['license-service'], documentTypes: ['license'] },
  },
]);

describe('declared development seals', () => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  const env = () =>
    loadEnv({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      BOOTSTRAP_SEALS: declaration,
    });

  it('makes each declared seal active through the four-eyes lifecycle and authorises it, once', async () => {
    const settings = env();
    const core = createSealCoreFor(settings, db);
    const parts = { ...core, now: () => new Date() };
    await declareSeals(parts, settings.BOOTSTRAP_SEALS);
    await declareSeals(parts, settings.BOOTSTRAP_SEALS);

    const seals = await core.lifecycle.list({ orgCode, limit: 10 });
    expect(seals.map((seal) => [seal.kind, seal.status, seal.name])).toEqual([
      ['official', 'active', '山东省市场监督管理局公章'],
    ]);
    const events = await core.lifecycle.events(seals[0]!.id);
    expect(events.map((event) => [event.toStatus, event.actor])).toEqual([
      ['applied', BOOTSTRAP_APPLICANT],
      ['approved', BOOTSTRAP_APPROVER],
      ['made', BOOTSTRAP_APPLICANT],
      ['filed', BOOTSTRAP_APPLICANT],
      ['active', BOOTSTRAP_APPROVER],
    ]);
    const grants = await core.authorizations.list(seals[0]!.id);
    expect(grants.map((grant) => [grant.subjects, grant.documentTypes, grant.maxUses, grant.requiresApproval])).toEqual(
      [[['license-service'], ['license'], null, false]],
    );
  });

  it('is refused in production, and a malformed declaration is named without echoing it', () => {
    expect(() =>
      loadEnv({
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        BOOTSTRAP_SEALS: declaration,
      }),
    ).toThrow(/BOOTSTRAP_SEALS.*for development/);
    expect(() =>
      loadEnv({ NODE_ENV: 'test', DATABASE_URL: database.url, BOOTSTRAP_SEALS: '[{"orgCode":"x"}]' }),
    ).toThrow(/BOOTSTRAP_SEALS/);
  });
});
