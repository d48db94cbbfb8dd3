// `npm test` in test/e2e: runs the end-to-end suite when a container engine answers, builds the
// service images first when they are missing, and otherwise says so in one line and skips (or
// fails, with E2E_REQUIRE_CONTAINERS=1, as CI does).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containerEngineAnswers } from '@platform/db/testing';
import { childEnv, loadE2eEnv } from './env.ts';
import { missingImages } from './support/images.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const env = loadE2eEnv();

if (!(await containerEngineAnswers(env.DOCKER_HOST))) {
  const line = 'e2e: no container engine answers (DOCKER_HOST or /var/run/docker.sock): end-to-end suite skipped';
  if (env.E2E_REQUIRE_CONTAINERS) {
    console.error(`${line.replace('skipped', 'REQUIRED')} (E2E_REQUIRE_CONTAINERS is set)`);
    process.exit(1);
  }
  console.log(line);
  process.exit(0);
}

const missing = await missingImages(env);
if (missing.length > 0) {
  console.log(`e2e: building missing images (${missing.join(', ')}) with infra/build-images.sh`);
  const build = spawnSync(join(repoRoot, 'infra', 'build-images.sh'), { stdio: 'inherit', env: childEnv({}) });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const vitest = spawnSync(join(repoRoot, 'node_modules', '.bin', 'vitest'), ['run', ...process.argv.slice(2)], {
  cwd: here,
  stdio: 'inherit',
  env: childEnv({}),
});
process.exit(vitest.status ?? 1);
