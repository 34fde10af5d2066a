// A folder (with everything below it) or the whole library as a .zip of Markdown files, streamed: the
// notebooks are read, converted and compressed a batch at a time and written as they are ready, so
// memory holds one batch (and the archive's directory) whatever the library's size.
import type { Db } from '../db.ts'
import { loadFolderTree, type FolderTree } from './folderTree.ts'
import { loadMarkdownSources } from './loadMarkdownSources.ts'
import { renderNotebookMarkdown, type RenderOptions } from './renderNotebookMarkdown.ts'
import { makePathAllocator } from './fileNames.ts'
import { makeZipWriter } from './zipWriter.ts'

/** Notebooks read and converted per statement. */
export const EXPORT_BATCH_SIZE = 25

export interface ExportSummary {
  files: number
  bytes: number
}

export interface ExportOptions extends RenderOptions {
  /** A folder's uuid: only what is in it (at any depth). Omitted: the whole library. */
  folderUuid?: string | null
  /** Stops reading and writing (the client went away). */
  signal?: AbortSignal
}

/**
 * The notebooks an export holds, oldest first: file names are handed out in this order, so of two
 * notebooks with one name the older keeps it in every export, and a new notebook never takes it.
 */
export async function listExportedNotebooks(db: Db, userId: number, tree: FolderTree, folderUuid?: string | null): Promise<{ ids: number[]; found: boolean }> {
  if (folderUuid && !tree.has(folderUuid)) return { ids: [], found: false }
  const folders = folderUuid ? [...tree.folderAndDescendants(folderUuid)] : null
  const rows = await db.notebook.findMany({
    where: { userId, type: { not: 'FOLDER' }, deleted: false, ...(folders ? { parentUuid: { in: folders } } : {}) },
    select: { id: true },
    orderBy: { id: 'asc' },
  })
  return { ids: rows.map((r) => r.id), found: true }
}

export async function streamLibraryExport(db: Db, userId: number, write: (chunk: Buffer) => Promise<void>, options: ExportOptions = {}): Promise<ExportSummary> {
  const tree = await loadFolderTree(db, userId)
  const { ids } = await listExportedNotebooks(db, userId, tree, options.folderUuid)
  const allocatePath = makePathAllocator()
  const zip = makeZipWriter(write)
  let files = 0
  for (let at = 0; at < ids.length; at += EXPORT_BATCH_SIZE) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('export stopped')
    for (const source of await loadMarkdownSources(db, userId, ids.slice(at, at + EXPORT_BATCH_SIZE), { withVersion: false })) {
      const path = allocatePath(tree.pathOf(source.notebook), source.notebook.uuid)
      await zip.addFile(path, renderNotebookMarkdown(source, options), source.notebook.lastModified ?? undefined)
      files++
    }
  }
  await zip.finish()
  return { files, bytes: zip.bytesWritten }
}
