// syncNotebookMetadata: the agent's picture of the library (folders, notebooks, page order) upserted
// in one transaction. Renames, moves and retags, and pages that moved, become pending sync items.
import type { Db, DbTx } from '../db.ts'
import { ValidationError } from '../errors.ts'
import { fingerprintNotebookMetadata } from '../text/fingerprints.ts'
import { computeFolderPaths } from './folderPaths.ts'
import { applyPageOrder } from './pageOrder.ts'
import { reconcileNotebook } from '../extraction/reconcileNotebook.ts'
import { queueSync, type SyncItemChange } from '../sync/queueSync.ts'
import { noteMarkdownChanges } from '../sync/markdownChanges.ts'
import { notifyEvents, type AppEvent } from '../events/appEvent.ts'
import { deleteNotebookInTx } from './deleteNotebook.ts'
import { lockLibrary } from '../lockLibrary.ts'
import { assertPageLimit } from './userLimits.ts'
import type { UserLimits } from '../config.ts'

export type NotebookType = 'NOTEBOOK' | 'FOLDER' | 'PDF' | 'EPUB'

export interface NotebookMetadataInput {
  uuid: string
  visibleName: string
  type: NotebookType
  parentUuid?: string | null
  pageUuids?: readonly string[] | null
  tags?: readonly string[] | null
  lastModified?: Date | null
  lastOpened?: Date | null
  lastOpenedPage?: number | null
  pinned?: boolean | null
  deleted?: boolean | null
}

export const MAX_NOTEBOOKS_PER_CALL = 1000
const MAX_PAGES_PER_NOTEBOOK = 10_000
const CONTROL = /[\u0000-\u001f\u007f]/
const UUID_LIKE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

export function assertRemarkableId(value: string, field: string): void {
  if (!UUID_LIKE.test(value)) throw new ValidationError(`${field} must be a reMarkable id (letters, digits, "-", up to 100 characters)`, field)
}

function validate(notebooks: readonly NotebookMetadataInput[]): void {
  if (notebooks.length > MAX_NOTEBOOKS_PER_CALL) throw new ValidationError(`At most ${MAX_NOTEBOOKS_PER_CALL} notebooks per call`, 'notebooks')
  const seen = new Set<string>()
  notebooks.forEach((n, i) => {
    const at = `notebooks.${i}`
    assertRemarkableId(n.uuid, `${at}.uuid`)
    if (seen.has(n.uuid)) throw new ValidationError(`${n.uuid} appears twice`, `${at}.uuid`)
    seen.add(n.uuid)
    if (n.parentUuid) assertRemarkableId(n.parentUuid, `${at}.parentUuid`)
    if (n.parentUuid === n.uuid) throw new ValidationError('A folder cannot contain itself', `${at}.parentUuid`)
    if (!n.visibleName.trim() || n.visibleName.length > 500) throw new ValidationError('visibleName must have 1–500 characters', `${at}.visibleName`)
    if (n.type !== 'FOLDER' && !n.deleted && !n.pageUuids) throw new ValidationError('pageUuids is required for notebooks, PDFs and EPUBs', `${at}.pageUuids`)
    if (n.type === 'FOLDER' && n.pageUuids?.length) throw new ValidationError('A folder has no pages', `${at}.pageUuids`)
    const pages = n.pageUuids ?? []
    if (pages.length > MAX_PAGES_PER_NOTEBOOK) throw new ValidationError(`At most ${MAX_PAGES_PER_NOTEBOOK} pages per notebook`, `${at}.pageUuids`)
    if (new Set(pages).size !== pages.length) throw new ValidationError('A page appears twice in pageUuids', `${at}.pageUuids`)
    pages.forEach((p, j) => assertRemarkableId(p, `${at}.pageUuids.${j}`))
    if ((n.tags ?? []).length > 100 || (n.tags ?? []).some((t) => !t.trim() || t.length > 100)) throw new ValidationError('Tags: at most 100, each 1–100 characters', `${at}.tags`)
    // PostgreSQL refuses NUL in text, and dates far outside its range: refused here, as the caller's mistake.
    if (CONTROL.test(n.visibleName) || (n.tags ?? []).some((t) => CONTROL.test(t))) throw new ValidationError('Names and tags cannot hold control characters', `${at}.visibleName`)
    for (const field of ['lastModified', 'lastOpened'] as const) {
      const d = n[field]
      if (d != null && !(new Date(d).getUTCFullYear() >= 1 && new Date(d).getUTCFullYear() <= 9999)) throw new ValidationError(`${field} must be a date between the years 1 and 9999`, `${at}.${field}`)
    }
    if (n.lastOpenedPage != null && (n.lastOpenedPage < 0 || n.lastOpenedPage > MAX_PAGES_PER_NOTEBOOK)) throw new ValidationError(`lastOpenedPage must be between 0 and ${MAX_PAGES_PER_NOTEBOOK}`, `${at}.lastOpenedPage`)
  })
}

