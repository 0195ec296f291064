import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggingOptions {
  dataDir: string;
  level?: pino.Level | 'silent';
}

/** Keys whose values never reach a log line, wherever they sit in the logged object. */
const REDACTED_KEYS = ['apiKey', 'authToken', 'token', 'password', 'secret', 'authorization', 'accountSid'];

export const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Structured JSON logs in `<dataDir>/logs/parley.log`. */
export function createFileLogger(options: LoggingOptions): { logger: Logger; flush: () => void } {
  const dir = join(options.dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const destination = pino.destination({ dest: join(dir, 'parley.log'), sync: false, mkdir: true });
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  return {
    logger,
    flush: () => {
      try {
        destination.flushSync();
      } catch {
        // a destination that is not yet open has nothing to flush
      }
    },
  };
}
