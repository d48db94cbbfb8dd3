// `npm run ledger:check -w @platform/payment`: checks the ledger invariants on DATABASE_URL and
// exits 1 when any is violated (for operators and CI smoke checks).
import { createDatabase } from '../db.ts';
import { checkLedgerInvariants } from '../domain/ledger/invariants.ts';
import { loadEnv } from '../env.ts';

const env = loadEnv();
const db = createDatabase(env.DATABASE_URL);
try {
  const report = await checkLedgerInvariants(db);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await db.$disconnect();
}
