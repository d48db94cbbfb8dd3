// Access-token verification in @platform/auth vs the raw primitive it cannot beat: one node:crypto
// ES256 verify of the same token's signature. Same process, same tokens, alternating rounds.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import os from 'node:os';
import { createTokenVerifier } from '@platform/auth';
import { startTestIssuer } from '@platform/auth/testing';
import { mkdirSync, writeFileSync } from 'node:fs';

const ROUNDS = Number(process.argv[2] ?? 5);
const PER_ROUND = Number(process.argv[3] ?? 20_000);
const AUDIENCE = 'urn:platform:license';

const issuer = await startTestIssuer();
const verify = createTokenVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
const tokens = await Promise.all(
  Array.from({ length: 64 }, (_, i) =>
    issuer.mint({ sub: `acc-${i}`, aud: AUDIENCE, scope: 'license:read', acr: '2' }),
  ),
);
await verify(tokens[0] ?? '');

const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Array<Record<string, string>> };
const key = createPublicKey({ key: jwks.keys[0] ?? {}, format: 'jwk' });
const parts = tokens.map((t) => {
  const [h, p, s] = t.split('.');
  return { data: Buffer.from(`${h}.${p}`), signature: Buffer.from(s ?? '', 'base64url') };
});

async function measure(label: string, op: (i: number) => unknown): Promise<number> {
  const began = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) await op(i);
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  return PER_ROUND / seconds;
}

const raw: number[] = [];
const ours: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  raw.push(
    await measure('raw', (i) => {
      const part = parts[i % parts.length];
      if (!part || !cryptoVerify('sha256', part.data, { key, dsaEncoding: 'ieee-p1363' }, part.signature))
        throw new Error('bad');
    }),
  );
  ours.push(await measure('auth', (i) => verify(tokens[i % tokens.length] ?? '')));
}
await issuer.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const result = {
  node: process.version,
  cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
  rounds: ROUNDS,
  perRound: PER_ROUND,
  rawNodeCryptoVerifyPerSecond: Math.round(median(raw)),
  authVerifyPerSecond: Math.round(median(ours)),
  ratio: Math.round((median(ours) / median(raw)) * 100) / 100,
};
console.log(`| variant | verifications/s (median of ${ROUNDS}) |\n| --- | --- |`);
console.log(`| raw node:crypto ES256 verify | ${result.rawNodeCryptoVerifyPerSecond} |`);
console.log(`| @platform/auth verify (signature + header + claims) | ${result.authVerifyPerSecond} |`);
console.log(`ratio auth / raw: ${result.ratio} (target ≥ 0.7)`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/auth-verify.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
