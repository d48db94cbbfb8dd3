// Signing keys: stored encrypted in the database (replicas share them), rotated on schedule with an
// overlap window on both sides, and refused when the key-encryption key does not match.
import { randomBytes } from 'node:crypto';
import { createLogger } from '@platform/service-kit';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { createIdentityCore } from '../src/composition.ts';
import { createDatabase } from '../src/db.ts';
import { loadEnv } from '../src/env.ts';
import { createClient, startIdentity, type TestIdentity } from './support/identity.ts';
import { tokenRequest } from './support/oauth.ts';

const DAY = 24 * 3600;

describe('signing keys', () => {
  let identity: TestIdentity;
  let client: { id: string; secret: string | null };

  beforeAll(async () => {
    identity = await startIdentity({ env: { SIGNING_KEY_ROTATION_DAYS: '30', SIGNING_KEY_OVERLAP_HOURS: '24' } });
    client = await createClient(identity, {
      id: 'svc',
      grantTypes: ['client_credentials'],
      scopes: ['x:read'],
      resources: ['urn:platform:license'],
      defaultResource: 'urn:platform:license',
    });
  });
  afterAll(() => identity?.close());

  const jwksKids = async () =>
    (
      (await (await fetch(`${identity.url}/oidc/jwks`)).json()) as {
        keys: Array<{ kid: string; alg: string; use: string; d?: string }>;
      }
    ).keys;
  const token = async () =>
    String((await tokenRequest(identity.url, { grant_type: 'client_credentials' }, client)).body.access_token);
  const introspect = async (value: string) =>
    (await tokenRequest(identity.url, { token: value }, client, '/oidc/introspect')).body;
  const rotate = async (seconds: number) => {
    identity.clock.advanceSeconds(seconds);
    await identity.core.keys.rotateIfDue();
  };

  it('keeps private keys encrypted at rest and publishes only public halves', async () => {
    const rows = await identity.core.repositories.keys.all();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.privateKeyEnc).toMatch(/^v1\./);
    expect(row?.privateKeyEnc).not.toContain('BEGIN');
    expect(row?.kekId).toBe(identity.core.box.kekId);
    const keys = await jwksKids();
    expect(keys).toEqual([
      expect.objectContaining({ kid: row?.kid, alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' }),
    ]);
    expect(keys[0]?.d).toBeUndefined();
  });

  it('pre-publishes the next key, switches on schedule and keeps the old one through the overlap', async () => {
    const [first] = await jwksKids();
    const oldToken = await token();
    expect(decodeProtectedHeader(oldToken).kid).toBe(first?.kid);

    // 29 days in: the next key appears in the JWKS a day before it signs.
    await rotate(29 * DAY);
    const published = await jwksKids();
    expect(published).toHaveLength(2);
    expect(decodeProtectedHeader(await token()).kid).toBe(first?.kid);
    const next = published.find((key) => key.kid !== first?.kid);

    // Day 30: the new key signs; the old one still verifies its tokens.
    await rotate(DAY + 60);
    expect(decodeProtectedHeader(await token()).kid).toBe(next?.kid);
    expect((await jwksKids()).map((key) => key.kid)).toContain(first?.kid);

    // A day later the old key leaves the JWKS, and its tokens no longer verify.
    await rotate(DAY + 60);
    expect((await jwksKids()).map((key) => key.kid)).toEqual([next?.kid]);
    expect(await introspect(oldToken)).toEqual({ active: false });
  });

  it('lets replicas share keys: a second instance on the same database signs with the same key', async () => {
    const replica = await startIdentity({
      databaseUrl: identity.env.DATABASE_URL,
      clock: identity.clock,
      env: { KEY_ENCRYPTION_KEY: identity.env.KEY_ENCRYPTION_KEY ?? '' },
    });
    try {
      const fromReplica = String(
        (await tokenRequest(replica.url, { grant_type: 'client_credentials' }, client)).body.access_token,
      );
      expect(decodeProtectedHeader(fromReplica).kid).toBe(decodeProtectedHeader(await token()).kid);
      expect(await identity.core.repositories.keys.all()).toHaveLength(1);
    } finally {
      await replica.service.close();
    }
  });

  it('refuses to sign with keys encrypted under another key-encryption key', async () => {
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: identity.env.DATABASE_URL,
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    });
    const db = createDatabase(env.DATABASE_URL);
    try {
      const core = createIdentityCore(env, db, createLogger({ service: 'identity', level: 'silent' }), {
        clock: new ManualClock(identity.clock.now()),
      });
      await expect(core.keys.current()).rejects.toThrow(/another KEY_ENCRYPTION_KEY/);
    } finally {
      await db.$disconnect();
    }
  });
});
