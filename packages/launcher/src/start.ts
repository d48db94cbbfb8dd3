// npm start: builds what it must, starts (or connects to) the databases, migrates, runs every
// service with prefixed logs, and prints where everything is. Ctrl-C stops it all, database too.
import path from 'node:path';
import { clientSettings, loadClientSecrets } from './clients.ts';
import { createOutput } from './console-output.ts';
import { developmentSealSettings } from './dev-seals.ts';
import { prepareDatabases, type PlatformDatabases } from './database.ts';
import { childEnv, colourWanted, loadLauncherEnv } from './env.ts';
import { isPortFree, runCommand, spawnService, waitForHttp, type RunningChild } from './processes.ts';
import { ownSettings, repoRoot, serviceLinks, serviceSpecs } from './services.ts';

const out = createOutput(colourWanted());

async function main(): Promise<void> {
  const env = loadLauncherEnv();
  const specs = serviceSpecs(env);
  const running: Array<{ name: string; proc: RunningChild }> = [];
  // Filled in as things start, so that stopAll releases exactly what was started.
  const started: { databases?: PlatformDatabases } = {};
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    out.step('stopping services');
    for (const { proc } of running) proc.child.kill('SIGTERM');
    await Promise.all(
      running.map(({ proc }) => Promise.race([proc.exited, new Promise((r) => setTimeout(r, 12_000))])),
    );
    for (const { proc } of running) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    if (started.databases) {
      out.step('stopping the database');
      await started.databases.stop();
    }
    out.done('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  for (const spec of specs) {
    if (!(await isPortFree(spec.port)))
      throw new Error(
        `port ${spec.port} (${spec.name}) is already in use; stop what uses it or set ${spec.name.toUpperCase()}_PORT`,
      );
  }

  out.step('building services (turbo run build; cached when unchanged)');
  await runCommand(path.join(repoRoot, 'node_modules/.bin/turbo'), ['run', 'build', '--output-logs=errors-only'], {
    cwd: repoRoot,
    env: childEnv({}),
  });
  out.done('build ready');

  try {
    await startPlatform();
  } catch (error) {
    out.fail(error instanceof Error ? error.message : String(error));
    await stopAll(1);
  }

  async function startPlatform(): Promise<void> {
    const databases = await prepareDatabases(env, specs, out);
    started.databases = databases;
    const clients = clientSettings(
      loadClientSecrets(path.resolve(repoRoot, env.PLATFORM_DATA_DIR)),
      `http://localhost:${env.CONSOLE_PORT}`,
    );
    const seals = developmentSealSettings(env.NODE_ENV);

    for (const [index, spec] of specs.entries()) {
      out.step(`starting ${spec.name} on port ${spec.port}`);
      const proc = spawnService(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
        cwd: spec.dir,
        env: childEnv({
          ...serviceLinks(specs, env),
          ...ownSettings(spec, env),
          ...clients[spec.name],
          ...seals[spec.name],
          NODE_ENV: env.NODE_ENV,
          LOG_LEVEL: env.LOG_LEVEL,
          ...(spec.database ? { DATABASE_URL: databases.urls.get(spec.name) ?? '' } : {}),
        }),
        onLine: out.prefixer(spec.name, index),
      });
      running.push({ name: spec.name, proc });
      const state = await waitForHttp(`http://127.0.0.1:${spec.port}/readyz`, proc, 60_000);
      if (state !== 'ready') {
        const why =
          state === 'exited' ? `exited: ${proc.lastLines.at(-1) ?? 'no output'}` : 'did not become ready within 60 s';
        out.fail(`${spec.name} ${why}`);
        await stopAll(1);
        return;
      }
      out.done(`${spec.name} ready`);
      void proc.exited.then((code) => {
        if (!stopping) {
          out.fail(`${spec.name} stopped unexpectedly (exit ${code}); stopping the platform`);
          void stopAll(1);
        }
      });
    }

    out.table([
      ['service', 'url', 'health', 'API docs'],
      ...specs.map((s) => [
        s.name,
        `http://localhost:${s.port}`,
        `http://localhost:${s.port}/readyz`,
        `http://localhost:${s.port}/docs`,
      ]),
    ]);
    out.done(
      `platform running (${databases.kind === 'embedded' ? 'embedded PostgreSQL' : 'configured databases'}); Ctrl-C stops everything`,
    );
  }
}

main().catch((error: unknown) => {
  out.fail(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
