// The RSA key that signs callbacks: generated on first start into DATA_DIR (git-ignored .data/)
// and reused afterwards. Two processes starting at once agree on one key: the file is created
// exclusively and the loser reads the winner's.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CallbackSigner {
  publicKeyPem: string;
  /** Base64 RSA-SHA256 signature over `${timestamp}.${body}`. */
  sign(timestamp: number, body: string): string;
}

const FILE = 'callback-signing-key.pem';

function loadOrCreate(dataDir: string): KeyObject {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, FILE);
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

export function loadCallbackSigner(dataDir: string): CallbackSigner {
  const privateKey = loadOrCreate(dataDir);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    publicKeyPem,
    sign: (timestamp, body) =>
      sign('sha256', Buffer.from(`${timestamp}.${body}`, 'utf8'), privateKey).toString('base64'),
  };
}
