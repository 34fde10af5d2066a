// probe_integration { integrationId, attempt? }: is the target back? If so, transiently failed items
// are queued again; if not, look again later (5 min, growing to 30 min).
import type { Task } from 'graphile-worker'
import { makeProbeJobKey, probeIntegration } from '../../server/sync/probeIntegration.ts'
import type { SyncDeps } from '../../server/sync/syncDeps.ts'

export function makeProbeIntegrationTask(deps: SyncDeps, options: { baseDelayMs: number }): Task {
  return async (payload, helpers) => {
    const p = payload as { integrationId?: unknown; attempt?: number }
    if (!Number.isSafeInteger(p?.integrationId)) throw new Error('probe_integration needs { integrationId }')
    const attempt = p.attempt ?? 1
    const outcome = await probeIntegration(deps, p.integrationId as number)
    helpers.logger.info(`probe of integration ${p.integrationId}: ${JSON.stringify(outcome)}`)
    if (outcome.kind === 'still_down') {
      const delay = Math.min(30 * 60_000, options.baseDelayMs * 2 ** Math.min(attempt - 1, 3))
      await helpers.addJob('probe_integration', { integrationId: p.integrationId, attempt: attempt + 1 }, { jobKey: makeProbeJobKey(p.integrationId as number), runAt: new Date(Date.now() + delay) })
    }
  }
}
