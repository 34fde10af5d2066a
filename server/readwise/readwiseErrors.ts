// Expected failures of connecting and checking a Readwise integration, each saying what the user
// can do. Messages never hold the token.
import { AppError } from '../errors.ts'
import { READWISE_TOKEN_REJECTED_MESSAGE } from './readwiseCallError.ts'

export class ReadwiseTokenRejectedError extends AppError {
  override readonly code = 'READWISE_TOKEN_REJECTED'
  constructor(message = READWISE_TOKEN_REJECTED_MESSAGE) {
    super(message)
    this.name = 'ReadwiseTokenRejectedError'
  }
}

export class ReadwiseUnreachableError extends AppError {
  override readonly code = 'READWISE_UNREACHABLE'
  constructor(
    /** The HTTP status Readwise answered, or null when no answer came (network, timeout). */
    readonly status: number | null,
    message = status === null ? 'Readwise could not be reached (network error or timeout); try again in a moment' : `Readwise answered ${status}; try again in a moment`,
  ) {
    super(message)
    this.name = 'ReadwiseUnreachableError'
  }
}

export class ReadwiseRateLimitedError extends AppError {
  override readonly code = 'READWISE_RATE_LIMITED'
  constructor(readonly retryAfterSeconds: number) {
    super(`Readwise asked this token to slow down; try again in ${retryAfterSeconds} s`)
    this.name = 'ReadwiseRateLimitedError'
  }
}

export type ReadwiseFailure = ReadwiseTokenRejectedError | ReadwiseUnreachableError | ReadwiseRateLimitedError
