// The one place a notebook's items are derived from its pages: page texts at their page numbers,
// todos from every page's checkbox lines (one per fuzzy signature, OCR variants folded by the
// confusion key), highlights at their pages. Each item's fingerprint is compared with the stored
// one; only what changed is written and returned as a sync change.
import type { DbTx } from '../db.ts'
import { extractTodos } from '../text/todos.ts'
import { fingerprintHighlight, fingerprintPageText, fingerprintTodo } from '../text/fingerprints.ts'
import type { SyncItemChange } from '../sync/queueSync.ts'
import type { AppEvent } from '../events/appEvent.ts'

export interface ReconcileResult {
  changes: SyncItemChange[]
  events: AppEvent[]
}

interface FoundTodo {
  text: string
  completed: boolean
  fuzzySignature: string
  confusionKey: string
  pageId: number
  pageNumber: number
}

/** Todos of the whole notebook in page order: the first page where a todo appears is its page. */
function collectTodos(pages: { id: number; pageNumber: number; text: string }[]): FoundTodo[] {
  const bySignature = new Map<string, FoundTodo>()
  const byConfusionKey = new Map<string, FoundTodo>()
  for (const page of pages) {
    for (const t of extractTodos(page.text)) {
      const same = bySignature.get(t.fuzzySignature) ?? byConfusionKey.get(t.confusionKey)
      if (same) {
        // The same todo written again: done only when every copy is ticked.
        same.completed = same.completed && t.completed
        continue
      }
      const found = { text: t.text, completed: t.completed, fuzzySignature: t.fuzzySignature, confusionKey: t.confusionKey, pageId: page.id, pageNumber: page.pageNumber }
      bySignature.set(t.fuzzySignature, found)
      byConfusionKey.set(t.confusionKey, found)
    }
  }
  return [...bySignature.values()]
}

export async function reconcileNotebook(tx: DbTx, userId: number, notebookId: number): Promise<ReconcileResult> {
  const changes: SyncItemChange[] = []
  const events: AppEvent[] = []
  const notebook = await tx.notebook.findUniqueOrThrow({ where: { id: notebookId }, select: { uuid: true } })
  const notebookUuid = notebook.uuid
  const pages = await tx.page.findMany({
    where: { notebookId },
    select: { id: true, uuid: true, ocrText: true, contentHash: true, notebookPage: { select: { pageNumber: true } } },
  })

  // Page texts.
  const ordered: { id: number; uuid: string; pageNumber: number; text: string }[] = []
  for (const p of pages) {
    const pageNumber = p.notebookPage?.pageNumber ?? null
    const live = pageNumber !== null && p.ocrText !== null
    const contentHash = live ? fingerprintPageText({ notebookUuid, pageNumber, text: p.ocrText! }) : null
    if (live) ordered.push({ id: p.id, uuid: p.uuid, pageNumber, text: p.ocrText! })
    if (contentHash === p.contentHash) continue
    await tx.page.update({ where: { id: p.id }, data: { contentHash } })
    changes.push({ itemType: 'page_text', itemId: String(p.id), contentHash: contentHash ?? '', notebookUuid, pageUuid: p.uuid, pageNumber, removed: contentHash === null })
  }
  ordered.sort((a, b) => a.pageNumber - b.pageNumber)
  const pageUuidOf = new Map(ordered.map((p) => [p.id, p.uuid]))

  // Todos.
  const found = collectTodos(ordered)
  const existing = await tx.todo.findMany({ where: { notebookId } })
  const unmatched = new Map(existing.map((t) => [t.id, t]))
  const bySignature = new Map(existing.map((t) => [t.fuzzySignature, t]))
  for (const f of found) {
    let row = bySignature.get(f.fuzzySignature)
    if (!row || !unmatched.has(row.id)) row = [...unmatched.values()].find((t) => t.confusionKey === f.confusionKey)
    const contentHash = fingerprintTodo({ fuzzySignature: f.fuzzySignature, notebookUuid, pageNumber: f.pageNumber })
    const data = { text: f.text, completed: f.completed, fuzzySignature: f.fuzzySignature, confusionKey: f.confusionKey, pageId: f.pageId, pageNumber: f.pageNumber, contentHash, removedAt: null }
    if (row) {
      unmatched.delete(row.id)
      const same = row.text === f.text && row.completed === f.completed && row.fuzzySignature === f.fuzzySignature && row.pageId === f.pageId && row.contentHash === contentHash && row.removedAt === null
      if (same) continue
      await tx.todo.update({ where: { id: row.id }, data })
    } else {
      row = await tx.todo.create({ data: { userId, notebookId, notebookUuid, ...data } })
    }
    events.push({ kind: 'todo', userId, id: row.id })
    changes.push({ itemType: 'todo', itemId: String(row.id), contentHash, notebookUuid, pageUuid: pageUuidOf.get(f.pageId), pageNumber: f.pageNumber })
  }
  for (const gone of unmatched.values()) {
    if (gone.removedAt) continue
    await tx.todo.update({ where: { id: gone.id }, data: { removedAt: new Date() } })
    events.push({ kind: 'todo', userId, id: gone.id })
    changes.push({ itemType: 'todo', itemId: String(gone.id), contentHash: '', notebookUuid, removed: true })
  }

  // Highlights: their page number (and so their fingerprint) follows the page; a page that left takes its highlights.
  const numberOf = new Map(ordered.map((p) => [p.id, p.pageNumber]))
  const highlights = await tx.highlight.findMany({ where: { notebookId, removedAt: null } })
  for (const h of highlights) {
    const pageNumber = h.pageId !== null ? numberOf.get(h.pageId) ?? null : null
    if (pageNumber === null) {
      await tx.highlight.update({ where: { id: h.id }, data: { removedAt: new Date() } })
      events.push({ kind: 'highlight', userId, id: h.id })
      changes.push({ itemType: 'highlight', itemId: String(h.id), contentHash: '', notebookUuid, removed: true })
      continue
    }
    const contentHash = fingerprintHighlight({ originalText: h.originalText, correctedText: h.correctedText, sourceFile: h.sourceFile, pageNumber })
    if (contentHash === h.contentHash && pageNumber === h.pageNumber) continue
    await tx.highlight.update({ where: { id: h.id }, data: { pageNumber, contentHash } })
    events.push({ kind: 'highlight', userId, id: h.id })
    changes.push({ itemType: 'highlight', itemId: String(h.id), contentHash, notebookUuid, pageUuid: h.pageId ? pageUuidOf.get(h.pageId) : null, pageNumber })
  }
  return { changes, events }
}
