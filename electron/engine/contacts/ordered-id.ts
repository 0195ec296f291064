import { randomUUID } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): millisecond timestamp first, then a 12-bit sequence within the millisecond,
 * then random bits. Ids made one after another sort one after another, so bulk inserts append to
 * the primary-key index instead of splitting random pages (several times faster for 100k rows).
 */
export function orderedId(now = Date.now()): string {
  if (now <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
  } else {
    lastMs = now;
    sequence = 0;
  }
  // The random part comes from randomUUID (pooled entropy; far cheaper than randomBytes per id).
  const random = randomUUID();
  const time = lastMs.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${sequence.toString(16).padStart(3, '0')}-${random.slice(19)}`;
}
