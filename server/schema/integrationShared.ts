// What the integration type files share: a paced Notion client for a request, and finding the
// caller's integration.
import { NotFoundError } from '../errors.ts'
import type { Context } from '../context.ts'
import type { IntegrationConfig } from '../generated/prisma/client.ts'
import { makeNotionClient } from '../notion/notionClient.ts'
import { makeNotionPacer, readNotionPace } from '../notion/pacer.ts'
import { makeReadwiseClient } from '../readwise/readwiseClient.ts'
import { makeReadwisePace, makeReadwisePacer } from '../readwise/readwisePace.ts'

// Interactive calls give up rather than keep a request open behind a long Retry-After.
const INTERACTIVE_MAX_WAIT_MS = 10_000
const INTERACTIVE_TIMEOUT_MS = 15_000

export function makeClientFor(ctx: Context, token: string) {
  return makeNotionClient({
    token,
    baseUrl: ctx.config.notionApiBaseUrl,
    pacer: makeNotionPacer(ctx.db, readNotionPace(ctx.config)),
    maxWaitMs: INTERACTIVE_MAX_WAIT_MS,
    timeoutMs: INTERACTIVE_TIMEOUT_MS,
    logger: ctx.logger,
  })
}

/** A Readwise client for a request, paced with every worker's work on the same token. */
export function makeReadwiseClientFor(ctx: Context, token: string) {
  return makeReadwiseClient({
    token,
    baseUrl: ctx.config.readwiseApiBaseUrl,
    pacer: makeReadwisePacer(ctx.db, makeReadwisePace(ctx.config.readwiseRequestsPerMinute)),
    maxWaitMs: INTERACTIVE_MAX_WAIT_MS,
    timeoutMs: INTERACTIVE_TIMEOUT_MS,
  })
}

export async function findIntegration(ctx: Context, userId: number, targetName: string): Promise<IntegrationConfig> {
  const integration = await ctx.db.integrationConfig.findUnique({ where: { userId_targetName: { userId, targetName } } })
  if (!integration) throw new NotFoundError(`No ${targetName} integration is connected`)
  return integration
}
