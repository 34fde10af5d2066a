// What the LISTEN connection may have missed while it was down (a PostgreSQL restart, a network cut):
// NOTIFY is not kept for a listener that is not connected, so after reconnecting the server asks the
// tables what changed since it last knew it was listening. Rows are re-announced as if notified
// (a subscriber may hear a row twice, in its current state: harmless); tokens revoked meanwhile close
// their subscriptions.
import type { Db } from '../db.ts'
import type { RowEventKind } from './appEvent.ts'

/**
 * How far before the last moment the connection was known to be listening to look. updated_at is
 * stamped when a transaction writes (by the writer's clock, or PostgreSQL's now(), the transaction's
 * start), while its NOTIFY is sent at commit: a transaction may commit up to its timeout (60 s) later.
 */
export const MISSED_EVENTS_MARGIN_MS = 90_000

/** At most this many rows per table are re-read: beyond that, clients reload on their own. */
const LIMIT = 20_000

export interface MissedEvents {
  rows: Map<RowEventKind, Set<number>>
  revokedTokenHashes: string[]
}

export async function readMissedEvents(db: Db, since: Date): Promise<MissedEvents> {
  const rows = new Map<RowEventKind, Set<number>>()
  const add = (kind: RowEventKind, ids: Iterable<number>) => {
    let set = rows.get(kind)
    if (!set) rows.set(kind, (set = new Set()))
    for (const id of ids) set.add(id)
  }
  const [records, pages, todos, highlights, notebooks, tombstones] = await Promise.all([
    db.$queryRaw<{ id: number }[]>`select id from sync_records where updated_at >= ${since} order by updated_at desc limit ${LIMIT}`,
    db.$queryRaw<{ id: number; notebook_id: number }[]>`select id, notebook_id from pages where updated_at >= ${since} order by updated_at desc limit ${LIMIT}`,
    db.$queryRaw<{ id: number }[]>`select id from todos where updated_at >= ${since} order by updated_at desc limit ${LIMIT}`,
    db.$queryRaw<{ id: number; notebook_id: number }[]>`select id, notebook_id from highlights where updated_at >= ${since} order by updated_at desc limit ${LIMIT}`,
    db.$queryRaw<{ id: number }[]>`select id from notebooks where updated_at >= ${since} order by updated_at desc limit ${LIMIT}`,
    db.$queryRaw<{ id: number }[]>`select id from notebook_tombstones where deleted_at >= ${since} order by deleted_at desc limit ${LIMIT}`,
  ])
  add('sync_record', records.map((r) => r.id))
  add('page', pages.map((r) => r.id))
  add('todo', todos.map((r) => r.id))
  add('highlight', highlights.map((r) => r.id))
  add('notebook', notebooks.map((r) => r.id))
  add('tombstone', tombstones.map((r) => r.id))
  // A notebook's Markdown changes with its pages' text and highlights as well as with the notebook.
  add('markdown', [...notebooks.map((r) => r.id), ...pages.map((r) => r.notebook_id), ...highlights.map((r) => r.notebook_id)])
  for (const [kind, ids] of rows) if (ids.size === 0) rows.delete(kind)
  const revoked = await db.$queryRaw<{ token_hash: string }[]>`
    select token_hash from api_tokens where revoked_at >= ${since}
    union all select token_hash from sessions where revoked_at >= ${since}`
  return { rows, revokedTokenHashes: revoked.map((r) => r.token_hash) }
}
