// Who is calling, for resolvers. Which scope a field needs is stated on the field or its type
// (authScopes, server/builder.ts); this only hands a resolver the signed-in viewer.
import { NotAuthenticatedError } from '../errors.ts'
import type { Context } from '../context.ts'
import type { Viewer } from './authenticate.ts'

export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new NotAuthenticatedError()
  return ctx.viewer
}

/** The caller's user id for row filters; -1 (matches nothing) when nobody is signed in. */
export function viewerUserId(ctx: Context): number {
  return ctx.viewer?.userId ?? -1
}
