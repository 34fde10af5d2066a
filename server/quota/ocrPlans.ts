// OCR quota plans: how many handwriting pages a user's plan (users.plan) allows per period.
// Limits come from the configuration (OCR_QUOTA_PLANS), so changing them needs no migration.
import type { OcrQuotaSettings } from '../config.ts'

export type { OcrQuotaSettings }

/** quota_usage.quota_type of handwriting pages. */
export const OCR_QUOTA_TYPE = 'ocr_pages'

/** The plan every new user is on, and the fallback for a plan the configuration no longer lists. */
export const DEFAULT_PLAN = 'free'

export function readPlanLimit(settings: OcrQuotaSettings, plan: string): number {
  return settings.plans[plan] ?? settings.plans[DEFAULT_PLAN] ?? 0
}

export function isKnownPlan(settings: OcrQuotaSettings, plan: string): boolean {
  return Object.hasOwn(settings.plans, plan)
}
