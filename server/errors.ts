// Expected failures: values the schema describes (errors plugin), never masked. Anything else that
// is thrown is unexpected and reaches clients as a generic message.
export class AppError extends Error {
  readonly code: string = 'ERROR'
}

export class ValidationError extends AppError {
  override readonly code = 'INVALID_INPUT'
  constructor(message: string, readonly field?: string) {
    super(message)
    this.name = 'ValidationError'
  }
}

export class NotFoundError extends AppError {
  override readonly code = 'NOT_FOUND'
  constructor(message = 'Not found') {
    super(message)
    this.name = 'NotFoundError'
  }
}

export class NotAuthenticatedError extends AppError {
  override readonly code = 'NOT_AUTHENTICATED'
  constructor(message = 'Sign in, or send an API token as Authorization: Bearer <token>') {
    super(message)
    this.name = 'NotAuthenticatedError'
  }
}

export class NotAllowedError extends AppError {
  override readonly code = 'NOT_ALLOWED'
  constructor(message = 'This token is not allowed to do that') {
    super(message)
    this.name = 'NotAllowedError'
  }
}

export class RateLimitedError extends AppError {
  override readonly code = 'RATE_LIMITED'
  constructor(readonly retryAfterSeconds: number, message = `Too many requests; retry after ${retryAfterSeconds} s`) {
    super(message)
    this.name = 'RateLimitedError'
  }
}

export class ConflictError extends AppError {
  override readonly code = 'CONFLICT'
  constructor(message: string) {
    super(message)
    this.name = 'ConflictError'
  }
}

/** PostgreSQL error codes mapped in one place (unique violation → conflict). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; cause?: { code?: string } }
  return e?.code === 'P2002' || e?.code === '23505' || e?.meta?.code === '23505' || e?.cause?.code === '23505'
}
