// extract_page: a page's file → its text (typed text as Markdown, plus handwriting through the OCR
// provider when one is configured), its highlights; then the notebook's items are reconciled and
// what changed is queued for sync — in the transaction that writes the text, and only if the page
// still holds the bytes that were read.
import { createHash } from 'node:crypto'
import type { Db, DbTx } from '../db.ts'
import type { Logger } from '../logger.ts'
import type { FileStorage } from '../storage/fileStorage.ts'
import { parseRm, pageToMarkdown, type RmPage } from '../rm/index.ts'
import { reconcileNotebook } from './reconcileNotebook.ts'
import { restyleTypedCheckboxes } from './typedCheckboxes.ts'
import { queueSync, type SyncItemChange } from '../sync/queueSync.ts'
import { notifyEvents, type AppEvent } from '../events/appEvent.ts'
import type { HandwritingReader } from './handwriting.ts'
import { lockLibrary } from '../lockLibrary.ts'

export const HANDWRITING_NEEDS_PROVIDER = 'handwriting needs an OCR provider'

export interface ExtractDeps {
  db: Db
  storage: FileStorage
  logger: Logger
  /** Reads handwriting (OCR provider + quota); absent when no provider is configured. */
  handwriting?: HandwritingReader
}

export type ExtractOutcome =
  | { kind: 'gone' } // page deleted, or never uploaded
  | { kind: 'current' } // text already read from these bytes
  | { kind: 'superseded' } // newer bytes arrived while reading; their own job reads them
  | { kind: 'written'; status: 'completed' | 'skipped' | 'failed' | 'pending_quota'; changes: number }
  | { kind: 'retry_later'; delayMs: number; reason: string }

/** Handwriting could not be read this time; the typed text and highlights are at hand. */
type RetryLater = { retryLaterMs: number; reason: string; typedText: string; hasHandwriting: boolean; highlights: RmPage['highlights'] }

interface ReadText {
  status: 'completed' | 'skipped' | 'failed' | 'pending_quota'
  text: string | null
  typedText: string | null
  error: string | null
  hasHandwriting: boolean
  highlights: RmPage['highlights']
}

async function readPageText(deps: ExtractDeps, pageId: number, userId: number, fileSha256: string, bytes: Uint8Array): Promise<ReadText | RetryLater> {
  const parsed = parseRm(bytes)
  if (!parsed.ok) {
    return { status: 'failed', text: null, typedText: null, error: `Could not read the page file: ${parsed.error.message}`, hasHandwriting: false, highlights: [] }
  }
  const page = parsed.page
  const typed = pageToMarkdown({ paragraphs: restyleTypedCheckboxes(page.paragraphs) }).trim()
  const base = { typedText: typed, hasHandwriting: page.hasHandwriting, highlights: page.highlights }
  if (!page.hasHandwriting) return { ...base, status: 'completed', text: typed, error: null }
  if (!deps.handwriting) return { ...base, status: 'skipped', text: typed, error: HANDWRITING_NEEDS_PROVIDER }
  const read = await deps.handwriting.read({ pageId, userId, fileSha256, page, typedMarkdown: typed })
  switch (read.kind) {
    case 'text':
      return { ...base, status: 'completed', text: read.text, error: null }
    case 'no_quota':
      // The typed text flows on now; the handwriting waits for quota.
      return { ...base, status: 'pending_quota', text: typed, error: read.reason }
    case 'failed':
      return { ...base, status: 'failed', text: typed || null, error: read.reason }
    case 'retry':
      return { retryLaterMs: read.delayMs, reason: read.reason, ...base }
  }
}

