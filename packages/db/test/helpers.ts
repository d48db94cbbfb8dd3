import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { databaseUrlWithName, ensureDatabase, withClient } from '../src/databases.ts';
import { randomSuffix } from '../src/names.ts';

export const fixtureDir = fileURLToPath(new URL('./fixtures', import.meta.url));
export const fixtureSchema = join(fixtureDir, 'prisma', 'schema.prisma');

export interface ScratchService {
  dir: string;
  schemaPath: string;
  migrationsDir: string;
  remove(): Promise<void>;
}

/** A throwaway service directory: prisma/schema.prisma copied from the fixture, no migrations. */
export async function scratchService(): Promise<ScratchService> {
  const dir = await mkdtemp(join(tmpdir(), 'platform-db-scratch-'));
  await mkdir(join(dir, 'prisma'));
  const schemaPath = join(dir, 'prisma', 'schema.prisma');
  await copyFile(fixtureSchema, schemaPath);
  return {
    dir,
    schemaPath,
    migrationsDir: join(dir, 'prisma', 'migrations'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The run's server (from the global setup). */
export function adminUrl(): string {
  return inject('platformDbAdminUrl');
}

/** A new empty database on the run's server; the global teardown drops it with the run. */
export async function emptyDatabase(): Promise<string> {
  const name = `${inject('platformDbRunId')}_e_${randomSuffix(8)}`;
  await ensureDatabase(adminUrl(), name);
  return databaseUrlWithName(adminUrl(), name);
}

/** A name on the run's server that does not exist yet (dropped with the run if created). */
export function unusedDatabaseUrl(): string {
  return databaseUrlWithName(adminUrl(), `${inject('platformDbRunId')}_u_${randomSuffix(8)}`);
}

export async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []) {
  return withClient(url, async (client) => (await client.query<T>(sql, params)).rows);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const cliPath = fileURLToPath(new URL('../bin/platform-db.js', import.meta.url));

/** Runs the real `platform-db` bin as a separate process. */
export function runCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { cwd: options.cwd, env: options.env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Lines of `ps` that mention `fragment` (e.g. a data directory): running PostgreSQL processes. */
export async function processesMentioning(fragment: string): Promise<string[]> {
  const output = await new Promise<string>((resolve, reject) =>
    execFile('ps', ['-eo', 'pid,args'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  return output.split('\n').filter((line) => line.includes(fragment) && !line.includes('ps -eo'));
}

/** PIDs of processes whose parent is `pid` (a postmaster's workers). */
export async function childrenOf(pid: number): Promise<number[]> {
  const output = await new Promise<string>((resolve, reject) =>
    execFile('ps', ['-eo', 'pid=,ppid='], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, ppid]) => ppid === pid)
    .map(([child]) => child ?? 0);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
