// The audit log is hash-chained: verification passes on an untouched log and names the first
// changed or missing row otherwise; concurrent writers still produce one valid chain.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/domain/security/audit-log.ts';
import { AuditEventRepository } from '../src/repositories/audit-events.ts';
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

  it('keeps one chain when several replicas append at once', async () => {
    // Each replica remembers the tail it wrote last; the others' appends make that stale, and the
    // chain must still come out whole, every entry kept exactly once.
    const replicas = Array.from(
      { length: 3 },
      () => new AuditLog(new AuditEventRepository(identity.core.db), identity.clock),
    );
    const before = await identity.core.db.auditEvent.count();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        replicas[i % replicas.length]!.record({ type: 'test.replica', detail: { i } }),
      ),
    );
    const written = await identity.core.db.auditEvent.findMany({
      where: { type: 'test.replica' },
      select: { detail: true },
    });
    expect(written.map((row) => (row.detail as { i: number }).i).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, i) => i),
    );
    expect(await identity.core.db.auditEvent.count()).toBe(before + 60);
    expect(await identity.core.audit.verify()).toMatchObject({ ok: true, checked: before + 60 });
    // And the service's own log, whose remembered tail is now stale, still appends onto the chain.
    await identity.core.audit.record({ type: 'test.after_replicas' });
    expect(await identity.core.audit.verify()).toMatchObject({ ok: true, checked: before + 61 });
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
