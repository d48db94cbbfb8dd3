// Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): where the server's samples go,
// by function (self time), by function including callees (total time), and by package.
//
//   npx tsx profile-summary.ts <file.cpuprofile> [top=25] [last=<seconds>]
// `last` keeps only the samples of the final seconds before shutdown (the measured load; the
// start of a profile is module loading and warm-up).
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const [file, topArg, lastArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top] [last seconds]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
const windowStart = lastArg ? profile.endTime - Number(lastArg) * 1e6 : -Infinity;

// Time per node: the sum of the deltas of its samples (µs), within the window.
const selfUs = new Map<number, number>();
let at = profile.startTime;
(profile.samples ?? []).forEach((id, index) => {
  const delta = profile.timeDeltas?.[index] ?? 0;
  at += delta;
  if (at >= windowStart) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
});
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

function where(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '~/')
    .replace(/^\/work\/main\//, '');
  return `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
}

function packageOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inModules?.[1]) return inModules[1];
  if (url.startsWith('node:')) return 'node core';
  const local = url.match(/\/work\/main\/((?:packages|apps|bench)\/[^/]+)/);
  return local?.[1] ?? url;
}

const total = [...selfUs.values()].reduce((sum, value) => sum + value, 0);
const idle = [...selfUs]
  .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
  .reduce((sum, [, us]) => sum + us, 0);
const busy = total - idle;
const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;

function print(title: string, entries: Map<string, number>) {
  console.log(`\n${title}`);
  for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${key}`);
}

const self = new Map<string, number>();
const packages = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node || node.callFrame.functionName === '(idle)') continue;
  self.set(where(node), (self.get(where(node)) ?? 0) + us);
  packages.set(packageOf(node), (packages.get(packageOf(node)) ?? 0) + us);
  // Inclusive: every distinct frame on the stack gets the sample once.
  const seen = new Set<string>();
  for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
    const frame = byId.get(node);
    if (!frame) break;
    const key = where(frame);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

console.log(
  `${file}: ${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s sampled (percentages are of busy time)`,
);
print('By package (self time)', packages);
print('By function (self time)', self);
print('By function including callees', inclusive);
