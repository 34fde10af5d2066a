// extract_page { pageId, attempt? }: read one page's text (server/extraction/extractPage.ts).
// Transient OCR failures reschedule this job (same key) with backoff; the attempt limit is explicit.
import type { Task } from 'graphile-worker'
import { extractPage, type ExtractDeps } from '../../server/extraction/extractPage.ts'
import { addExtractJob } from '../../server/jobs/extractJobs.ts'
import { makeBackoffMs } from '../backoff.ts'
import { scheduleOcrResume, type OcrQuotaSettings } from '../../server/quota/index.ts'

export const EXTRACT_MAX_ATTEMPTS = 6

function assertPayload(payload: unknown): asserts payload is { pageId: number; attempt?: number } {
  const p = payload as { pageId?: unknown; attempt?: unknown }
  if (!p || typeof p.pageId !== 'number' || !Number.isSafeInteger(p.pageId)) throw new Error('extract_page needs { pageId: number }')
  if (p.attempt !== undefined && (typeof p.attempt !== 'number' || p.attempt < 1)) throw new Error('extract_page attempt must be a positive number')
}

export function makeExtractPageTask(deps: ExtractDeps, options: { backoffBaseMs: number; ocrQuota?: OcrQuotaSettings }): Task {
  return async (payload, helpers) => {
    assertPayload(payload)
    const attempt = payload.attempt ?? 1
    const outcome = await extractPage(deps, payload.pageId, { finalAttempt: attempt >= EXTRACT_MAX_ATTEMPTS })
    helpers.logger.info(`page ${payload.pageId}: ${outcome.kind}${'status' in outcome ? ` (${outcome.status}, ${outcome.changes} changes queued)` : ''}`)
    if (outcome.kind === 'retry_later') {
      const delay = Math.max(outcome.delayMs, makeBackoffMs(attempt, options.backoffBaseMs))
      await addExtractJob(deps.db, payload.pageId, { attempt: attempt + 1, runAt: new Date(Date.now() + delay) })
    }
    if (outcome.kind === 'written' && outcome.status === 'pending_quota' && options.ocrQuota) {
      // After the page is written as waiting, so a limit raised meanwhile is seen here or by the raise.
      const page = await deps.db.page.findUnique({ where: { id: payload.pageId }, select: { userId: true } })
      if (page) await scheduleOcrResume(deps.db, options.ocrQuota, page.userId)
    }
  }
}

