// The sync_notebook job of one (integration, notebook): keyed, so new changes join a pending run,
// and in a queue of its own, so two runs of one notebook never overlap (a job re-added while one
// runs waits for it) — two writers of one Notion page at once could otherwise both create a block.
import type { DbTx } from '../db.ts'
import { addJob } from '../jobs/addJob.ts'

export function makeSyncJobKey(integrationId: number, notebookId: number): string {
  return `sync_notebook:${integrationId}:${notebookId}`
}

export function makeSyncQueueName(integrationId: number, notebookId: number): string {
  return `sync:${integrationId}:${notebookId}`
}

export interface AddSyncJobOptions {
  /** 'preserve_run_at' (default): a run already scheduled later (a backoff) keeps its time. */
  mode?: 'preserve_run_at' | 'replace'
  runAt?: Date
  attempt?: number
}

export async function addSyncJob(tx: DbTx, integrationId: number, notebookId: number, options: AddSyncJobOptions = {}): Promise<void> {
  await addJob(tx, 'sync_notebook', { integrationId, notebookId, ...(options.attempt ? { attempt: options.attempt } : {}) }, {
    jobKey: makeSyncJobKey(integrationId, notebookId),
    jobKeyMode: options.mode ?? 'preserve_run_at',
    queueName: makeSyncQueueName(integrationId, notebookId),
    runAt: options.runAt,
  })
}
