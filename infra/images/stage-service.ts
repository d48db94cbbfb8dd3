// Stages the build context of one service image: its esbuild bundle (platform-build), a bundled
// migration command, its migrations, and exactly the npm packages the bundles import at run time
// (with their production dependencies, copied from this checkout's installed node_modules). The
// image then needs no npm install, no registry and no dev dependencies.
//
//   tsx infra/images/stage-service.ts <service> <stage dir>
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type PluginBuild } from 'esbuild';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Packages needed at run time although no static import names them: loaded with createRequire, or
 * (the CJK font packages/pdf-text embeds in license files and receipts) resolved from a table of
 * paths the import scan below cannot see.
 */
const CJK_FONT = '@expo-google-fonts/noto-serif-sc';
const EXTRA_PACKAGES: Record<string, string[]> = {
  seal: ['sm-crypto'],
  license: [CJK_FONT],
  payment: [CJK_FONT],
};

/**
 * Big packages of which a service uses a few files: keep only these (paths inside the package).
 * Everything else in them is for other databases, other platforms or other font weights.
 */
const KEEP_ONLY: Record<string, RegExp[]> = {
  '@prisma/client': [
    /^package\.json$/,
    /^LICENSE/,
    /^runtime\/client\.(m?js)$/,
    /^runtime\/query_compiler_fast_bg\.postgresql\./,
  ],
  // The two weights packages/pdf-text embeds (cjk-font.ts FONT_FILES).
  [CJK_FONT]: [
    /^package\.json$/,
    /^LICENSE/,
    /^400Regular\/NotoSerifSC_400Regular\.ttf$/,
    /^700Bold\/NotoSerifSC_700Bold\.ttf$/,
  ],
};

/** Files no running service reads. */
const DROP = /(\.d\.[mc]?ts|\.map|\.md|\.markdown|\.tsbuildinfo)$/i;

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

async function main(): Promise<void> {
  const [service, stageArg] = process.argv.slice(2);
  if (!service || !stageArg) throw new Error('usage: stage-service.ts <service> <stage dir>');
  const appDir = join(repoRoot, 'apps', service);
  if (!existsSync(join(appDir, 'package.json'))) throw new Error(`no such service: apps/${service}`);
  const stage = resolve(stageArg);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'dist'), { recursive: true });

  // The app's own build script: platform-build for the services, vite build first for the console.
  const run = spawnSync('npm', ['run', '--silent', 'build'], { cwd: appDir, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`npm run build failed in apps/${service}`);
  for (const file of readdirSync(join(appDir, 'dist')))
    cpSync(join(appDir, 'dist', file), join(stage, 'dist', file), { recursive: true });

  const migrations = join(appDir, 'prisma', 'migrations');
  const bundles = [join(stage, 'dist', 'main.js')];
  if (existsSync(migrations)) {
    cpSync(migrations, join(stage, 'prisma', 'migrations'), { recursive: true });
    bundles.push(join(stage, 'dist', 'migrate.js'));
  }
  await bundleMigrate(stage, existsSync(migrations));
  const imported = await Promise.all(bundles.map(importedPackages));
  const roots = new Set([...imported.flat(), ...(EXTRA_PACKAGES[service] ?? [])]);
  const copied = copyPackageClosure([...roots], appDir, stage);
  writeFileSync(
    join(stage, 'package.json'),
    `${JSON.stringify({ name: `@platform/${service}-image`, private: true, type: 'module' }, null, 2)}\n`,
  );
  cpSync(join(repoRoot, 'infra/images/service-entrypoint.sh'), join(stage, 'entrypoint.sh'));
  console.log(`staged ${service}: ${copied} packages (${[...roots].sort().join(', ')})`);
}

