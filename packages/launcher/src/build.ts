// platform-build: bundles a service (cwd) into dist/main.js with esbuild. Workspace packages
// (@platform/*, TypeScript sources) are bundled in; everything from npm stays an import, so the
// production image installs production dependencies only.
import { build, type PluginBuild } from 'esbuild';

const bundleWorkspace = {
  name: 'external-npm-packages',
  setup(b: PluginBuild) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@platform/') ? undefined : { path: args.path, external: true },
    );
  },
};

try {
  await build({
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [bundleWorkspace],
  });
} catch {
  // esbuild has already printed the errors with their locations.
  process.exit(1);
}