export interface SyncMetadataResult {
  notebooks: { id: number; uuid: string }[]
  /** Files of deleted notebooks no page references any more: remove them from storage after commit. */
  orphanedFiles: string[]
  /** Notebooks whose name, folder path or tags changed (or are new). */
  metadataChanged: number
}

/** `limits.maxPages`: a call that would leave the user with more pages is refused whole (UserLimitError). */
export async function syncNotebookMetadata(db: Db, userId: number, input: readonly NotebookMetadataInput[], limits?: Pick<UserLimits, 'maxPages'>): Promise<SyncMetadataResult> {
  validate(input)
  const live = input.filter((n) => !n.deleted)
  const deleted = input.filter((n) => n.deleted)
  return db.$transaction(async (tx) => {
    // One writer per user's library at a time: folder paths depend on every folder.
    await lockLibrary(tx, userId)
    const orphanedFiles: string[] = []
    for (const n of deleted) orphanedFiles.push(...(await deleteNotebookInTx(tx, userId, n.uuid)).orphanedFiles)

    const upserted = new Map<string, { id: number; uuid: string }>()
    for (const n of live) {
      const data = {
        visibleName: n.visibleName.trim(),
        type: n.type,
        parentUuid: n.parentUuid || null,
        tags: [...new Set((n.tags ?? []).map((t) => t.trim()))],
        lastModified: n.lastModified ?? null,
        lastOpened: n.lastOpened ?? null,
        lastOpenedPage: n.lastOpenedPage ?? null,
        pinned: n.pinned ?? false,
        deleted: false,
      }
      const row = await tx.notebook.upsert({
        where: { userId_uuid: { userId, uuid: n.uuid } },
        create: { userId, uuid: n.uuid, ...data },
        update: data,
        select: { id: true, uuid: true },
      })
      upserted.set(n.uuid, row)
    }

    const metadataChanged = await refreshFolderPaths(tx, userId)
    const events: AppEvent[] = metadataChanged.map((id) => ({ kind: 'notebook' as const, userId, id }))
    for (const n of live) {
      if (n.type === 'FOLDER') continue
      const nb = upserted.get(n.uuid)!
      const order = await applyPageOrder(tx, userId, nb.id, n.uuid, n.pageUuids ?? [])
      if (order.touchedPageIds.length === 0) continue
      for (const id of order.touchedPageIds) events.push({ kind: 'page', userId, id })
      const reconciled = await reconcileNotebook(tx, userId, nb.id)
      events.push(...reconciled.events)
      await queueSync(tx, userId, nb.id, reconciled.changes)
    }
    if (limits) await assertPageLimit(tx, userId, limits)
    // The last-modified time and tags are in the Markdown too (queue_sync above covered the rest).
    const documents = live.filter((n) => n.type !== 'FOLDER').map((n) => upserted.get(n.uuid)!.id)
    events.push(...(await noteMarkdownChanges(tx, userId, documents)))
    // Immediate now, so a violation fails a statement here rather than the COMMIT.
    await tx.$executeRaw`set constraints all immediate`
    await notifyEvents(tx, events)
    return { notebooks: [...upserted.values()], metadataChanged: metadataChanged.length, orphanedFiles }
  })
}

/**
 * Recomputes every item's folder path (a renamed or moved folder changes all below it) and the
 * metadata fingerprint; notebooks whose fingerprint changed get a notebook_metadata sync item.
 * Returns the ids of those notebooks.
 */
async function refreshFolderPaths(tx: DbTx, userId: number): Promise<number[]> {
  const all = await tx.notebook.findMany({
    where: { userId },
    select: { id: true, uuid: true, visibleName: true, parentUuid: true, type: true, folderPath: true, tags: true, metadataHash: true },
  })
  const paths = computeFolderPaths(all)
  const changed: number[] = []
  for (const nb of all) {
    const folderPath = paths.get(nb.uuid) ?? ''
    const metadataHash = fingerprintNotebookMetadata({ notebookUuid: nb.uuid, visibleName: nb.visibleName, folderPath, tags: nb.tags })
    if (folderPath === nb.folderPath && metadataHash === nb.metadataHash) continue
    await tx.notebook.update({ where: { id: nb.id }, data: { folderPath, metadataHash } })
    changed.push(nb.id)
    if (nb.type === 'FOLDER') continue
    const change: SyncItemChange = { itemType: 'notebook_metadata', itemId: String(nb.id), contentHash: metadataHash, notebookUuid: nb.uuid }
    await queueSync(tx, userId, nb.id, [change])
  }
  return changed
}
