// The Error interface and the expected-failure types every mutation can return (errors plugin).
import { builder } from '../builder.ts'
import { AppError, ConflictError, NotAllowedError, NotAuthenticatedError, NotFoundError, RateLimitedError, ValidationError } from '../errors.ts'

export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  description: 'An expected failure: something the caller can act on.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code', { description: 'Stable machine-readable code, e.g. NOT_FOUND, INVALID_INPUT, RATE_LIMITED.' }),
  }),
})

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ValidationError,
  fields: (t) => ({ field: t.exposeString('field', { nullable: true, description: 'The input field at fault, as a dotted path.' }) }),
})

builder.objectType(NotFoundError, { name: 'NotFoundError', interfaces: [ErrorInterface], isTypeOf: (v) => v instanceof NotFoundError })
builder.objectType(NotAuthenticatedError, { name: 'NotAuthenticatedError', interfaces: [ErrorInterface], isTypeOf: (v) => v instanceof NotAuthenticatedError })
builder.objectType(NotAllowedError, { name: 'NotAllowedError', interfaces: [ErrorInterface], isTypeOf: (v) => v instanceof NotAllowedError })
builder.objectType(ConflictError, { name: 'ConflictError', interfaces: [ErrorInterface], isTypeOf: (v) => v instanceof ConflictError })
builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof RateLimitedError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
})

/** The failures any signed-in mutation can meet. */
export const AUTH_ERRORS = [NotAuthenticatedError, NotAllowedError] as const
