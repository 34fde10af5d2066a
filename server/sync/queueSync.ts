// queue_sync: marks changed items pending in sync_records for every integration whose target takes
// them, and adds that notebook's sync job for the enabled ones, inside the transaction that made the
// change. A paused (disabled) integration keeps its changes pending, visible as such, until it is
// enabled again (its catch-up then sends them).
import { createHash } from 'node:crypto'
import type { DbTx } from '../db.ts'
import { addSyncJob } from './syncJobs.ts'
import { notifyEvents, type AppEvent } from '../events/appEvent.ts'
import { noteMarkdownChanges } from './markdownChanges.ts'
import { targetTakes, type SyncItemType } from '../targets.ts'

export interface SyncItemChange {
  itemType: SyncItemType
  itemId: string
  /** The item's fingerprint (server/text/fingerprints.ts). Ignored for removed items. */
  contentHash: string
  notebookUuid: string
  pageUuid?: string | null
  pageNumber?: number | null
  /** The item is gone at the source: its target copy is to be removed. */
  removed?: boolean
}

/** A removed item's row keeps its place in the unique content index under a key of its own. */
export function makeRemovedContentHash(itemType: string, itemId: string): string {
  return createHash('sha256').update(`removed:${itemType}:${itemId}`).digest('hex')
}

export { makeSyncJobKey } from './syncJobs.ts'

export interface QueueSyncResult {
  /** sync_records rows marked pending. */
  marked: number
  /** sync_notebook jobs added (one per integration that took something). */
  jobs: number
}

export async function queueSync(tx: DbTx, userId: number, notebookId: number, changes: readonly SyncItemChange[]): Promise<QueueSyncResult> {
  let marked = 0
  let jobs = 0
  // Even without item changes (text that differs only in white space, a page added blank), the
  // notebook's Markdown may have changed: agent targets and subscribers hear of it.
  const events: AppEvent[] = await noteMarkdownChanges(tx, userId, [notebookId])
  const integrations = changes.length ? await tx.integrationConfig.findMany({ where: { userId }, select: { id: true, targetName: true, isEnabled: true, settings: true } }) : []
  for (const integration of integrations) {
    const taken = changes.filter((c) => targetTakes(integration.targetName, c.itemType, integration.settings))
    if (taken.length === 0) continue
    for (const c of taken) {
      const rows = c.removed ? await markRemoved(tx, userId, integration.targetName, c) : await markChanged(tx, userId, integration.targetName, c)
      for (const r of rows) events.push({ kind: 'sync_record', userId, id: r.id })
      marked += rows.length
    }
    if (!integration.isEnabled) continue
    await addSyncJob(tx, integration.id, notebookId)
    jobs++
  }
  await notifyEvents(tx, events)
  return { marked, jobs }
}

function markChanged(tx: DbTx, userId: number, targetName: string, c: SyncItemChange) {
  return tx.$queryRaw<{ id: number }[]>`
    insert into sync_records (user_id, item_type, item_id, content_hash, page_uuid, notebook_uuid, page_number, target_name, status, updated_at)
    values (${userId}, ${c.itemType}, ${c.itemId}, ${c.contentHash}, ${c.pageUuid ?? null}, ${c.notebookUuid}, ${c.pageNumber ?? null}, ${targetName}, 'pending', now())
    on conflict (user_id, target_name, item_type, item_id) do update set
      content_hash = excluded.content_hash, page_uuid = excluded.page_uuid, notebook_uuid = excluded.notebook_uuid,
      page_number = excluded.page_number, status = 'pending', error_message = null, retry_count = 0, removed_at = null, updated_at = now()
    returning id`
}

/** A removed item never delivered has nothing to clean up at the target, so no row is made for it. */
function markRemoved(tx: DbTx, userId: number, targetName: string, c: SyncItemChange) {
  return tx.$queryRaw<{ id: number }[]>`
    update sync_records set content_hash = ${makeRemovedContentHash(c.itemType, c.itemId)}, status = 'pending', error_message = null,
      retry_count = 0, removed_at = coalesce(removed_at, now()), updated_at = now()
    where user_id = ${userId} and target_name = ${targetName} and item_type = ${c.itemType} and item_id = ${c.itemId}
    returning id`
}
