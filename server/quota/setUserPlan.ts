// A user's plan changes (an operator, `npm run quota:set-plan`): the new limit applies to the
// running period at once, and if it leaves room, pages waiting for quota resume now.
import type { Db } from '../db.ts'
import { OCR_QUOTA_TYPE, isKnownPlan, readPlanLimit, type OcrQuotaSettings } from './ocrPlans.ts'
import { scheduleOcrResume, type ResumeSchedule } from './scheduleOcrResume.ts'

export type SetPlanResult =
  | { ok: true; previous: string; plan: string; limit: number; resume: ResumeSchedule }
  | { ok: false; error: { code: 'unknown_plan' | 'not_found'; message: string } }

export async function setUserPlan(db: Db, settings: OcrQuotaSettings, userId: number, plan: string): Promise<SetPlanResult> {
  if (!isKnownPlan(settings, plan)) {
    return { ok: false, error: { code: 'unknown_plan', message: `No plan "${plan}"; the configured plans are ${Object.keys(settings.plans).join(', ')} (OCR_QUOTA_PLANS)` } }
  }
  return db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ plan: string }[]>`select plan from users where id = ${userId} for update`
    if (!before) return { ok: false as const, error: { code: 'not_found' as const, message: `No user ${userId}` } }
    const limit = readPlanLimit(settings, plan)
    await tx.$executeRaw`update users set plan = ${plan}, updated_at = now() where id = ${userId}`
    await tx.$executeRaw`update quota_usage set "limit" = ${limit}, updated_at = now() where user_id = ${userId} and quota_type = ${OCR_QUOTA_TYPE}`
    const resume = await scheduleOcrResume(tx, settings, userId)
    return { ok: true as const, previous: before.plan, plan, limit, resume }
  })
}
