// What a refused field answers: NotAuthenticatedError without a valid token, else NotAllowedError
// naming the scopes the token lacks (from scope-auth's failure tree).
import type { AuthFailure, ForbiddenResult } from '@pothos/plugin-scope-auth'
import { NotAllowedError, NotAuthenticatedError } from '../errors.ts'
import type { Context } from '../context.ts'

function missingScopes(failure: AuthFailure): string[] {
  switch (failure.kind) {
    case 'AuthScope':
      return [failure.scope]
    case 'AnyAuthScopes':
    case 'AllAuthScopes':
      return failure.failures.flatMap(missingScopes)
    default:
      return []
  }
}

export function makeScopeError(ctx: Context, result: ForbiddenResult): Error {
  if (!ctx.viewer) return new NotAuthenticatedError()
  const scopes = [...new Set(missingScopes(result.failure))].filter((s) => s !== 'signedIn')
  if (scopes.includes('session')) return new NotAllowedError('Manage tokens from a signed-in session, not with an API token')
  if (!scopes.length) return new NotAllowedError()
  return new NotAllowedError(`This token lacks the ${scopes.map((s) => `"${s}"`).join(' and ')} scope${scopes.length > 1 ? 's' : ''}`)
}
