import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newMasterKey, parseMasterKey } from '../lib/crypto/envelope.ts';
import type { Logger } from '../lib/logger.ts';

export const MASTER_KEY_FILE = 'master.key';

/**
 * The master key comes from FOREWARN_MASTER_KEY. Only in demo mode may Forewarn make one itself, kept
 * beside the embedded database, because a demo has nothing worth protecting and must start with no setup.
 */
export function resolveMasterKey(opts: { fromEnv?: string; demo: boolean; dataDir: string; logger: Logger }): Buffer {
  if (opts.fromEnv) return parseMasterKey(opts.fromEnv);
  if (!opts.demo) {
    throw new Error('FOREWARN_MASTER_KEY is not set. Generate one with `openssl rand -base64 32` and keep it in your secret store.');
  }
  const file = join(opts.dataDir, MASTER_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true });
    writeFileSync(file, newMasterKey() + '\n', { mode: 0o600 });
    opts.logger.warn({ file }, 'demo mode: generated a master key beside the data; never do this in production');
  }
  chmodSync(file, 0o600);
  return parseMasterKey(readFileSync(file, 'utf8').trim());
}
