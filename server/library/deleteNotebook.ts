// deleteNotebook: removes the notebook, its pages and items, and files no other page references;
// keeps a tombstone with the external ids each target needs to clean up (and that the agent can read).
import type { Db, DbTx } from '../db.ts'
import type { FileStorage } from '../storage/fileStorage.ts'
import { addCleanupJob } from '../sync/cleanupJobs.ts'
import { lockLibrary } from '../lockLibrary.ts'
import { notifyEvents } from '../events/appEvent.ts'

export interface DeleteNotebookResult {
  deleted: boolean
  /** Files no page references any more (the caller removes them from storage after commit). */
  orphanedFiles: string[]
}

export async function deleteNotebookInTx(tx: DbTx, userId: number, uuid: string): Promise<DeleteNotebookResult> {
  const notebook = await tx.notebook.findUnique({ where: { userId_uuid: { userId, uuid } }, include: { pages: { select: { fileSha256: true } } } })
  if (!notebook) return { deleted: false, orphanedFiles: [] }
  // Every target's ids for this notebook's items, so the target can be cleaned up later.
  const records = await tx.syncRecord.findMany({ where: { userId, notebookUuid: uuid, externalId: { not: null } }, select: { targetName: true, itemType: true, externalId: true, metadataJson: true } })
  const externalIds: Record<string, { notebook?: string | null; metadata?: unknown; items: number }> = {}
  for (const r of records) {
    const entry = (externalIds[r.targetName] ??= { items: 0 })
    if (r.itemType === 'notebook_metadata') {
      entry.notebook = r.externalId
      entry.metadata = r.metadataJson ? JSON.parse(r.metadataJson) : undefined
    } else entry.items++
  }
  const tombstone = await tx.notebookTombstone.create({ data: { userId, notebookUuid: uuid, visibleName: notebook.visibleName, externalIds: externalIds as object } })
  // Subscribers that mirror the library (the Obsidian agent) hear of it through the tombstone.
  await notifyEvents(tx, [{ kind: 'tombstone', userId, id: tombstone.id }])
  // The items' rows stay, marked removed, until their target is cleaned up.
  await tx.$executeRaw`
    update sync_records set removed_at = coalesce(removed_at, now()), status = 'pending', updated_at = now(),
      content_hash = encode(sha256(convert_to('removed:' || item_type || ':' || item_id, 'UTF8')), 'hex')
    where user_id = ${userId} and notebook_uuid = ${uuid}`
  await tx.notebook.delete({ where: { id: notebook.id } })
  // A notebook's Notion page is trashed (or marked "Source deleted") by its targets' cleanup job.
  const integrations = await tx.integrationConfig.findMany({ where: { userId, isEnabled: true }, select: { id: true } })
  for (const i of integrations) await addCleanupJob(tx, i.id, uuid)
  const hashes = [...new Set(notebook.pages.map((p) => p.fileSha256).filter((h): h is string => !!h))]
  const stillUsed = hashes.length ? await tx.page.findMany({ where: { fileSha256: { in: hashes } }, select: { fileSha256: true } }) : []
  const used = new Set(stillUsed.map((p) => p.fileSha256))
  const orphanedFiles = hashes.filter((h) => !used.has(h))
  if (orphanedFiles.length) await tx.storedFile.deleteMany({ where: { sha256: { in: orphanedFiles } } })
  return { deleted: true, orphanedFiles }
}

export async function deleteNotebook(db: Db, storage: FileStorage, userId: number, uuid: string): Promise<DeleteNotebookResult> {
  const result = await db.$transaction(async (tx) => {
    await lockLibrary(tx, userId)
    return deleteNotebookInTx(tx, userId, uuid)
  })
  for (const sha of result.orphanedFiles) await storage.delete(sha)
  return result
}
