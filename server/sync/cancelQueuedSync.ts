// Disabling or disconnecting an integration withdraws its queued jobs (sync_notebook and
// cleanup_notebook) through graphile-worker's remove_job: a waiting job goes, a running one
// keeps its lock and is not retried. Its items stay pending in sync_records, so a later catch-up
// finds them. A job already running finishes its current step; the task itself checks is_enabled.
import type { DbTx } from '../db.ts'

/** Returns how many queued jobs were withdrawn. */
export async function cancelQueuedSync(tx: DbTx, integrationId: number): Promise<number> {
  const prefixes = [`sync_notebook:${integrationId}:`, `cleanup_notebook:${integrationId}:`]
  let removed = 0
  for (const prefix of prefixes) {
    const rows = await tx.$queryRaw<{ key: string }[]>`
      select graphile_worker.remove_job(key) is not null as removed, key
      from graphile_worker._private_jobs where starts_with(key, ${prefix})`
    removed += rows.length
  }
  return removed
}