export async function extractPage(deps: ExtractDeps, pageId: number, options: { finalAttempt?: boolean } = {}): Promise<ExtractOutcome> {
  const { db, storage } = deps
  const page = await db.page.findUnique({ where: { id: pageId }, select: { id: true, userId: true, notebookId: true, fileSha256: true, textFileSha256: true, ocrStatus: true } })
  if (!page?.fileSha256) return { kind: 'gone' }
  const sha = page.fileSha256
  if (page.textFileSha256 === sha && (page.ocrStatus === 'completed' || page.ocrStatus === 'skipped')) return { kind: 'current' }

  const marked = await db.$transaction(async (tx) => {
    const n = await tx.page.updateMany({ where: { id: pageId, fileSha256: sha }, data: { ocrStatus: 'processing', ocrError: null } })
    if (n.count) await notifyEvents(tx, [{ kind: 'page', userId: page.userId, id: pageId }])
    return n.count
  })
  if (!marked) return { kind: 'superseded' }

  const bytes = await storage.get(sha)
  let read: ReadText | RetryLater
  if (!bytes) read = { status: 'failed', text: null, typedText: null, error: 'The stored page file is missing; upload the page again', hasHandwriting: false, highlights: [] }
  else read = await readPageText(deps, pageId, page.userId, sha, bytes)

  if ('retryLaterMs' in read) {
    if (!options.finalAttempt) {
      await db.page.updateMany({ where: { id: pageId, fileSha256: sha }, data: { ocrStatus: 'pending', ocrError: read.reason } })
      await notifyEvents(db, [{ kind: 'page', userId: page.userId, id: pageId }])
      return { kind: 'retry_later', delayMs: read.retryLaterMs, reason: read.reason }
    }
    // Given up on the handwriting: the typed text still flows on (a retry of the page reads it all again).
    read = { status: 'failed', text: read.typedText || null, typedText: read.typedText, error: `${read.reason} (gave up after retries; retry the page to try again)`, hasHandwriting: read.hasHandwriting, highlights: read.highlights }
  }
  const result = read
  return db.$transaction(async (tx) => {
    // One writer of a user's library at a time (metadata sync, catch-up, other pages' extractions):
    // reconciling a notebook reads all its pages, and an integration enabled meanwhile must see this.
    await lockLibrary(tx, page.userId)
    const [locked] = await tx.$queryRaw<{ file_sha256: string | null }[]>`select file_sha256 from pages where id = ${pageId} for update`
    if (locked?.file_sha256 !== sha) return { kind: 'superseded' as const }
    await tx.page.update({
      where: { id: pageId },
      data: {
        ocrStatus: result.status,
        ocrError: result.error,
        // A failed read keeps the last good text, so what was synced stays.
        ...(result.text !== null ? { ocrText: result.text, typedText: result.typedText, textReadyAt: new Date() } : {}),
        hasHandwriting: result.hasHandwriting,
        textFileSha256: result.status === 'failed' ? undefined : sha,
      },
    })
    const events: AppEvent[] = [{ kind: 'page', userId: page.userId, id: pageId }]
    const changes: SyncItemChange[] = []
    if (result.status !== 'failed') changes.push(...(await writeHighlights(tx, page.userId, page.notebookId, pageId, result.highlights, events)))
    const reconciled = await reconcileNotebook(tx, page.userId, page.notebookId)
    changes.push(...reconciled.changes)
    events.push(...reconciled.events)
    await queueSync(tx, page.userId, page.notebookId, changes)
    await tx.$executeRaw`set constraints all immediate`
    await notifyEvents(tx, events)
    return { kind: 'written' as const, status: result.status, changes: changes.length }
  })
}

/**
 * One highlight per distinct passage on the page. New or revived ones get an empty fingerprint, so the
 * reconciliation that follows computes it and queues them; ones gone from the page are removed.
 */
async function writeHighlights(tx: DbTx, userId: number, notebookId: number, pageId: number, found: RmPage['highlights'], events: AppEvent[]): Promise<SyncItemChange[]> {
  const ids = await tx.page.findUniqueOrThrow({ where: { id: pageId }, select: { uuid: true, notebookUuid: true } })
  const sourceFile = `${ids.notebookUuid}/${ids.uuid}`
  const distinct = new Map<string, RmPage['highlights'][number]>()
  for (const h of found) {
    const text = h.text.trim()
    if (text && !distinct.has(text)) distinct.set(text, h)
  }
  const existing = await tx.highlight.findMany({ where: { userId, sourceFile } })
  const byHash = new Map(existing.map((h) => [h.originalTextHash, h]))
  const kept = new Set<number>()
  for (const [text, h] of distinct) {
    const originalTextHash = createHash('sha256').update(text).digest('hex')
    const row = byHash.get(originalTextHash)
    const rects = h.rects.map((r) => ({ x: r.x, y: r.y, w: r.w, h: r.h }))
    if (row) {
      kept.add(row.id)
      if (row.removedAt === null && row.color === h.color && row.pageId === pageId) continue
      // An empty fingerprint makes the reconciliation queue it again (colour, page or revival changed).
      await tx.highlight.update({ where: { id: row.id }, data: { color: h.color, rects, pageId, removedAt: null, contentHash: '' } })
      events.push({ kind: 'highlight', userId, id: row.id })
    } else {
      const created = await tx.highlight.create({
        data: { userId, notebookId, notebookUuid: ids.notebookUuid, pageId, originalText: text, originalTextHash, sourceFile, color: h.color, rects, contentHash: '' },
      })
      events.push({ kind: 'highlight', userId, id: created.id })
    }
  }
  const changes: SyncItemChange[] = []
  for (const row of existing) {
    if (kept.has(row.id) || row.removedAt) continue
    await tx.highlight.update({ where: { id: row.id }, data: { removedAt: new Date() } })
    events.push({ kind: 'highlight', userId, id: row.id })
    changes.push({ itemType: 'highlight', itemId: String(row.id), contentHash: '', notebookUuid: ids.notebookUuid, removed: true })
  }
  return changes
}
