import { mkdirSync, openSync } from 'node:fs';
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
export function createFileLogger(options: LoggingOptions): { logger: Logger; close: () => void } {
  const dir = join(options.dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  // Opened synchronously so the file exists before the first line and a dispose can always flush it.
  const destination = pino.destination({ fd: openSync(join(dir, 'parley.log'), 'a'), sync: false });
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
    close: () => {
      destination.flushSync();
      destination.end();
    },
  };
}
