// resume_ocr_quota { userId }: the user's pages waiting for OCR quota go back to extraction, newest
// first, as many as the quota has room for (server/quota/resumeOcrQuota.ts). One job per user
// (job key resume_ocr_quota:<userId>), due at the period's reset or at once when the limit rises.
import type { Task } from 'graphile-worker'
import type { Db } from '../../server/db.ts'
import { resumeOcrQuota, type OcrQuotaSettings } from '../../server/quota/index.ts'

function assertPayload(payload: unknown): asserts payload is { userId: number } {
  const p = payload as { userId?: unknown }
  if (!p || typeof p.userId !== 'number' || !Number.isSafeInteger(p.userId)) throw new Error('resume_ocr_quota needs { userId: number }')
}

export function makeResumeOcrQuotaTask(deps: { db: Db; ocrQuota: OcrQuotaSettings }): Task {
  return async (payload, helpers) => {
    assertPayload(payload)
    const outcome = await resumeOcrQuota(deps.db, deps.ocrQuota, payload.userId)
    helpers.logger.info(
      `user ${payload.userId}: ${outcome.resumed.length} page(s) resumed, ${outcome.stillWaiting} still waiting${outcome.next ? `, next resume at ${outcome.next.toISOString()}` : ''}`,
    )
  }
}
