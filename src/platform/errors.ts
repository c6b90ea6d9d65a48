/**
 * Expected failures: one error type with a closed list of codes. The HTTP edge turns a code into a
 * status; the CLI prints the message on one line. Anything else thrown is a bug (500).
 */
export const errorStatus = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked_out: 429,
  rate_limited: 429,
  migration: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string, id: string | number): AppError =>
  new AppError('not_found', `${what} ${id} was not found`, { resource: what, id });

export const invalid = (field: string, message: string): AppError =>
  new AppError('validation', `${field}: ${message}`, { field });

/** A broken invariant: stops the request or job, which rolls back. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant broken: ${message}`);
}
