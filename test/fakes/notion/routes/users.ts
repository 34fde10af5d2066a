import { ok } from '../errors.ts'
import { renderBotUser } from '../shapes.ts'
import type { RequestContext, Reply } from './context.ts'

/** GET /v1/users/me — the integration's bot user. */
export function retrieveSelf(ctx: RequestContext): Reply {
  return ok(renderBotUser(ctx.store, ctx.integration))
}
