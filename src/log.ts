// pino with redaction: personal data and secrets never reach a log line. Anything that
// might carry them is listed here, and test/logging.test.ts proves the list holds.
import pino, { type Logger, type DestinationStream } from 'pino';

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
    destination,
  );
}

export type { Logger };
