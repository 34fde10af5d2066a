// Row filters for reads: everything is the caller's own. Which scope a field needs is stated on the
// field or its type (authScopes, server/builder.ts), not here.
import type { Context } from '../context.ts'
import { API_TARGET_NAMES } from '../targets.ts'

/** The user id whose rows this caller may read, or -1 (matches no row). */
export function readableUserId(ctx: Context): number {
  return ctx.viewer ? ctx.viewer.userId : -1
}

/** A findUnique `where` for a node id, limited to the caller's readable rows. */
export function ownedNodeWhere(id: string, ctx: Context): { id: number; userId: number } {
  const n = Number(id)
  return { id: Number.isSafeInteger(n) ? n : -1, userId: readableUserId(ctx) }
}

/** Sync records of targets the API names (IntegrationTarget); others, e.g. left by a newer version, are not shown. */
export const API_TARGETS_WHERE = { targetName: { in: [...API_TARGET_NAMES] } }
