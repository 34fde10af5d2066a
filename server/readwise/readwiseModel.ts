// Everything the Readwise sync of one notebook reads from our database, in a few queries: the
// notebook, its live highlights (and pages, for page notes) as the Readwise highlights they become,
// and this target's sync records with what each delivered (Readwise ids and hashes, per piece).
import type { DbTx } from '../db.ts'
import type { SyncRecord } from '../generated/prisma/client.ts'
import { makeBookFacts, makeHighlightItem, makePageNotesItem, type DesiredReadwiseItem, type ReadwiseBookFacts, type ReadwiseHighlightInput } from './readwiseHighlights.ts'

export const READWISE_TARGET = 'readwise'

/** What one record delivered: the book it is in, and per piece its Readwise id and patchable hash. */
export interface ReadwiseItemState {
  book: string
  ids: string[]
  hashes: string[]
  /** Highlights in a book the item left (renamed notebook), still to delete. */
  stale?: string[]
}

/** Creates sent and not yet answered (a crash, a 504): sent again, Readwise's de-duplication answers the same ids. */
export interface ReadwiseCreateIntent {
  entries: { key: string; index: number; input: ReadwiseHighlightInput; hash: string; book: string }[]
}

export interface ReadwiseNotebookState {
  bookId: number | null
  intent: ReadwiseCreateIntent | null
}

export interface ReadwiseModel {
  notebook: { id: number; uuid: string; visibleName: string; folderPath: string; tags: string[] }
  book: ReadwiseBookFacts
  desired: Map<string, DesiredReadwiseItem>
  /** highlight and page_text records by key (`highlight:12`). */
  records: Map<string, SyncRecord>
  states: Map<string, ReadwiseItemState>
  metaRecord: SyncRecord
  state: ReadwiseNotebookState
}

export const keyOf = (itemType: string, itemId: string) => `${itemType}:${itemId}`

export async function loadReadwiseModel(
  db: DbTx,
  userId: number,
  notebookId: number,
  options: { publicUrl: string; sendPageNotes: boolean },
): Promise<ReadwiseModel | null> {
  const notebook = await db.notebook.findFirst({ where: { id: notebookId, userId }, select: { id: true, uuid: true, visibleName: true, folderPath: true, tags: true } })
  if (!notebook) return null
  const [pages, highlights, records] = await Promise.all([
    db.page.findMany({ where: { notebookId, notebookPage: { isNot: null } }, select: { id: true, ocrText: true, textReadyAt: true, notebookPage: { select: { pageNumber: true } } } }),
    db.highlight.findMany({ where: { notebookId, removedAt: null, pageId: { not: null }, pageNumber: { not: null } }, orderBy: { id: 'asc' } }),
    db.syncRecord.findMany({ where: { userId, targetName: READWISE_TARGET, notebookUuid: notebook.uuid } }),
  ])
  const book = makeBookFacts(notebook)
  const livePages = new Map(pages.map((p) => [p.id, p]))
  const desired = new Map<string, DesiredReadwiseItem>()
  for (const h of highlights) {
    const page = livePages.get(h.pageId!)
    if (!page) continue
    const item = makeHighlightItem(book, notebook.id, options.publicUrl, { id: h.id, text: h.correctedText ?? h.originalText, pageNumber: page.notebookPage!.pageNumber, createdAt: h.createdAt })
    desired.set(keyOf(item.itemType, item.itemId), item)
  }
  if (options.sendPageNotes) {
    for (const p of pages) {
      if (p.ocrText === null) continue
      const item = makePageNotesItem(book, notebook.id, options.publicUrl, { id: p.id, text: p.ocrText, pageNumber: p.notebookPage!.pageNumber, readyAt: p.textReadyAt })
      if (item) desired.set(keyOf(item.itemType, item.itemId), item)
    }
  }
  let metaRecord = records.find((r) => r.itemType === 'notebook_metadata' && r.itemId === String(notebook.id))
  if (!metaRecord) {
    metaRecord = await db.syncRecord.upsert({
      where: { userId_targetName_itemType_itemId: { userId, targetName: READWISE_TARGET, itemType: 'notebook_metadata', itemId: String(notebook.id) } },
      create: { userId, targetName: READWISE_TARGET, itemType: 'notebook_metadata', itemId: String(notebook.id), contentHash: `notebook:${notebook.uuid}:${READWISE_TARGET}`, notebookUuid: notebook.uuid, status: 'pending' },
      update: {},
    })
  }
  const itemRecords = records.filter((r) => r.itemType === 'highlight' || r.itemType === 'page_text')
  return {
    notebook,
    book,
    desired,
    records: new Map(itemRecords.map((r) => [keyOf(r.itemType, r.itemId), r])),
    states: new Map(itemRecords.flatMap((r) => {
      const st = readItemState(r.metadataJson)
      return st ? [[keyOf(r.itemType, r.itemId), st] as const] : []
    })),
    metaRecord,
    state: readNotebookState(metaRecord.metadataJson),
  }
}

export function readItemState(json: string | null): ReadwiseItemState | null {
  if (!json) return null
  try {
    const o = JSON.parse(json)
    if (typeof o.book !== 'string' || !Array.isArray(o.ids) || !Array.isArray(o.hashes)) return null
    return { book: o.book, ids: o.ids.map(String), hashes: o.hashes.map(String), stale: Array.isArray(o.stale) ? o.stale.map(String) : [] }
  } catch {
    return null
  }
}

export function readNotebookState(json: string | null): ReadwiseNotebookState {
  try {
    const o = json ? JSON.parse(json) : {}
    return { bookId: typeof o.bookId === 'number' ? o.bookId : null, intent: o.intent && Array.isArray(o.intent.entries) ? o.intent : null }
  } catch {
    return { bookId: null, intent: null }
  }
}
