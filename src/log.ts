// pino with redaction: personal data and secrets never reach a log line. Every field name that
// might carry them is listed here, and test/logging.test.ts proves the list holds.
import pino, { type Logger, type DestinationStream } from 'pino';

/** For the records of processing (GDPR Art. 32). */
export const LOG_MEASURE = 'Logs, metric labels and queue payloads carry no personal data or secrets (redacted by field name)';

/** Field names whose values never reach a log line, wherever they sit in it. */
const REDACTED_FIELDS = new Set(['authorization', 'cookie', 'secret', 'apiKey', 'token', 'password', 'config', 'variables', 'phone', 'email', 'name', 'body', 'pushTokens']);
const CENSOR = '[redacted]';
/** Objects nested deeper than this are not looked into, and not logged. */
const MAX_DEPTH = 4;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * `value` with every redacted field censored. What holds none is returned as it is: a request
 * line allocates nothing here (pino's own path-based redaction cloned and re-parsed its paths on
 * every line, a fifth of all a request allocated).
 */
function redacted(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = redacted(value[i], depth + 1);
      if (item !== value[i]) (copy ??= [...value])[i] = item;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  if (depth > MAX_DEPTH) return CENSOR;
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const field = value[key];
    const kept = REDACTED_FIELDS.has(key) ? CENSOR : redacted(field, depth + 1);
    if (kept !== field) (copy ??= { ...value })[key] = kept;
  }
  return copy ?? value;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      formatters: { level: (label) => ({ level: label }), log: (fields) => redacted(fields, 0) as Record<string, unknown> },
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
