// sync_notebook { integrationId, notebookId, attempt? }: bring one notebook up to date at one
// target. Transient failures reschedule this job (same key) after Retry-After or a backoff with
// jitter; the attempt limit is explicit.
import type { Task } from 'graphile-worker'
import { runSync, type SyncDeps } from '../../server/sync/runSync.ts'
import { makeSyncJobKey, makeSyncQueueName } from '../../server/sync/syncJobs.ts'
import { makeBackoffMs } from '../backoff.ts'
import { makeProbeJobKey } from '../../server/sync/probeIntegration.ts'

export const SYNC_MAX_ATTEMPTS = 8

function assertPayload(payload: unknown): asserts payload is { integrationId: number; notebookId: number; attempt?: number } {
  const p = payload as Record<string, unknown>
  if (!p || !Number.isSafeInteger(p.integrationId) || !Number.isSafeInteger(p.notebookId)) throw new Error('sync_notebook needs { integrationId, notebookId }')
}

export function makeSyncNotebookTask(deps: SyncDeps, options: { backoffBaseMs: number; maxAttempts?: number; probeDelayMs: number }): Task {
  return async (payload, helpers) => {
    assertPayload(payload)
    const attempt = payload.attempt ?? 1
    const maxAttempts = options.maxAttempts ?? SYNC_MAX_ATTEMPTS
    const outcome = await runSync(deps, payload.integrationId, payload.notebookId, attempt, maxAttempts)
    helpers.logger.info(`notebook ${payload.notebookId} → integration ${payload.integrationId}: ${JSON.stringify(outcome)}`)
    if (outcome.kind === 'retry') {
      const delay = Math.max(outcome.delayMs, makeBackoffMs(attempt, options.backoffBaseMs))
      await helpers.addJob(
        'sync_notebook',
        { integrationId: payload.integrationId, notebookId: payload.notebookId, attempt: attempt + 1 },
        { jobKey: makeSyncJobKey(payload.integrationId, payload.notebookId), jobKeyMode: 'preserve_run_at', queueName: makeSyncQueueName(payload.integrationId, payload.notebookId), runAt: new Date(Date.now() + delay) },
      )
    }
    if (outcome.kind === 'failed' && outcome.transient) {
      // Given up for now: the probe re-queues these items once the target answers again.
      await helpers.addJob('probe_integration', { integrationId: payload.integrationId }, { jobKey: makeProbeJobKey(payload.integrationId), jobKeyMode: 'preserve_run_at', runAt: new Date(Date.now() + options.probeDelayMs) })
    }
  }
}
