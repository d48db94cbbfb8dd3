// Sealing a ~100 KB PDF end to end: the seal service's PAdES signer (new revision with a visible
// seal image, CAdES detached CMS with signing-certificate-v2, RSA-2048 through node:crypto)
// against @signpdf (plain placeholder + P12Signer: node-forge PKCS#7, RSA-2048 in JavaScript, an
// invisible signature) on the same PDF, same process, alternating rounds. Both WITHOUT a
// timestamp (@signpdf has no RFC 3161 support), so the comparison is signature + PDF work only.
//
//   npx tsx seal-pades.bench.ts               # 3 rounds × 4 s per side
//   npx tsx seal-pades.bench.ts --quick       # 2 rounds × 2 s
//   npx tsx seal-pades.bench.ts --rounds 5 --seconds 6
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { drawSeal } from '../apps/seal/src/domain/images/seal-image.ts';
import { signPdf } from '../apps/seal/src/domain/pdf/pades-sign.ts';
import { machine, median, rate, sealKey } from './seal/fixture.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: { rounds: { type: 'string' }, seconds: { type: 'string' }, quick: { type: 'boolean' } },
});
const ROUNDS = Number(args.rounds ?? (args.quick ? 2 : 3));
const SECONDS = Number(args.seconds ?? (args.quick ? 2 : 4));
const TARGET = 10;

// One ~100 KB PDF with a classic cross-reference table (the plain placeholder cannot read
// cross-reference streams); the service's signer reads both.
const pdf = await (async () => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < 3; i++) {
    doc.addPage([595.28, 841.89]).drawText(`Contract page ${i + 1}`, { x: 72, y: 760, size: 18, font });
  }
  // Incompressible bytes bring the file to ~100 KB (as a scanned annex would).
  await doc.attach(randomBytes(96 * 1024), 'annex.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
})();
const rsa = await sealKey('rsa-2048');
const ecdsa = await sealKey('ecdsa-p256');
// The seal image is rendered once when a seal is made and kept with it; not per signature.
const image = drawSeal({ shape: 'round', widthMm: 42, heightMm: 42, organisation: '基准测试单位', caption: '' }).raster;

// The same RSA key and certificate for @signpdf, as a PKCS#12 made with node-forge.
const p12 = (() => {
  const key = forge.pki.privateKeyFromPem(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(rsa.certificate.der.toString('binary')));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], 'bench', { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
})();
const signpdf = new SignPdf();

const field = () => ({
  placement: { page: 1, x: 380, y: 80, widthMm: 42, heightMm: 42 },
  image,
  signingTime: new Date(),
  name: '基准测试单位',
  reason: '电子印章',
  location: '福州',
});

const ours = (key: typeof rsa) => () =>
  signPdf(pdf, field(), { signer: key.signer, certificate: key.certificate, chain: key.chain });
const theirs = async () => {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: '电子印章',
    contactInfo: 'bench@example.org',
    name: '基准测试单位',
    location: '福州',
  });
  // A P12Signer consumes its buffer on first use (forge reads it): one per document, as in a server.
  return signpdf.sign(withPlaceholder, new P12Signer(p12, { passphrase: 'bench' }));
};

// Warm-up, and a sanity check that both produce something signed.
const sample = await ours(rsa)();
const their = await theirs();
if (!sample.pdf.includes(Buffer.from('/ETSI.CAdES.detached'))) throw new Error('service output is not PAdES');
if (!their.includes(Buffer.from('/adbe.pkcs7.detached'))) throw new Error('@signpdf output unexpected');
for (let i = 0; i < 3; i++) await Promise.all([ours(rsa)(), ours(ecdsa)(), theirs()]);

const rounds: Array<{ serviceRsa: number; serviceEcdsa: number; signpdf: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  const signpdfRate = await rate(theirs, SECONDS * 1000);
  const serviceRsa = await rate(ours(rsa), SECONDS * 1000);
  const serviceEcdsa = await rate(ours(ecdsa), (SECONDS * 1000) / 2);
  rounds.push({ serviceRsa, serviceEcdsa, signpdf: signpdfRate });
}
const result = {
  benchmark: 'seal-pades',
  date: new Date().toISOString(),
  machine: machine(),
  pdfBytes: pdf.length,
  timestamp: false,
  rounds,
  median: {
    serviceRsaDocsPerSecond: median(rounds.map((r) => r.serviceRsa)),
    serviceEcdsaDocsPerSecond: median(rounds.map((r) => r.serviceEcdsa)),
    signpdfDocsPerSecond: median(rounds.map((r) => r.signpdf)),
  },
  target: `service RSA-2048 ≥ ${TARGET}× @signpdf`,
};
const ratio = result.median.serviceRsaDocsPerSecond / result.median.signpdfDocsPerSecond;
const m = result.machine;
console.log('# Seal a ~100 KB PDF end to end (no timestamp on either side)');
console.log();
console.log(
  `- machine: ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, load ${m.loadAverage.join(' ')}`,
);
console.log(`- PDF: ${pdf.length} bytes, classic xref; ${ROUNDS} alternating rounds × ${SECONDS} s per side`);
console.log();
console.log(`| signer | docs/s (median) |\n| --- | ---: |`);
console.log(
  `| seal service, RSA-2048, visible seal (PAdES B-B) | ${result.median.serviceRsaDocsPerSecond.toFixed(1)} |`,
);
console.log(
  `| seal service, ECDSA P-256, visible seal (PAdES B-B) | ${result.median.serviceEcdsaDocsPerSecond.toFixed(1)} |`,
);
console.log(
  `| @signpdf + placeholder-plain + P12Signer (RSA-2048, invisible) | ${result.median.signpdfDocsPerSecond.toFixed(1)} |`,
);
console.log();
console.log(
  `- ratio service RSA / @signpdf: ${ratio.toFixed(1)}× (target ≥ ${TARGET}×: ${ratio >= TARGET ? 'met' : 'missed'})`,
);
const dir = join(here, 'results');
await mkdir(dir, { recursive: true });
const file = join(dir, 'seal-pades.json');
await writeFile(file, `${JSON.stringify({ ...result, ratio }, null, 2)}\n`);
console.log(`- raw results: ${file}`);
