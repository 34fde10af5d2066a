// Everything the Notion sync of one notebook reads from our database, in a few queries: the notebook,
// its live pages in order with their text, todos and highlights, and this target's sync records.
import type { DbTx } from '../../db.ts'
import type { SyncRecord } from '../../generated/prisma/client.ts'
import { makeDesiredSection, type DesiredSection } from './sectionBlocks.ts'
import { readNotebookState, readSectionState, type NotebookState, type SectionState } from './notebookState.ts'

export interface NotebookModel {
  notebook: { id: number; uuid: string; visibleName: string; folderPath: string; tags: string[] }
  pageCount: number
  desired: DesiredSection[]
  /** page_text records by our page id (live and removed). */
  sectionRecords: Map<number, SyncRecord>
  sections: Map<number, SectionState>
  metaRecord: SyncRecord
  state: NotebookState
  todoRecords: SyncRecord[]
  highlightRecords: SyncRecord[]
  todos: Map<number, { id: number; pageId: number | null; text: string; completed: boolean; pageNumber: number | null; removed: boolean }>
  highlights: Map<number, { id: number; pageId: number | null; text: string; color: string; pageNumber: number | null; removed: boolean }>
}

export async function loadNotebookModel(db: DbTx, userId: number, targetName: string, notebookId: number): Promise<NotebookModel | null> {
  const notebook = await db.notebook.findFirst({ where: { id: notebookId, userId }, select: { id: true, uuid: true, visibleName: true, folderPath: true, tags: true } })
  if (!notebook) return null
  const [pages, todos, highlights, records] = await Promise.all([
    db.page.findMany({ where: { notebookId, notebookPage: { isNot: null } }, select: { id: true, ocrText: true, notebookPage: { select: { pageNumber: true } } } }),
    db.todo.findMany({ where: { notebookId } }),
    db.highlight.findMany({ where: { notebookId } }),
    db.syncRecord.findMany({ where: { userId, targetName, notebookUuid: notebook.uuid } }),
  ])
  pages.sort((a, b) => a.notebookPage!.pageNumber - b.notebookPage!.pageNumber)
  const desired = pages
    .filter((p) => p.ocrText !== null)
    .map((p) =>
      makeDesiredSection({
        pageId: p.id,
        pageNumber: p.notebookPage!.pageNumber,
        text: p.ocrText!,
        todos: todos.filter((t) => t.pageId === p.id && !t.removedAt),
        highlights: highlights.filter((h) => h.pageId === p.id && !h.removedAt).map((h) => ({ id: h.id, text: h.correctedText ?? h.originalText, color: h.color })),
      }),
    )
  let metaRecord = records.find((r) => r.itemType === 'notebook_metadata' && r.itemId === String(notebook.id))
  if (!metaRecord) {
    // The notebook's own record: the sync needs it to remember the Notion page, whatever queued the job.
    metaRecord = await db.syncRecord.upsert({
      where: { userId_targetName_itemType_itemId: { userId, targetName, itemType: 'notebook_metadata', itemId: String(notebook.id) } },
      create: { userId, targetName, itemType: 'notebook_metadata', itemId: String(notebook.id), contentHash: `notebook:${notebook.uuid}:${targetName}`, notebookUuid: notebook.uuid, status: 'pending' },
      update: {},
    })
  }
  const sectionRecords = new Map(records.filter((r) => r.itemType === 'page_text').map((r) => [Number(r.itemId), r]))
  const sections = new Map([...sectionRecords].map(([pageId, r]) => [pageId, readSectionState(r.metadataJson)]))
  return {
    notebook,
    pageCount: pages.length,
    desired,
    sectionRecords,
    sections,
    metaRecord,
    state: readNotebookState(metaRecord.metadataJson),
    todoRecords: records.filter((r) => r.itemType === 'todo'),
    highlightRecords: records.filter((r) => r.itemType === 'highlight'),
    todos: new Map(todos.map((t) => [t.id, { id: t.id, pageId: t.pageId, text: t.text, completed: t.completed, pageNumber: t.pageNumber, removed: !!t.removedAt }])),
    highlights: new Map(highlights.map((h) => [h.id, { id: h.id, pageId: h.pageId, text: h.correctedText ?? h.originalText, color: h.color, pageNumber: h.pageNumber, removed: !!h.removedAt }])),
  }
}
