import { randomUUID } from 'node:crypto';

/** The last 17 characters of a v4 UUID: variant nibble plus 60 random bits, drawn once per process. */
const PROCESS_TAIL = randomUUID().slice(18);
const SEQUENCE_HEX = Array.from({ length: 0x1000 }, (_, i) => i.toString(16).padStart(3, '0'));

let lastMs = 0;
let sequence = 0;
let timePrefix = '';

/**
 * A UUIDv7 (RFC 9562): millisecond timestamp, then a 12-bit sequence within the millisecond, then
 * random bits chosen once per process (time and sequence already make ids unique within it).
 * Ids made one after another sort one after another, so bulk inserts append to the primary-key
 * index instead of splitting random pages, and making one costs a string concatenation.
 */
export function orderedId(now = Date.now()): string {
  if (now <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
      timePrefix = '';
    }
  } else {
    lastMs = now;
    sequence = 0;
    timePrefix = '';
  }
  if (!timePrefix) {
    const time = lastMs.toString(16).padStart(12, '0');
    timePrefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-7`;
  }
  return `${timePrefix}${SEQUENCE_HEX[sequence]}${PROCESS_TAIL}`;
}
