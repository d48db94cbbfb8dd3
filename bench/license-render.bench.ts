// Rendering license files in-process (renderLicensePdf, the worker's step before sealing): the first
// file of the process (font loading and parsing included) and then warm files one after another, for
// each seed type's layout. No database, no seal service: the PDF alone.
//
//   npx tsx license-render.bench.ts                 # 200 warm files per layout
//   npx tsx license-render.bench.ts --quick         # 30 warm files per layout
//   node --cpu-prof --cpu-prof-dir=results/profiles/license-render --import tsx license-render.bench.ts --quick
//   npx tsx profile-summary.ts results/profiles/license-render/CPU.*.cpuprofile 30
//   BENCH_RENDERER=/path/to/license-pdf.ts npx tsx license-render.bench.ts --quick
//     renders with another version of the renderer: the same sha256 means byte-identical files.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release as osRelease, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FieldValue } from '@platform/contracts';
import { formatLicenseIdentifier } from '@platform/identifiers';
import type { LicenseDocument, renderLicensePdf as Renderer } from '@platform/license/src/domain/files/license-pdf.ts';
import { SEED_TYPES } from '@platform/license/src/domain/types/seed-types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, files: { type: 'string' } } });
const { renderLicensePdf } = (await import(
  process.env.BENCH_RENDERER ?? '@platform/license/src/domain/files/license-pdf.ts'
)) as { renderLicensePdf: typeof Renderer };
const warmFiles = Number(args.files ?? (args.quick ? 30 : 200));
if (!Number.isInteger(warmFiles) || warmFiles < 1) throw new Error(`--files must be a positive integer`);

/** A plausible value for a field of a seed type (the text a clerk would type, in Chinese). */
function sampleValue(schema: { type?: string; format?: string; enum?: unknown[]; title?: string }, i: number) {
  if (schema.enum?.length) return schema.enum[0] as FieldValue;
  if (schema.type === 'array') return ['C1'];
  if (schema.type === 'boolean') return true;
  if (schema.type === 'number' || schema.type === 'integer') return 120.5 + i;
  if (schema.format === 'date') return '2019-06-18';
  return `${schema.title ?? '内容'}：山东省济南市历下区泺源大街${100 + i}号泉城软件有限公司`;
}

function documentOf(type: (typeof SEED_TYPES)[number], i: number): LicenseDocument {
  const properties = type.fieldSchema.properties as Record<string, { title?: string }>;
  // A GB/T 36904 identifier as issuing makes them, and the verification URL of a deployed node.
  const identifier = formatLicenseIdentifier({
    typeCode: type.code,
    issuerCode: type.issuingAuthority.code,
    serial: `2026${String(i).padStart(7, '0')}`,
    version: 1,
  });
  return {
    identifier,
    typeName: type.name,
    layout: type.layout,
    issuer: { name: type.issuingAuthority.name, code: type.issuingAuthority.code },
    holder: { name: `泉城软件${i}号有限公司`, codeType: 'credit_code', code: '91370102MA3C8U7P4X' },
    fields: Object.entries(properties).map(([name, schema]) => ({
      label: schema.title ?? name,
      value: sampleValue(schema, i),
    })),
    validFrom: new Date('2026-01-05T02:00:00Z'),
    validUntil: i % 2 ? null : new Date('2031-01-04T16:00:00Z'),
    issuedAt: new Date('2026-01-05T02:00:00Z'),
    verificationUrl: `https://license.jinan.gov.cn/verify/${identifier}`,
  };
}

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const round = (value: number) => Math.round(value * 100) / 100;

const cpuList = cpus();
const machine = {
  node: process.version,
  platform: `${process.platform} ${osRelease()} ${process.arch}`,
  cpuCount: cpuList.length,
  cpuModel: cpuList[0]?.model ?? 'unknown',
  memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  loadAverageAtStart: loadavg().map(round),
};

const firstAt = process.hrtime.bigint();
const first = await renderLicensePdf(documentOf(SEED_TYPES[0]!, 0));
const firstMs = ms(firstAt);

// A digest over every file rendered: equal digests from two versions of the renderer mean
// byte-identical files (pdf-lib's output is deterministic: fixed dates, seeded name suffixes).
const digest = createHash('sha256').update(first.pdf);
const layouts = [];
for (const type of SEED_TYPES) {
  const times: number[] = [];
  let bytes = 0;
  const cpuAt = process.cpuUsage();
  for (let i = 1; i <= warmFiles; i++) {
    const at = process.hrtime.bigint();
    const { pdf } = await renderLicensePdf(documentOf(type, i));
    times.push(ms(at));
    bytes += pdf.length;
    digest.update(pdf);
  }
  const cpu = process.cpuUsage(cpuAt);
  times.sort((a, b) => a - b);
  layouts.push({
    type: type.name,
    orientation: type.layout.orientation,
    files: warmFiles,
    medianMs: round(percentile(times, 0.5)),
    p90Ms: round(percentile(times, 0.9)),
    maxMs: round(times.at(-1)!),
    cpuMsPerFile: round((cpu.user + cpu.system) / 1000 / warmFiles),
    averageKb: round(bytes / warmFiles / 1024),
  });
}

console.log('# License file rendering (renderLicensePdf, in-process, one file at a time)');
console.log();
console.log(
  `- machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}`,
);
const [load1 = 0] = machine.loadAverageAtStart;
if (load1 > machine.cpuCount / 2)
  console.log(
    `- WARNING: load average ${load1} on ${machine.cpuCount} CPUs before the run: other work competes, figures will be noisy`,
  );
console.log(
  `- first file of the process (fonts read and parsed): ${firstMs.toFixed(0)} ms, ${(first.pdf.length / 1024).toFixed(1)} KB`,
);
const outputDigest = digest.digest('hex');
console.log(`- sha256 over all ${1 + warmFiles * SEED_TYPES.length} files rendered: ${outputDigest}`);
console.log();
console.log('| layout | files | median ms | p90 ms | max ms | CPU ms/file | KB/file |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const l of layouts)
  console.log(
    `| ${l.type} (${l.orientation}) | ${l.files} | ${l.medianMs} | ${l.p90Ms} | ${l.maxMs} | ${l.cpuMsPerFile} | ${l.averageKb} |`,
  );

const dir = join(here, 'results');
await mkdir(dir, { recursive: true });
const file = join(dir, 'license-render.json');
await writeFile(
  file,
  `${JSON.stringify(
    {
      benchmark: 'license-render',
      at: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: loadavg().map(round) },
      firstFileMs: round(firstMs),
      outputDigest,
      layouts,
    },
    null,
    2,
  )}\n`,
);
console.log();
console.log(`- raw results: ${file}`);
