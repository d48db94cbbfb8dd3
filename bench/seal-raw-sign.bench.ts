// Raw signature rate of the seal service's signer interface (keys/signer.ts: what every CMS and
// PAdES signature goes through) as a share of node:crypto's sign() on the same key and data;
// and, for the record, SM2 (GB/T 32918 with SM3 and the default user id) through the service's
// sm2 signer versus sm-crypto's own signing. Same process, alternating rounds.
//
//   npx tsx seal-raw-sign.bench.ts              # 3 rounds × 1.5 s per variant
//   npx tsx seal-raw-sign.bench.ts --quick      # 2 rounds × 0.75 s
//   npx tsx seal-raw-sign.bench.ts --rounds 5 --seconds 3
import { randomBytes, sign as cryptoSign } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateKeyPair } from '../apps/seal/src/domain/keys/key-algorithm.ts';
import { LocalSigner } from '../apps/seal/src/domain/keys/signer.ts';
import { generateSm2KeyPair } from '../apps/seal/src/domain/sm2/sm2-key.ts';
import { sm2Verify } from '../apps/seal/src/domain/sm2/sm2-signature.ts';
import { LocalSm2Signer } from '../apps/seal/src/domain/sm2/sm2-signer.ts';
import { machine, median, rate } from './seal/fixture.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: { rounds: { type: 'string' }, seconds: { type: 'string' }, quick: { type: 'boolean' } },
});
const ROUNDS = Number(args.rounds ?? (args.quick ? 2 : 3));
const MS = Number(args.seconds ?? (args.quick ? 0.75 : 1.5)) * 1000;
const TARGET = 0.8;

const smCrypto = createRequire(import.meta.url)('sm-crypto') as {
  sm2: { doSignature(m: number[], d: string, o: { der: boolean; hash: boolean; publicKey: string }): string };
};

// What a CMS signer signs: the DER of the signed attributes, about 200 bytes.
const data = randomBytes(200);
const rsa = generateKeyPair('rsa-2048');
const ecdsa = generateKeyPair('ecdsa-p256');
const rsaSigner = new LocalSigner(rsa.privateKey);
const ecdsaSigner = new LocalSigner(ecdsa.privateKey);
const sm2 = generateSm2KeyPair();
const sm2Signer = new LocalSm2Signer(sm2);
const dataArray = [...data];
const sm2Hex = { d: sm2.privateKey.toString('hex'), p: sm2.publicKey.toString('hex') };

// Both SM2 implementations make signatures the other side accepts (checked once, not timed).
if (!sm2Verify(sm2.publicKey, data, await sm2Signer.sign(data))) throw new Error('service SM2 signature invalid');
const theirs = smCrypto.sm2.doSignature(dataArray, sm2Hex.d, { der: true, hash: true, publicKey: sm2Hex.p });
if (!sm2Verify(sm2.publicKey, data, Buffer.from(theirs, 'hex'))) throw new Error('sm-crypto SM2 signature invalid');

const variants = {
  'rsa-2048 service signer': () => rsaSigner.sign(data),
  'rsa-2048 node:crypto sign': () => cryptoSign('sha256', data, rsa.privateKey),
  'ecdsa-p256 service signer': () => ecdsaSigner.sign(data),
  'ecdsa-p256 node:crypto sign': () => cryptoSign('sha256', data, ecdsa.privateKey),
  'sm2 service signer': () => sm2Signer.sign(data),
  'sm2 sm-crypto doSignature': () =>
    smCrypto.sm2.doSignature(dataArray, sm2Hex.d, { der: true, hash: true, publicKey: sm2Hex.p }),
};
type Variant = keyof typeof variants;
for (const once of Object.values(variants)) await rate(once, 200); // warm-up

const rounds: Array<Record<Variant, number>> = [];
for (let round = 0; round < ROUNDS; round++) {
  const entry = {} as Record<Variant, number>;
  for (const [name, once] of Object.entries(variants)) entry[name as Variant] = await rate(once, MS);
  rounds.push(entry);
}
const medians = Object.fromEntries(
  (Object.keys(variants) as Variant[]).map((name) => [name, median(rounds.map((r) => r[name]))]),
) as Record<Variant, number>;
const share = {
  'rsa-2048': medians['rsa-2048 service signer'] / medians['rsa-2048 node:crypto sign'],
  'ecdsa-p256': medians['ecdsa-p256 service signer'] / medians['ecdsa-p256 node:crypto sign'],
};
const result = {
  benchmark: 'seal-raw-sign',
  date: new Date().toISOString(),
  machine: machine(),
  dataBytes: data.length,
  rounds,
  medians,
  shareOfNodeCrypto: share,
  sm2ServiceVsSmCrypto: medians['sm2 service signer'] / medians['sm2 sm-crypto doSignature'],
  target: `service signer ≥ ${TARGET * 100} % of node:crypto sign()`,
};
const m = result.machine;
console.log('# Raw signature rate (200-byte signed attributes)');
console.log();
console.log(
  `- machine: ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, load ${m.loadAverage.join(' ')}`,
);
console.log(`- ${ROUNDS} alternating rounds × ${MS / 1000} s per variant`);
console.log();
console.log('| variant | signatures/s (median) |\n| --- | ---: |');
for (const [name, value] of Object.entries(medians)) console.log(`| ${name} | ${Math.round(value)} |`);
console.log();
for (const [algorithm, value] of Object.entries(share)) {
  console.log(
    `- ${algorithm}: service signer = ${(value * 100).toFixed(0)} % of node:crypto (target ≥ ${TARGET * 100} %: ${value >= TARGET ? 'met' : 'missed'})`,
  );
}
console.log(`- SM2: service signer = ${result.sm2ServiceVsSmCrypto.toFixed(1)}× sm-crypto's doSignature`);
const dir = join(here, 'results');
await mkdir(dir, { recursive: true });
const file = join(dir, 'seal-raw-sign.json');
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`- raw results: ${file}`);
