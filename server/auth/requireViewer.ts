// Access checks for resolvers: who is calling, with which scope. Failures are typed results.
import { NotAllowedError, NotAuthenticatedError } from '../errors.ts'
import type { Context } from '../context.ts'
import type { Scope, Viewer } from './authenticate.ts'

export function requireViewer(ctx: Context, scope?: Scope): Viewer {
  if (!ctx.viewer) throw new NotAuthenticatedError()
  if (scope && !ctx.viewer.scopes.has(scope)) throw new NotAllowedError(`This token lacks the "${scope}" scope`)
  return ctx.viewer
}

/** Account management (tokens, sign-out) is for dashboard sessions, not API tokens. */
export function requireSession(ctx: Context): Viewer {
  const viewer = requireViewer(ctx)
  if (viewer.kind !== 'session') throw new NotAllowedError('Manage tokens from a signed-in session, not with an API token')
  return viewer
}

/** The caller's user id for row filters; -1 (matches nothing) when nobody is signed in. */
export function viewerUserId(ctx: Context): number {
  return ctx.viewer?.userId ?? -1
}
