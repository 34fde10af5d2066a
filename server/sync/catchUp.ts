// Catch-up: when an integration is enabled again (or connected), every item
// it has not delivered is marked pending and each affected notebook gets its sync job — inside the
// caller's transaction, so the switch and the work commit together.
//
// "Not delivered" is wider than "no `success` row": a row whose fingerprint is no
// longer the item's (edited or moved while the integration was off, when queue_sync skipped it) is
// due as well, and so are rows of items that went away meanwhile (marked removed, as queue_sync
// does, so the target gets cleaned up) and removed rows still waiting for their clean-up. Live items
// are those reconcileNotebook treats as live: pages with a page number and text, todos and highlights
// not removed and placed on a page, notebooks (not folders) not deleted.
import type { DbTx } from '../db.ts'
import { addCleanupJob } from './cleanupJobs.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { fingerprintHighlight, fingerprintNotebookMetadata, fingerprintPageText, fingerprintTodo } from '../text/fingerprints.ts'
import { makeRemovedContentHash } from './queueSync.ts'
import { addSyncJob } from './syncJobs.ts'
import { targetTakes, type SyncItemType } from '../targets.ts'

export interface CatchUpResult {
  /** sync_notebook jobs added (one per affected notebook). */
  notebooks: number
  /** sync_records rows marked pending. */
  items: number
  /** cleanup_notebook jobs added for deleted notebooks whose target copies are still there. */
  cleanups: number
}

interface LiveItem {
  itemType: SyncItemType
  itemId: string
  contentHash: string
  notebookId: number
  notebookUuid: string
  pageUuid: string | null
  pageNumber: number | null
}

interface RecordRow {
  id: number
  item_type: SyncItemType
  item_id: string
  status: string
  content_hash: string
  notebook_uuid: string | null
  removed_at: Date | null
}

const BATCH = 1000

export async function queueCatchUp(tx: DbTx, userId: number, targetName: string): Promise<CatchUpResult> {
  const integration = await tx.integrationConfig.findUnique({ where: { userId_targetName: { userId, targetName } }, select: { id: true, settings: true } })
  if (!integration) return { notebooks: 0, items: 0, cleanups: 0 }
  const live = (await readLiveItems(tx, userId)).filter((item) => targetTakes(targetName, item.itemType, integration.settings))
  const records = await tx.$queryRaw<RecordRow[]>`
    select id, item_type, item_id, status::text as status, content_hash, notebook_uuid, removed_at
    from sync_records where user_id = ${userId} and target_name = ${targetName}`
  const keyOf = (type: string, id: string) => `${type}\u0000${id}`
  const recordByKey = new Map(records.map((r) => [keyOf(r.item_type, r.item_id), r]))
  const liveKeys = new Set(live.map((i) => keyOf(i.itemType, i.itemId)))

  const due = live.filter((item) => {
    const r = recordByKey.get(keyOf(item.itemType, item.itemId))
    return !r || r.status !== 'success' || r.content_hash !== item.contentHash || r.removed_at !== null
  })
  // Gone while the integration was off: queue_sync did not mark them for this target.
  const gone = records.filter((r) => r.removed_at === null && !liveKeys.has(keyOf(r.item_type, r.item_id)))
  // Removed earlier and not cleaned up yet: failed clean-ups start again, and every one gets its job.
  const unfinished = records.filter((r) => r.removed_at !== null && r.status !== 'success')
  const stalled = unfinished.filter((r) => r.status !== 'pending')

  const touched: number[] = []
  for (let i = 0; i < due.length; i += BATCH) touched.push(...(await markDue(tx, userId, targetName, due.slice(i, i + BATCH))))
  for (let i = 0; i < gone.length; i += BATCH) touched.push(...(await markGone(tx, gone.slice(i, i + BATCH))))
  if (stalled.length) {
    const rows = await tx.$queryRaw<{ id: number }[]>`
      update sync_records set status = 'pending', error_message = null, retry_count = 0, updated_at = now()
      where id = any(${stalled.map((r) => r.id)}::int[]) returning id`
    touched.push(...rows.map((r) => r.id))
  }

  // Jobs: a notebook's sync job for live notebooks, its clean-up job for deleted ones.
  const notebookIds = new Set(due.map((i) => i.notebookId))
  const otherUuids = new Set([...gone, ...unfinished].map((r) => r.notebook_uuid).filter((u): u is string => u !== null))
  const deletedUuids: string[] = []
  if (otherUuids.size) {
    const notebooks = await tx.notebook.findMany({ where: { userId, uuid: { in: [...otherUuids] } }, select: { id: true, uuid: true } })
    for (const n of notebooks) notebookIds.add(n.id)
    const existing = new Set(notebooks.map((n) => n.uuid))
    for (const uuid of otherUuids) if (!existing.has(uuid)) deletedUuids.push(uuid)
  }
  for (const notebookId of [...notebookIds].sort((a, b) => a - b)) {
    await addSyncJob(tx, integration.id, notebookId)
  }
  for (const notebookUuid of deletedUuids.sort()) {
    // The same job and key deleteNotebook adds for enabled integrations.
    await addCleanupJob(tx, integration.id, notebookUuid)
  }
  await notifyEvents(tx, touched.map((id) => ({ kind: 'sync_record' as const, userId, id })))
  return { notebooks: notebookIds.size, items: touched.length, cleanups: deletedUuids.length }
}

