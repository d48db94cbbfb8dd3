// Where the key-encryption key comes from: configuration in production; in development and tests
// a generated one kept in the git-ignored data folder, so restarts keep their keys.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyEncryptionKey, type KeyEncryptionKey } from './key-encryption.ts';

export class KekConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KekConfigError';
  }
}

const DEV_KEK_FILE = 'development-kek.key';

/** Decodes a 32-byte key given as 64 hex characters or as base64. */
export function decodeKek(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? bytes : undefined;
}

export function resolveKek(options: {
  nodeEnv: 'development' | 'test' | 'production';
  configured: string | undefined;
  dataDir: string;
}): KeyEncryptionKey {
  if (options.configured !== undefined) {
    const key = decodeKek(options.configured);
    if (!key) throw new KekConfigError('KEY_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64');
    return keyEncryptionKey(key, false);
  }
  if (options.nodeEnv === 'production') {
    throw new KekConfigError('KEY_ENCRYPTION_KEY is required in production; development keys are refused');
  }
  const file = join(options.dataDir, DEV_KEK_FILE);
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process starting at the same moment made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  const key = decodeKek(readFileSync(file, 'utf8'));
  if (!key) throw new KekConfigError(`${file} does not hold a 32-byte key`);
  return keyEncryptionKey(key, true);
}
