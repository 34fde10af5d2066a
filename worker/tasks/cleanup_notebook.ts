// cleanup_notebook { integrationId, notebookUuid, attempt? }: a deleted notebook's page at the target
// is trashed or marked "Source deleted" (the user's choice). Transient failures reschedule.
import type { Task } from 'graphile-worker'
import { runCleanup } from '../../server/sync/runCleanup.ts'
import type { SyncDeps } from '../../server/sync/syncDeps.ts'
import { makeBackoffMs } from '../backoff.ts'
import { makeCleanupJobKey } from '../../server/sync/cleanupJobs.ts'

export function makeCleanupNotebookTask(deps: SyncDeps, options: { backoffBaseMs: number; maxAttempts?: number }): Task {
  return async (payload, helpers) => {
    const p = payload as { integrationId?: unknown; notebookUuid?: unknown; attempt?: number }
    if (!Number.isSafeInteger(p?.integrationId) || typeof p.notebookUuid !== 'string') throw new Error('cleanup_notebook needs { integrationId, notebookUuid }')
    const attempt = p.attempt ?? 1
    const outcome = await runCleanup(deps, p.integrationId as number, p.notebookUuid)
    helpers.logger.info(`cleanup of ${p.notebookUuid} at integration ${p.integrationId}: ${JSON.stringify(outcome)}`)
    if (outcome.kind === 'retry' && attempt < (options.maxAttempts ?? 8)) {
      const delay = Math.max(outcome.delayMs, makeBackoffMs(attempt, options.backoffBaseMs))
      await helpers.addJob('cleanup_notebook', { ...p, attempt: attempt + 1 }, { jobKey: makeCleanupJobKey(p.integrationId as number, p.notebookUuid), runAt: new Date(Date.now() + delay) })
    }
  }
}
