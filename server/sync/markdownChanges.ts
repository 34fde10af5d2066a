// Every write that can change a notebook's Markdown passes here, inside its transaction (queue_sync
// for text, highlights, page order and renames; the metadata sync for the rest): the notebooks are
// announced (the markdownChanged subscription, which the Obsidian agent follows), and the sync
// records of targets the agent writes (Obsidian) follow the notebook's Markdown version — pending
// once it differs from the version the agent last reported, success again if it returns to it.
import { createHash } from 'node:crypto'
import type { DbTx } from '../db.ts'
import type { AppEvent } from '../events/appEvent.ts'
import { MARKDOWN_FORMAT } from '../markdown/loadMarkdownSources.ts'
import { INTEGRATION_TARGETS } from '../targets.ts'

/** Targets written by the desktop agent, not by a worker: their records carry the agent's reports. */
export const OBSIDIAN_TARGET = INTEGRATION_TARGETS.OBSIDIAN.targetName
export const AGENT_TARGETS: readonly string[] = [OBSIDIAN_TARGET]

/** The content_hash of an agent target's record for a notebook (unique per user and target, like every fingerprint). */
export function makeAgentRecordHash(targetName: string, notebookUuid: string): string {
  return createHash('sha256').update(`${targetName}:notebook:${notebookUuid}`).digest('hex')
}

export async function noteMarkdownChanges(tx: DbTx, userId: number, notebookIds: readonly number[]): Promise<AppEvent[]> {
  if (notebookIds.length === 0) return []
  const events: AppEvent[] = notebookIds.map((id) => ({ kind: 'markdown', userId, id }))
  for (const target of AGENT_TARGETS) {
    for (const row of await refreshAgentRecords(tx, userId, target, notebookIds)) events.push({ kind: 'sync_record', userId, id: row.id })
  }
  return events
}

/**
 * One statement. Nothing happens (and no version is computed) for a user who never had the agent
 * write this target. Otherwise each notebook's record is set pending when its version moved away
 * from the reported one (a conflict the agent reported included: the new version gets written), or
 * success when it came back; a notebook without a record (new since the last report) gets a pending one.
 */
function refreshAgentRecords(tx: DbTx, userId: number, target: string, notebookIds: readonly number[]) {
  return tx.$queryRaw<{ id: number }[]>`
    with current_version as (
      select n.id, n.uuid, notebook_markdown_version(n.id, ${MARKDOWN_FORMAT}) as version
      from notebooks n
      where n.user_id = ${userId} and n.id = any(${[...notebookIds]}::int[]) and n.type <> 'FOLDER' and not n.deleted
        and exists (select 1 from sync_records s where s.user_id = ${userId} and s.target_name = ${target})
    ), updated as (
      update sync_records r
      set status = (case when r.payload_hash = c.version then 'success' else 'pending' end)::"SyncStatus", error_message = null, updated_at = now()
      from current_version c
      where r.user_id = ${userId} and r.target_name = ${target} and r.item_type = 'notebook_metadata' and r.item_id = c.id::text and r.removed_at is null
        and ((r.payload_hash is distinct from c.version and r.status <> 'pending') or (r.payload_hash = c.version and r.status = 'pending'))
      returning r.id
    ), inserted as (
      insert into sync_records (user_id, item_type, item_id, content_hash, notebook_uuid, target_name, status, updated_at)
      select ${userId}, 'notebook_metadata', c.id::text, encode(sha256(convert_to(${target} || ':notebook:' || c.uuid, 'UTF8')), 'hex'), c.uuid, ${target}, 'pending', now()
      from current_version c
      on conflict (user_id, target_name, item_type, item_id) do nothing
      returning id
    )
    select id from updated union all select id from inserted`
}
