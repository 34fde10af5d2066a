// A user's library written straight into the database (what uploads and extraction would leave), for
// catch-up tests: notebooks, pages with text at page numbers, todos and highlights.
import { createHash, randomUUID } from 'node:crypto'
import type { Db } from '../../server/db.ts'
import { makeFuzzySignature } from '../../server/text/fuzzySignature.ts'

const sha = (s: string) => createHash('sha256').update(s).digest('hex')

export interface SeededNotebook {
  id: number
  uuid: string
}

export async function seedNotebook(
  db: Db,
  userId: number,
  options: { name?: string; folderPath?: string; tags?: string[]; type?: 'NOTEBOOK' | 'FOLDER' | 'PDF'; deleted?: boolean } = {},
): Promise<SeededNotebook> {
  const n = await db.notebook.create({
    data: {
      userId,
      uuid: randomUUID(),
      visibleName: options.name ?? 'Notebook',
      type: options.type ?? 'NOTEBOOK',
      folderPath: options.folderPath ?? '',
      tags: options.tags ?? [],
      deleted: options.deleted ?? false,
    },
  })
  return { id: n.id, uuid: n.uuid }
}

export async function seedPage(db: Db, userId: number, notebook: SeededNotebook, pageNumber: number, text: string | null) {
  return db.page.create({
    data: {
      userId,
      notebookId: notebook.id,
      notebookUuid: notebook.uuid,
      uuid: randomUUID(),
      ocrStatus: text === null ? 'pending' : 'completed',
      ocrText: text,
      notebookPage: { create: { notebookId: notebook.id, pageNumber } },
    },
  })
}

export async function seedTodo(db: Db, userId: number, notebook: SeededNotebook, page: { id: number }, pageNumber: number, text: string, removed = false) {
  const signature = makeFuzzySignature(text)
  return db.todo.create({
    data: {
      userId,
      notebookId: notebook.id,
      notebookUuid: notebook.uuid,
      pageId: page.id,
      pageNumber,
      text,
      contentHash: sha(`todo:${text}`),
      fuzzySignature: signature,
      confusionKey: signature,
      removedAt: removed ? new Date() : null,
    },
  })
}

export async function seedHighlight(db: Db, userId: number, notebook: SeededNotebook, page: { id: number; uuid: string }, pageNumber: number, text: string) {
  return db.highlight.create({
    data: {
      userId,
      notebookId: notebook.id,
      notebookUuid: notebook.uuid,
      pageId: page.id,
      originalText: text,
      originalTextHash: sha(text),
      sourceFile: `${notebook.uuid}/${page.uuid}`,
      pageNumber,
      color: 'yellow',
      contentHash: sha(`highlight:${text}`),
    },
  })
}
