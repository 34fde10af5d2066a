// One resume_ocr_quota job per user whose pages wait for quota (job key resume_ocr_quota:<userId>):
// now when the quota has room (the limit rose, a unit was refunded), else at the period's reset.
// A job already due earlier is never postponed: later schedules use preserve_run_at.
import type { Db, DbTx } from '../db.ts'
import { addJob } from '../jobs/addJob.ts'
import { readOcrUsage } from './readOcrUsage.ts'
import type { OcrQuotaSettings } from './ocrPlans.ts'

export const RESUME_OCR_QUOTA_TASK = 'resume_ocr_quota'

export function makeResumeOcrJobKey(userId: number): string {
  return `${RESUME_OCR_QUOTA_TASK}:${userId}`
}

export type ResumeSchedule = { kind: 'none' } | { kind: 'now' } | { kind: 'at'; runAt: Date }

/** Adds the user's resume job at `runAt` (null: now), never moving an earlier one later. */
export async function addResumeJob(tx: DbTx, userId: number, runAt: Date | null): Promise<void> {
  await addJob(tx, RESUME_OCR_QUOTA_TASK, { userId }, {
    jobKey: makeResumeOcrJobKey(userId),
    jobKeyMode: runAt === null ? 'replace' : 'preserve_run_at',
    runAt: runAt ?? undefined,
    maxAttempts: 10,
  })
}

/**
 * Makes sure the user's waiting pages have a resume job. Call it after a page was written as
 * pending_quota (so a limit raised meanwhile is seen either here or by the raise's own call),
 * after a refund, and after a plan change.
 */
export async function scheduleOcrResume(tx: DbTx, settings: OcrQuotaSettings, userId: number): Promise<ResumeSchedule> {
  const usage = await readOcrUsage(tx, settings, userId)
  if (!usage || usage.pagesWaiting === 0) return { kind: 'none' }
  if (usage.remaining > 0) {
    await addResumeJob(tx, userId, null)
    return { kind: 'now' }
  }
  // No running period and no room: the plan allows no pages; a limit raise schedules the resume.
  if (!usage.resetsAt) return { kind: 'none' }
  await addResumeJob(tx, userId, usage.resetsAt)
  return { kind: 'at', runAt: usage.resetsAt }
}

/**
 * At worker start: every user with waiting pages gets a resume job (limits raised in the
 * configuration take effect at once; a resume job lost with a dropped database is recreated).
 */
export async function scheduleWaitingOcrResumes(db: Db, settings: OcrQuotaSettings): Promise<number> {
  const users = await db.$queryRaw<{ user_id: number }[]>`select distinct user_id from pages where ocr_status = 'pending_quota'`
  let scheduled = 0
  for (const { user_id } of users) {
    if ((await scheduleOcrResume(db, settings, user_id)).kind !== 'none') scheduled++
  }
  return scheduled
}
