// Clients declared in BOOTSTRAP_CLIENTS exist from the first start and follow the configuration on
// every later start (a rotated secret replaces the old one at once).
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';
import { startIdentity } from './support/identity.ts';
import { tokenRequest } from './support/oauth.ts';

const secret = () => randomBytes(32).toString('base64url');
const declared = (clientSecret: string) =>
  JSON.stringify([
    {
      id: 'license-service',
      secret: clientSecret,
      grantTypes: ['client_credentials'],
      scopes: ['seal:sign'],
      resources: ['urn:platform:seal'],
      defaultResource: 'urn:platform:seal',
    },
  ]);

describe('bootstrap clients', () => {
  let database: TestDatabase;
  // Both starts share the database, so they must share the key that seals its signing keys.
  const kek = randomBytes(32).toString('base64url');
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  const grant = (url: string, clientSecret: string) =>
    tokenRequest(
      url,
      { grant_type: 'client_credentials', scope: 'seal:sign' },
      { id: 'license-service', secret: clientSecret },
    );

  it('creates a declared client at start, and a later start with a new secret rotates it', async () => {
    const first = secret();
    const identity = await startIdentity({
      databaseUrl: database.url,
      env: { KEY_ENCRYPTION_KEY: kek, BOOTSTRAP_CLIENTS: declared(first) },
    });
    try {
      const response = await grant(identity.url, first);
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('seal:sign');
    } finally {
      await identity.close();
    }

    const second = secret();
    const restarted = await startIdentity({
      databaseUrl: database.url,
      env: { KEY_ENCRYPTION_KEY: kek, BOOTSTRAP_CLIENTS: declared(second) },
    });
    try {
      expect((await grant(restarted.url, first)).status).toBe(401);
      expect((await grant(restarted.url, second)).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });

  it('refuses malformed declarations with a one-line reason that does not echo the value', () => {
    const base = { NODE_ENV: 'test', DATABASE_URL: database.url };
    expect(() => loadEnv({ ...base, BOOTSTRAP_CLIENTS: '{not json' })).toThrow(/BOOTSTRAP_CLIENTS.*JSON array/);
    const weak = JSON.stringify([{ id: 'weak', secret: 'short-secret', grantTypes: ['client_credentials'] }]);
    let message = '';
    try {
      loadEnv({ ...base, BOOTSTRAP_CLIENTS: weak });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/BOOTSTRAP_CLIENTS.*secret/);
    expect(message).not.toContain('short-secret');
  });
});
