// Finds the key-encryption key: KEY_ENCRYPTION_KEY when set; in development and tests a key
// generated once into DATA_DIR (git-ignored). Production never generates one (env.ts refuses it).
// Synchronous on purpose: it runs once while the service is wired, before anything listens.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE_NAME = 'key-encryption-key';
const DEV_PREFIX = 'dev.';

export function decodeKeyEncryptionKey(text: string): Buffer {
  const raw = text.trim().replace(/^dev\./, '');
  const key = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new Error('KEY_ENCRYPTION_KEY must decode to exactly 32 bytes');
  return key;
}

export function loadKeyEncryptionKey(options: {
  configured: string | undefined;
  nodeEnv: 'development' | 'test' | 'production';
  dataDir: string;
}): { key: Buffer; source: 'environment' | 'generated-file' } {
  if (options.configured) {
    if (options.nodeEnv === 'production' && options.configured.startsWith(DEV_PREFIX))
      throw new Error('KEY_ENCRYPTION_KEY is a generated development key, refused in production');
    return { key: decodeKeyEncryptionKey(options.configured), source: 'environment' };
  }
  if (options.nodeEnv === 'production') throw new Error('KEY_ENCRYPTION_KEY is required in production');
  const file = join(options.dataDir, FILE_NAME);
  try {
    return { key: decodeKeyEncryptionKey(readFileSync(file, 'utf8')), source: 'generated-file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // Marked as a development key so that copying it into a production config is refused.
  const text = `${DEV_PREFIX}${randomBytes(32).toString('base64url')}\n`;
  try {
    // 'wx': two processes starting at once must not overwrite each other's key.
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { key: decodeKeyEncryptionKey(readFileSync(file, 'utf8')), source: 'generated-file' };
}
