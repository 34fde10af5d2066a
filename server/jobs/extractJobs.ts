// The extract_page job of one page (worker/tasks/extract_page.ts), keyed so a re-upload, a retry or
// a quota resume joins a waiting run. Every place that queues a page's extraction comes here.
import type { DbTx } from '../db.ts'
import { addJob } from './addJob.ts'

// graphile-worker's own attempts, for failures the task does not catch (a crash, a bug); the task
// counts its rescheduled attempts itself (payload.attempt).
const EXTRACT_JOB_MAX_ATTEMPTS = 5

export function makeExtractJobKey(pageId: number): string {
  return `extract_page:${pageId}`
}

export async function addExtractJob(tx: DbTx, pageId: number, options: { runAt?: Date; attempt?: number } = {}): Promise<void> {
  await addJob(tx, 'extract_page', { pageId, ...(options.attempt ? { attempt: options.attempt } : {}) }, {
    jobKey: makeExtractJobKey(pageId),
    runAt: options.runAt,
    maxAttempts: EXTRACT_JOB_MAX_ATTEMPTS,
  })
}
