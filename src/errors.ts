// Domain errors carry the contract's error codes; the GraphQL layer turns them into
// GraphQL errors (src/schema/errors.ts). Domain modules throw these, never GraphQL types.

export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONSENT_REQUIRED',
  'PROCESSING_RESTRICTED',
  'RECIPIENT_OBJECTED',
  'NO_CHANNEL_CONFIGURED',
  'IDEMPOTENCY_CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault, for BAD_USER_INPUT. */
  readonly field?: string;

  constructor(code: ErrorCode, message: string, opts: { field?: string } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = opts.field;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field });
