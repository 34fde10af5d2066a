// Charging handwriting pages to a user's OCR quota. A charge is for one page's bytes: the same
// bytes again (a job retry after a transient failure, a retryPageText, a resume) are never
// charged twice, while new bytes are charged again. The charge row and the quota increment are
// written in one transaction, and the increment is one conditional UPDATE, so two workers can
// never both take the last unit: the second waits for the first's row lock, then re-checks
// `used < limit` against the row the first left (PostgreSQL's READ COMMITTED re-check).
import type { Db } from '../db.ts'
import { OCR_QUOTA_TYPE, readPlanLimit, type OcrQuotaSettings } from './ocrPlans.ts'
import { readOcrUsage, type OcrUsage } from './readOcrUsage.ts'

export type ConsumeOutcome =
  /** charged: false when these bytes of the page were charged before. */
  | { ok: true; charged: boolean }
  | { ok: false; usage: OcrUsage }

/** Thrown inside the transaction to roll the charge row back; never leaves this module. */
class QuotaUsedUp extends Error {}

/**
 * Takes one unit of the user's OCR quota for `pageId` holding `fileSha256`. The period starts at
 * first use and lasts settings.periodDays; a charge at or after reset_at starts a new one (used
 * back to 1) in the same statement.
 */
export async function consumeOcrPage(db: Db, settings: OcrQuotaSettings, userId: number, pageId: number, fileSha256: string): Promise<ConsumeOutcome> {
  try {
    return await db.$transaction(async (tx) => {
      const [user] = await tx.$queryRaw<{ plan: string }[]>`select plan from users where id = ${userId}`
      if (!user) throw new Error(`consumeOcrPage: no user ${userId}`)
      const limit = readPlanLimit(settings, user.plan)
      await tx.$executeRaw`
        insert into quota_usage (user_id, quota_type, used, "limit", updated_at) values (${userId}, ${OCR_QUOTA_TYPE}, 0, ${limit}, now())
        on conflict (user_id, quota_type) do nothing`
      // A concurrent charge of the same page waits here on the primary key, then sees it.
      const fresh = await tx.$queryRaw<{ page_id: number }[]>`
        insert into ocr_charges (page_id, user_id, file_sha256, charged_at) values (${pageId}, ${userId}, ${fileSha256}, now())
        on conflict (page_id) do update set file_sha256 = excluded.file_sha256, user_id = excluded.user_id, charged_at = excluded.charged_at
          where ocr_charges.file_sha256 <> excluded.file_sha256
        returning page_id`
      if (fresh.length === 0) return { ok: true as const, charged: false }
      const taken = await tx.$executeRaw`
        update quota_usage set
          used = case when reset_at is null or reset_at <= now() then 1 else used + 1 end,
          period_start = case when reset_at is null or reset_at <= now() then now() else period_start end,
          reset_at = case when reset_at is null or reset_at <= now() then now() + make_interval(days => ${settings.periodDays}::int) else reset_at end,
          "limit" = ${limit}, updated_at = now()
        where user_id = ${userId} and quota_type = ${OCR_QUOTA_TYPE}
          and (case when reset_at is null or reset_at <= now() then 0 else used end) < ${limit}`
      if (taken === 0) throw new QuotaUsedUp()
      return { ok: true as const, charged: true }
    })
  } catch (error) {
    if (!(error instanceof QuotaUsedUp)) throw error
    const usage = await readOcrUsage(db, settings, userId)
    if (!usage) throw new Error(`consumeOcrPage: no user ${userId}`)
    return { ok: false, usage }
  }
}

/**
 * Gives back the unit charged for these bytes of the page (the provider refused the request for
 * good, so the user got nothing). Only a charge made in the running period lowers `used`; an
 * older one is just forgotten. Returns whether `used` went down.
 */
export async function refundOcrPage(db: Db, pageId: number, fileSha256: string): Promise<boolean> {
  const lowered = await db.$executeRaw`
    with gone as (delete from ocr_charges where page_id = ${pageId} and file_sha256 = ${fileSha256} returning user_id, charged_at)
    update quota_usage q set used = greatest(q.used - 1, 0), updated_at = now()
    from gone
    where q.user_id = gone.user_id and q.quota_type = ${OCR_QUOTA_TYPE}
      and q.reset_at > now() and q.period_start is not null and gone.charged_at >= q.period_start`
  return lowered > 0
}
