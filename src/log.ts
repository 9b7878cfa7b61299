// pino with redaction: personal data and secrets never reach a log line. Anything that
// might carry them is listed here, and test/logging.test.ts proves the list holds.
import pino, { type Logger, type DestinationStream } from 'pino';

/** For the records of processing (GDPR Art. 32). */
export const LOG_MEASURE = 'Logs, metric labels and queue payloads carry no personal data or secrets (redacted by field name)';

export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'password',
  '*.password',
  'config',
  '*.config',
  'variables',
  '*.variables',
  'phone',
  '*.phone',
  'email',
  '*.email',
  'name',
  '*.name',
  'body',
  '*.body',
  'pushTokens',
  '*.pushTokens',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    // Standard output written asynchronously: a busy server's request lines share one write
    // instead of blocking the event loop once each. pino flushes what is pending at exit.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * What a log line may say of an error: its type and code, and, for network errors (ECONNREFUSED,
 * ETIMEDOUT ...), the system call and message, which name only an address. Other messages can
 * echo SQL values, commands or request data, so they are left out.
 */
export function errorFields(err: unknown): { type: string; code?: string; syscall?: string; reason?: string } {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; syscall?: unknown; message?: unknown };
  const type = typeof e.name === 'string' ? e.name : typeof err;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (!code) return { type };
  if (!/^E[A-Z]+$/.test(code)) return { type, code };
  return { type, code, syscall: typeof e.syscall === 'string' ? e.syscall : undefined, reason: typeof e.message === 'string' ? e.message : undefined };
}

/**
 * An error listener for connections that report every reconnect attempt while a server is away:
 * at most one line per interval.
 */
export function throttled(log: Logger, message: string, intervalMs = 10_000): (err: unknown) => void {
  let last = 0;
  return (err) => {
    if (Date.now() - last < intervalMs) return;
    last = Date.now();
    log.error({ err: errorFields(err) }, message);
  };
}

export type { Logger };
