/** OCR quota: handwriting pages metered per user and plan, charged atomically, resumed when room returns. */
export { OCR_QUOTA_TYPE, DEFAULT_PLAN, readPlanLimit, isKnownPlan, type OcrQuotaSettings } from './ocrPlans.ts'
export { readOcrUsage, describeOcrQuotaUsedUp, type OcrUsage } from './readOcrUsage.ts'
export { consumeOcrPage, refundOcrPage, type ConsumeOutcome } from './ocrCharges.ts'
export { scheduleOcrResume, scheduleWaitingOcrResumes, addResumeJob, makeResumeOcrJobKey, RESUME_OCR_QUOTA_TASK, type ResumeSchedule } from './scheduleOcrResume.ts'
export { resumeOcrQuota, type ResumeOutcome } from './resumeOcrQuota.ts'
export { setUserPlan, type SetPlanResult } from './setUserPlan.ts'
