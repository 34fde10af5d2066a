// resume_ocr_quota: the pages of one user that wait for quota go back to extraction, newest
// first (uploaded_at desc), as many as the quota has room for; each flows on to sync as any
// extraction does. If pages still wait, the job is scheduled again at the next reset.
import type { Db } from '../db.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { addExtractJob } from '../jobs/extractJobs.ts'
import { readOcrUsage } from './readOcrUsage.ts'
import { addResumeJob, makeResumeOcrJobKey } from './scheduleOcrResume.ts'
import type { OcrQuotaSettings } from './ocrPlans.ts'

export interface ResumeOutcome {
  /** Page ids queued for extraction, in the order they will run. */
  resumed: number[]
  stillWaiting: number
  /** When the next resume is scheduled; null when none is needed (or the plan allows no pages). */
  next: Date | null
}

const DAY_MS = 86_400_000

export async function resumeOcrQuota(db: Db, settings: OcrQuotaSettings, userId: number): Promise<ResumeOutcome> {
  return db.$transaction(async (tx) => {
    // Two resumes of one user (a replaced job while one runs) take turns rather than double-queue.
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${makeResumeOcrJobKey(userId)}))`
    const usage = await readOcrUsage(tx, settings, userId)
    if (!usage || usage.pagesWaiting === 0) return { resumed: [], stillWaiting: 0, next: null }
    const pages =
      usage.remaining === 0
        ? []
        : await tx.$queryRaw<{ id: number; uploaded_at: Date | null }[]>`
            update pages set ocr_status = 'pending', ocr_error = null, updated_at = now()
            where id in (
              select id from pages where user_id = ${userId} and ocr_status = 'pending_quota' and file_sha256 is not null
              order by uploaded_at desc nulls last, id desc limit ${usage.remaining} for update)
            returning id, uploaded_at`
    // UPDATE … RETURNING has no order of its own.
    const ordered = pages.sort((a, b) => (b.uploaded_at?.getTime() ?? -Infinity) - (a.uploaded_at?.getTime() ?? -Infinity) || b.id - a.id)
    // The queue runs jobs by run_at: the newest page gets the earliest one, all already due.
    const due = usage.checkedAt.getTime()
    for (const [at, page] of ordered.entries()) {
      await addExtractJob(tx, page.id, { runAt: new Date(due - (ordered.length - at)) })
    }
    await notifyEvents(tx, ordered.map((page) => ({ kind: 'page' as const, userId, id: page.id })))

    const stillWaiting = usage.pagesWaiting - ordered.length
    let next: Date | null = null
    if (stillWaiting > 0) {
      // No period runs yet: the pages just queued start one about now.
      next = usage.resetsAt ?? (ordered.length > 0 ? new Date(due + settings.periodDays * DAY_MS) : null)
      if (next) await addResumeJob(tx, userId, next)
    }
    return { resumed: ordered.map((page) => page.id), stillWaiting, next }
  })
}
