import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { LogFile, type LogFileOptions, type LogFileProblem } from './log-file';

export type { Logger };

export interface LoggingOptions {
  dataDir: string;
  level?: pino.Level | 'silent';
  /** Rotation and the disk-failure policy (see LogFile). */
  file?: Omit<LogFileOptions, 'onProblem'>;
  /** Told once when log writes start failing (a full or read-only disk), and with null when they work again. */
  onProblem?: (problem: LogFileProblem | null) => void;
}

export interface FileLog {
  logger: Logger;
  /** Why log lines are not reaching the disk, or null. */
  problem(): LogFileProblem | null;
  close(): void;
}

/**
 * Keys whose values never reach a log line, at any depth, compared without case, `-` or `_`: so
 * `apiKey`, `api_key`, `x-api-key`, `xi-api-key`, `Authorization` and `authToken` are all caught.
 */
const SECRET_KEYS = new Set(
  ['apiKey', 'xApiKey', 'xiApiKey', 'authToken', 'accessToken', 'refreshToken', 'token', 'password', 'passwd', 'secret', 'clientSecret', 'authorization', 'proxyAuthorization', 'cookie', 'setCookie', 'accountSid', 'privateKey', 'credentials'].map(normalizeKey),
);
const CENSOR = '[redacted]';
/** Credentials that travel inside strings (an error message quoting a header or a URL). */
const SECRET_IN_TEXT: Array<[RegExp, (match: string, name: string) => string]> = [
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g, (_match, scheme) => `${scheme} ${CENSOR}`],
  [/\b((?:x-|xi-)?api[-_]?key|access_token|token|password)=[^&\s"']+/gi, (_match, name) => `${name}=${CENSOR}`],
];

function normalizeKey(key: string): string {
  return key.replace(/[-_]/g, '').toLowerCase();
}

/** A copy of `value` with secrets censored; unchanged parts are shared, cycles and depth are bounded. */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { type: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
    for (const [key, item] of Object.entries(value)) copy[key] = SECRET_KEYS.has(normalizeKey(key)) ? CENSOR : redactSecrets(item, depth + 1, seen);
    return copy;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEYS.has(normalizeKey(key)) ? CENSOR : redactSecrets(item, depth + 1, seen);
  return out;
}

function redactText(text: string): string {
  let out = text;
  for (const [pattern, replace] of SECRET_IN_TEXT) out = out.replace(pattern, replace);
  return out;
}

/**
 * Structured JSON logs in `<dataDir>/logs/parley.log`, readable only by the owner (0600), rotated by
 * size (`parley.1.log` …). Writing never throws and never blocks: see LogFile.
 */
export function createFileLogger(options: LoggingOptions): FileLog {
  const dir = join(options.dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'parley.log');
  const destination = new LogFile(file, {
    ...options.file,
    onProblem: (problem) => {
      options.onProblem?.(problem);
      try {
        // The log itself cannot carry this news; standard error can, once per change.
        process.stderr.write(problem ? `parley: log writes to ${file} are failing (${problem.code}): ${problem.message}\n` : `parley: log writes to ${file} work again\n`);
      } catch {
        // no standard error either
      }
    },
  });
  chmodSync(file, 0o600); // a log file from an older version may have been world-readable
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      // Every logged object passes through here, at any depth (pino's own redact paths cannot say "anywhere").
      formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  return {
    logger,
    problem: () => destination.problem(),
    close: () => destination.close(),
  };
}