/** The one-shot migration command of the image (the same applyMigrations as platform-db migrate). */
async function bundleMigrate(stage: string, wanted: boolean): Promise<void> {
  if (!wanted) return;
  await build({
    entryPoints: [join(repoRoot, 'infra/images/migrate.ts')],
    outfile: join(stage, 'dist', 'migrate.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        // Same rule as platform-build: workspace sources are bundled, npm packages stay imports.
        name: 'external-npm-packages',
        setup(b: PluginBuild) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@platform/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
}

/**
 * npm package names a bundle imports: esbuild re-reads the bundle and reports every static and
 * dynamic import it leaves external; `createRequire(...).resolve("pkg/file")` calls are found by
 * pattern (esbuild does not follow them).
 */
async function importedPackages(bundle: string): Promise<string[]> {
  const names = new Set<string>();
  const packageName = (specifier: string) => {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  };
  await build({
    entryPoints: [bundle],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
    plugins: [
      {
        name: 'record-imports',
        setup(b: PluginBuild) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (!args.path.startsWith('node:') && !isBuiltin(packageName(args.path))) names.add(packageName(args.path));
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const code = readFileSync(bundle, 'utf8');
  for (const match of code.matchAll(/\.resolve\(\s*["']((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^"']*)?["']/g))
    if (match[1] && !isBuiltin(match[1])) names.add(match[1]);
  return [...names];
}

const isBuiltin = (name: string) => builtinModules.includes(name);

/** Node's lookup: the nearest node_modules/<name> above `fromDir`. */
function findPackage(fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Copies each package and its production dependencies. A package keeps its place relative to
 * node_modules (nested copies stay nested); packages installed in a workspace folder move to the
 * top, where the bundle (now at the image root) finds them.
 */
function copyPackageClosure(roots: string[], appDir: string, stage: string): number {
  const placed = new Map<string, string>(); // destination → source
  const queue: Array<{ name: string; from: string; optional: boolean }> = roots.map((name) => ({
    name,
    from: appDir,
    optional: false,
  }));
  while (queue.length > 0) {
    const { name, from, optional } = queue.shift() as { name: string; from: string; optional: boolean };
    const source = findPackage(from, name);
    if (!source) {
      if (optional) continue;
      throw new Error(`package ${name} (needed from ${relative(repoRoot, from) || '.'}) is not installed`);
    }
    const destination = destinationOf(source, stage);
    const already = placed.get(destination);
    if (already === source) continue;
    if (already) throw new Error(`two versions of ${name} would land at ${relative(stage, destination)}`);
    placed.set(destination, source);
    copyPackage(name, source, destination);

    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as PackageJson;
    const deps = Object.keys(manifest.dependencies ?? {}).filter((dep) => !dep.startsWith('@types/'));
    for (const dep of deps) queue.push({ name: dep, from: source, optional: false });
    for (const dep of Object.keys(manifest.optionalDependencies ?? {}))
      queue.push({ name: dep, from: source, optional: true });
    for (const dep of Object.keys(manifest.peerDependencies ?? {}))
      if (!manifest.peerDependenciesMeta?.[dep]?.optional && dep !== 'typescript' && !dep.startsWith('@types/'))
        queue.push({ name: dep, from: source, optional: true });
  }
  return placed.size;
}

function destinationOf(source: string, stage: string): string {
  const path = relative(repoRoot, source).split(sep);
  const first = path.indexOf('node_modules');
  return join(stage, ...path.slice(first));
}

function copyPackage(name: string, source: string, destination: string): void {
  const keep = KEEP_ONLY[name];
  cpSync(source, destination, {
    recursive: true,
    dereference: true,
    filter: (file) => {
      const inside = relative(source, file).split(sep).join('/');
      if (inside === '') return true;
      // Nested node_modules are copied as packages of their own, only when depended on.
      if (inside === 'node_modules' || inside.startsWith('node_modules/')) return false;
      if (statSync(file).isDirectory()) return true;
      if (keep) return keep.some((pattern) => pattern.test(inside));
      return !DROP.test(inside) || /^LICEN[CS]E/i.test(inside);
    },
  });
}

main().catch((error: unknown) => {
  console.error(`stage-service: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
