// The Readwise connection failures as GraphQL types implementing Error (errors plugin).
import { builder } from '../builder.ts'
import { ReadwiseRateLimitedError, ReadwiseTokenRejectedError, ReadwiseUnreachableError } from '../readwise/readwiseErrors.ts'
import { ErrorInterface } from './errors.ts'

builder.objectType(ReadwiseTokenRejectedError, {
  name: 'ReadwiseTokenRejectedError',
  description: 'Readwise does not accept the access token (401).',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ReadwiseTokenRejectedError,
})

builder.objectType(ReadwiseUnreachableError, {
  name: 'ReadwiseUnreachableError',
  description: 'Readwise did not answer, or answered with a server error; retry later.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ReadwiseUnreachableError,
  fields: (t) => ({ status: t.exposeInt('status', { nullable: true, description: 'The HTTP status, or null when no answer came.' }) }),
})

builder.objectType(ReadwiseRateLimitedError, {
  name: 'ReadwiseRateLimitedError',
  description: "Readwise asked this token to wait (its limit, shared by all of the token's work).",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ReadwiseRateLimitedError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
})

/** What checking a Readwise token on the user's behalf can answer. */
export const READWISE_CALL_ERRORS = [ReadwiseTokenRejectedError, ReadwiseUnreachableError, ReadwiseRateLimitedError] as const
