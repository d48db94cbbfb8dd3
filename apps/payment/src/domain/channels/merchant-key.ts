// The platform's merchant key at a channel: refund instructions are signed with it (RSA-SHA256 over
// `${timestamp}.${body}`), so a channel pays money back only on the platform's word. Generated on
// first start into DATA_DIR (git-ignored .data/, mode 0600) and reused; two processes starting at
// once agree on one key (exclusive create, the loser reads the winner's file).
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MerchantSigner {
  /** PEM the channel verifies instructions with (a real bank gets it at on-boarding). */
  publicKeyPem: string;
  /** Base64 RSA-SHA256 signature over `${timestamp}.${body}`. */
  sign(timestamp: number, body: string): string;
}

function loadOrCreate(dataDir: string, file: string): KeyObject {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, file);
  try {
    return createPrivateKey(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  try {
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    return privateKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return createPrivateKey(readFileSync(path, 'utf8'));
  }
}

export function loadMerchantSigner(dataDir: string, channel: string): MerchantSigner {
  const privateKey = loadOrCreate(dataDir, `${channel}-merchant-key.pem`);
  return {
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    sign: (timestamp, body) =>
      sign('sha256', Buffer.from(`${timestamp}.${body}`, 'utf8'), privateKey).toString('base64'),
  };
}
