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

/** What each code means to a client; the schema's ErrorCode enum describes its values with these. */
export const ERROR_CODE_DESCRIPTIONS: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'No valid credentials: send "Authorization: Bearer <API key or JWT>".',
  FORBIDDEN: "The caller's role does not allow this in that tenant.",
  NOT_FOUND: 'The id names nothing, names another type, or a row the caller cannot see; `extensions.field` names the argument when known.',
  BAD_USER_INPUT: 'The request or an input value is invalid; the message names the field and `extensions.field` holds its path.',
  CONSENT_REQUIRED: 'The recipient has not granted consent for this channel and purpose (CONSENT purposes); record it with recordConsent first.',
  PROCESSING_RESTRICTED: 'Processing of the recipient is restricted (GDPR Art. 18): nothing may be sent to them.',
  RECIPIENT_OBJECTED: 'The recipient objected (GDPR Art. 21) to LEGITIMATE_INTEREST processing: nothing may be sent on such a purpose.',
  NO_CHANNEL_CONFIGURED: 'The tenant has no enabled channel (or COUPON plugin) for this send; configure one with configureChannel.',
  IDEMPOTENCY_CONFLICT: 'The idempotencyKey was used within 24 hours with different input.',
  RATE_LIMITED: 'Too many requests; retry after the time the message gives.',
  INTERNAL_SERVER_ERROR: 'An unexpected failure on the service side; nothing about it is shown. Retry later.',
};

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
