// The audit log is hash-chained: verification passes on an untouched log and names the first
// changed or missing row otherwise; concurrent writers still produce one valid chain.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, registerUser, startIdentity, type TestIdentity } from './support/identity.ts';

describe('audit log', () => {
  let identity: TestIdentity;

  beforeAll(async () => {
    identity = await startIdentity();
  });
  afterAll(() => identity?.close());

  // Tampering as someone with database access would: behind the service's back.
  const sql = (text: string) => identity.core.db.$executeRawUnsafe(text);

  it('records security events and verifies the chain, also under concurrent writes', async () => {
    const user = await registerUser(identity);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => identity.core.audit.record({ type: 'test.concurrent', detail: { i } })),
    );
    const admin = api(identity, await adminToken(identity));
    const events = await admin.admin.audit.list.query({ accountId: user.id });
    expect(events.map((event) => event.type)).toContain('account.registered');
    const result = await admin.admin.audit.verify.query();
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(40);
  });

  const verifyCommand = async () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    try {
      const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'audit:verify'], {
        cwd,
        env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: identity.env.DATABASE_URL },
      });
      return { code: 0, result: JSON.parse(stdout) as unknown };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, result: JSON.parse(failed.stdout) as unknown };
    }
  };

  it('detects a changed row, also through the verify command', async () => {
    expect(await verifyCommand()).toMatchObject({ code: 0, result: { ok: true } });
    await sql(`UPDATE audit_event SET detail = '{"i": 999}' WHERE seq = 5`);
    const result = await identity.core.audit.verify();
    expect(result).toMatchObject({ ok: false, brokenAt: { seq: '5', reason: 'hash_mismatch' } });
    expect(await verifyCommand()).toEqual({ code: 1, result });
  });

  it('detects a deleted row', async () => {
    await sql(`DELETE FROM audit_event WHERE seq <= 5`);
    await sql(`DELETE FROM audit_event WHERE seq = 10`);
    // With rows 1–5 gone the chain starts at 6: the first gap is reported.
    const result = await identity.core.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.brokenAt?.reason).toBe('gap');
  });
});
