// The HandwritingReader the worker uses: the page's strokes (only) rendered to PNG, one unit of the
// user's OCR quota charged for these bytes, the provider asked, its answer merged after the typed
// text. Quota rules (server/quota): a charge stays with the page's bytes through retries, so a
// transient failure retried later is not charged again; a permanent refusal gives the unit back
// (the user got nothing, and retrying the page charges again); new bytes are charged again.
import type { Config } from '../config.ts'
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import { makeOpenAiOcrProvider, mergePageText, type OcrProvider } from '../ocr/index.ts'
import { renderPng, type RmPage } from '../rm/index.ts'
import { makeRenderPool, type RenderResult } from '../rm/renderPool.ts'
import { consumeOcrPage, describeOcrQuotaUsedUp, refundOcrPage, scheduleOcrResume, type OcrQuotaSettings } from '../quota/index.ts'
import { describeOcrFailure } from './describeOcrFailure.ts'
import type { HandwritingRead, HandwritingReader } from './handwriting.ts'

/** 768 px: what OpenAI's high-detail mode scales a 1404×1872 page to anyway (768×1024, 4 tiles). */
export const DEFAULT_RENDER_WIDTH = 768

export interface HandwritingReaderDeps {
  db: Db
  provider: OcrProvider
  quota: OcrQuotaSettings
  logger: Logger
  renderWidth?: number
  /** Draws the strokes (default: on this thread, as tests use it); the worker draws in its render threads. */
  render?: (page: RmPage, options: { strokesOnly: true; width: number }) => Promise<RenderResult>
}

async function renderHere(page: RmPage, options: { strokesOnly: true; width: number }): Promise<RenderResult> {
  try {
    return { ok: true, png: renderPng(page, options) }
  } catch (error) {
    return { ok: false, reason: 'failed', message: (error as Error).message }
  }
}

export function makeHandwritingReader(deps: HandwritingReaderDeps): HandwritingReader {
  const { db, provider, quota, logger } = deps
  const width = deps.renderWidth ?? DEFAULT_RENDER_WIDTH
  const render = deps.render ?? renderHere

  async function read(input: Parameters<HandwritingReader['read']>[0]): Promise<HandwritingRead> {
    const { pageId, userId, page, typedMarkdown, fileSha256 } = input
    // Rendering first: a page that cannot be drawn is never charged.
    const renderStarted = performance.now()
    const rendered = await render(page, { strokesOnly: true, width })
    if (!rendered.ok) {
      logger.error({ pageId, reason: rendered.reason, message: rendered.message }, 'could not render strokes for OCR')
      return { kind: 'failed', reason: `Could not draw the page's strokes for handwriting recognition: ${rendered.message}` }
    }
    const png = rendered.png
    const renderMs = Math.round((performance.now() - renderStarted) * 10) / 10

    const charge = await consumeOcrPage(db, quota, userId, pageId, fileSha256)
    if (!charge.ok) {
      logger.info({ pageId, userId, used: charge.usage.used, limit: charge.usage.limit, resetsAt: charge.usage.resetsAt }, 'ocr quota used up; page waits')
      return { kind: 'no_quota', reason: describeOcrQuotaUsedUp(charge.usage) }
    }

    const result = await provider.transcribe(png)
    if (result.ok) {
      // Count keys avoid the word "token": the logger redacts every such key as a secret.
      const usage = result.usage ? { prompt: result.usage.promptTokens, completion: result.usage.completionTokens, total: result.usage.totalTokens } : null
      logger.info({ pageId, userId, model: result.model, latencyMs: result.latencyMs, renderMs, usage, charged: charge.charged }, 'ocr usage')
      if (result.finishReason === 'length') logger.warn({ pageId, model: result.model }, 'ocr answer cut short at the model output limit')
      return { kind: 'text', text: mergePageText(typedMarkdown, result.text) }
    }

    const next = describeOcrFailure(result.error)
    logger.warn({ pageId, userId, kind: result.error.kind, message: result.error.message, latencyMs: result.latencyMs, next: next.kind }, 'ocr failed')
    if (next.kind === 'failed' && (await refundOcrPage(db, pageId, fileSha256))) {
      // The unit given back may let a waiting page of this user go on.
      await scheduleOcrResume(db, quota, userId)
    }
    return next
  }

  return { read }
}

/** The worker's reader: OCR_PROVIDER=openai gives one; otherwise none (handwritten pages are skipped, saying why). */
export function makeConfiguredHandwritingReader(config: Config, db: Db, logger: Logger): HandwritingReader | undefined {
  if (config.ocr.provider !== 'openai') return undefined
  const { baseUrl, apiKey, model, timeoutMs, imageWidth, quota } = config.ocr
  const provider = makeOpenAiOcrProvider({ baseUrl, apiKey, model, timeoutMs })
  logger.info({ model, origin: new URL(baseUrl).origin, imageWidth }, 'handwriting OCR on')
  // The strokes are drawn in render threads, within the configured bounds, like the server's thumbnails.
  const pool = makeRenderPool({ threads: config.render.threads, bounds: config.render })
  return makeHandwritingReader({ db, provider, quota, logger, renderWidth: imageWidth, render: (page, options) => pool.renderPage(page, options) })
}
