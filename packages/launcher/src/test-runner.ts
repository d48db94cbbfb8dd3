// npm test: one real PostgreSQL for the whole run (TEST_DATABASE_URL, else a container, else
// embedded), the migration drift check of every service, then every workspace's tests and type
// checks (which include the router-contract type tests) through turbo.
import path from 'node:path';
import { checkDrift } from '@platform/db';
import { provisionTestServer } from '@platform/db/testing';
import { createOutput } from './console-output.ts';
import { childEnv, colourWanted, loadLauncherEnv } from './env.ts';
import { runCommand } from './processes.ts';
import { repoRoot, serviceSpecs } from './services.ts';

const out = createOutput(colourWanted());

async function main(): Promise<number> {
  const env = loadLauncherEnv();
  out.step('provisioning a PostgreSQL server for the tests');
  const server = await provisionTestServer();
  out.done(`PostgreSQL ready (${server.kind})`);
  try {
    out.step('checking that every service’s migrations match its schema.prisma');
    const drifted: string[] = [];
    for (const spec of serviceSpecs(env).filter((s) => s.database)) {
      const report = await checkDrift({
        schemaPath: path.join(spec.dir, 'prisma', 'schema.prisma'),
        migrationsDir: path.join(spec.dir, 'prisma', 'migrations'),
        databaseUrl: server.adminUrl,
      });
      if (report.drift) {
        drifted.push(spec.name);
        out.fail(
          `${spec.name}: schema.prisma and migrations disagree; run \`npm run db:migrate:create -w @platform/${spec.name} -- NAME\`. Missing SQL:\n${report.sql}`,
        );
      } else out.done(`${spec.name}: no drift`);
    }
    if (drifted.length) return 1;

    out.step('running type checks (including router-contract type tests) and all test suites');
    // Three suites at a time: each starts servers and databases, and CI has two cores.
    await runCommand(
      path.join(repoRoot, 'node_modules/.bin/turbo'),
      ['run', 'typecheck', 'test', '--continue', '--concurrency=3'],
      {
        cwd: repoRoot,
        env: childEnv({ TEST_DATABASE_URL: server.adminUrl }),
        inherit: true,
      },
    );
    out.done('all tests passed');
    return 0;
  } catch (error) {
    out.fail(error instanceof Error ? (error.message.split('\n')[0] ?? 'failed') : String(error));
    return 1;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    out.fail(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
