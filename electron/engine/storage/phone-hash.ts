import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** SQL function the dialer's do-not-call check uses to match numbers kept only as a hash. */
export const PHONE_HASH_SQL_FUNCTION = 'parley_phone_hash';

const KEY_FILE = 'phone-hash.key';

/**
 * The per-install key of phone hashes: 32 random bytes in `<dataDir>/phone-hash.key` (0600), made on
 * first use. Kept outside the database so a copied database alone cannot test guesses of a number.
 */
export function phoneHashKey(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, randomBytes(32));
      closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = readFileSync(path);
  if (key.length < 32) throw new Error(`${path} is damaged (expected 32 bytes)`);
  return key;
}

/** One-way HMAC-SHA256 of an E.164 number. */
export function phoneHash(key: Buffer, phoneE164: string): string {
  return createHmac('sha256', key).update(phoneE164.trim()).digest('hex');
}
