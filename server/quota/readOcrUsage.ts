// A user's OCR quota as it stands: the period counts only while it runs (a period that has ended
// reads as unused, and the next charge starts a new one), and how many pages wait for quota.
import type { DbTx } from '../db.ts'
import { OCR_QUOTA_TYPE, readPlanLimit, type OcrQuotaSettings } from './ocrPlans.ts'

export interface OcrUsage {
  plan: string
  /** Pages charged in the running period; 0 when no period runs. */
  used: number
  limit: number
  remaining: number
  /** Start and end of the running period; null before first use and once it has ended. */
  periodStart: Date | null
  resetsAt: Date | null
  /** Pages of this user whose handwriting waits for quota (pending_quota). */
  pagesWaiting: number
  /** The database's clock when this was read (the clock quota periods run on). */
  checkedAt: Date
}

interface UsageRow {
  plan: string
  used: number | null
  period_start: Date | null
  reset_at: Date | null
  running: boolean
  waiting: number
  checked_at: Date
}

/** The user's usage, or null when there is no such user. */
export async function readOcrUsage(db: DbTx, settings: OcrQuotaSettings, userId: number): Promise<OcrUsage | null> {
  const [row] = await db.$queryRaw<UsageRow[]>`
    select u.plan, q.used, q.period_start, q.reset_at, coalesce(q.reset_at > now(), false) as running,
      (select count(*)::int from pages p where p.user_id = u.id and p.ocr_status = 'pending_quota') as waiting,
      now() as checked_at
    from users u left join quota_usage q on q.user_id = u.id and q.quota_type = ${OCR_QUOTA_TYPE}
    where u.id = ${userId}`
  if (!row) return null
  const limit = readPlanLimit(settings, row.plan)
  const used = row.running ? (row.used ?? 0) : 0
  return {
    plan: row.plan,
    used,
    limit,
    remaining: Math.max(0, limit - used),
    periodStart: row.running ? row.period_start : null,
    resetsAt: row.running ? row.reset_at : null,
    pagesWaiting: row.waiting,
    checkedAt: row.checked_at,
  }
}

/** "2026-12-25 14:03 UTC" */
function formatInstant(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** Why a page waits: what the user sees as the page's ocrError while it is pending_quota. */
export function describeOcrQuotaUsedUp(usage: Pick<OcrUsage, 'used' | 'limit' | 'resetsAt' | 'plan'>): string {
  if (usage.limit === 0 || usage.resetsAt === null) return `OCR quota: the ${usage.plan} plan includes no handwriting pages; the page resumes by itself when the limit rises`
  return `OCR quota used up: ${usage.used} of ${usage.limit} pages this period; resumes on ${formatInstant(usage.resetsAt)}`
}