async function markDue(tx: DbTx, userId: number, targetName: string, items: LiveItem[]): Promise<number[]> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    insert into sync_records (user_id, item_type, item_id, content_hash, page_uuid, notebook_uuid, page_number, target_name, status, updated_at)
    select ${userId}, t.item_type, t.item_id, t.content_hash, t.page_uuid, t.notebook_uuid, t.page_number, ${targetName}, 'pending', now()
    from unnest(${items.map((i) => i.itemType)}::text[], ${items.map((i) => i.itemId)}::text[], ${items.map((i) => i.contentHash)}::text[],
                ${items.map((i) => i.pageUuid)}::text[], ${items.map((i) => i.notebookUuid)}::text[], ${items.map((i) => i.pageNumber)}::int[])
         as t(item_type, item_id, content_hash, page_uuid, notebook_uuid, page_number)
    on conflict (user_id, target_name, item_type, item_id) do update set
      content_hash = excluded.content_hash, page_uuid = excluded.page_uuid, notebook_uuid = excluded.notebook_uuid,
      page_number = excluded.page_number, status = 'pending', error_message = null, retry_count = 0, removed_at = null, updated_at = now()
    returning id`
  return rows.map((r) => r.id)
}

async function markGone(tx: DbTx, rows: RecordRow[]): Promise<number[]> {
  const updated = await tx.$queryRaw<{ id: number }[]>`
    update sync_records s set content_hash = t.content_hash, status = 'pending', error_message = null, retry_count = 0,
      removed_at = coalesce(s.removed_at, now()), updated_at = now()
    from unnest(${rows.map((r) => r.id)}::int[], ${rows.map((r) => makeRemovedContentHash(r.item_type, r.item_id))}::text[]) as t(id, content_hash)
    where s.id = t.id returning s.id`
  return updated.map((r) => r.id)
}

/** Every live item of the user with its fingerprint at its current place. */
async function readLiveItems(tx: DbTx, userId: number): Promise<LiveItem[]> {
  const items: LiveItem[] = []
  const pages = await tx.$queryRaw<{ id: number; uuid: string; notebook_id: number; notebook_uuid: string; page_number: number; ocr_text: string }[]>`
    select p.id, p.uuid, p.notebook_id, n.uuid as notebook_uuid, np.page_number, p.ocr_text
    from pages p join notebook_pages np on np.page_id = p.id join notebooks n on n.id = p.notebook_id
    where p.user_id = ${userId} and p.ocr_text is not null and not n.deleted`
  for (const p of pages) {
    const contentHash = fingerprintPageText({ notebookUuid: p.notebook_uuid, pageNumber: p.page_number, text: p.ocr_text })
    items.push({ itemType: 'page_text', itemId: String(p.id), contentHash, notebookId: p.notebook_id, notebookUuid: p.notebook_uuid, pageUuid: p.uuid, pageNumber: p.page_number })
  }
  const todos = await tx.$queryRaw<{ id: number; notebook_id: number; notebook_uuid: string; fuzzy_signature: string; page_number: number; page_uuid: string | null }[]>`
    select t.id, t.notebook_id, t.notebook_uuid, t.fuzzy_signature, t.page_number, pg.uuid as page_uuid
    from todos t join notebooks n on n.id = t.notebook_id left join pages pg on pg.id = t.page_id
    where t.user_id = ${userId} and t.removed_at is null and t.page_number is not null and not n.deleted`
  for (const t of todos) {
    const contentHash = fingerprintTodo({ fuzzySignature: t.fuzzy_signature, notebookUuid: t.notebook_uuid, pageNumber: t.page_number })
    items.push({ itemType: 'todo', itemId: String(t.id), contentHash, notebookId: t.notebook_id, notebookUuid: t.notebook_uuid, pageUuid: t.page_uuid, pageNumber: t.page_number })
  }
  const highlights = await tx.$queryRaw<
    { id: number; notebook_id: number; notebook_uuid: string; original_text: string; corrected_text: string | null; source_file: string; page_number: number; page_uuid: string | null }[]
  >`
    select h.id, h.notebook_id, h.notebook_uuid, h.original_text, h.corrected_text, h.source_file, h.page_number, pg.uuid as page_uuid
    from highlights h join notebooks n on n.id = h.notebook_id left join pages pg on pg.id = h.page_id
    where h.user_id = ${userId} and h.removed_at is null and h.page_number is not null and not n.deleted`
  for (const h of highlights) {
    const contentHash = fingerprintHighlight({ originalText: h.original_text, correctedText: h.corrected_text, sourceFile: h.source_file, pageNumber: h.page_number })
    items.push({ itemType: 'highlight', itemId: String(h.id), contentHash, notebookId: h.notebook_id, notebookUuid: h.notebook_uuid, pageUuid: h.page_uuid, pageNumber: h.page_number })
  }
  const notebooks = await tx.$queryRaw<{ id: number; uuid: string; visible_name: string; folder_path: string; tags: string[] }[]>`
    select id, uuid, visible_name, folder_path, tags from notebooks
    where user_id = ${userId} and not deleted and type <> 'FOLDER'`
  for (const n of notebooks) {
    const contentHash = fingerprintNotebookMetadata({ notebookUuid: n.uuid, visibleName: n.visible_name, folderPath: n.folder_path, tags: n.tags })
    items.push({ itemType: 'notebook_metadata', itemId: String(n.id), contentHash, notebookId: n.id, notebookUuid: n.uuid, pageUuid: null, pageNumber: null })
  }
  return items
}
