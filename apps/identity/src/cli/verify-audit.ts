// `npm run audit:verify -w @platform/identity`: walks the audit hash chain of DATABASE_URL and
// exits 1 (naming the first bad row) when a row was changed or removed.
import { AuditLog } from '../domain/security/audit-log.ts';
import { createDatabase } from '../db.ts';
import { loadEnv } from '../env.ts';
import { AuditEventRepository } from '../repositories/audit-events.ts';
import { systemClock } from '../clock.ts';

const env = loadEnv();
const db = createDatabase(env.DATABASE_URL);
try {
  const result = await new AuditLog(new AuditEventRepository(db), systemClock).verify();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await db.$disconnect();
}
