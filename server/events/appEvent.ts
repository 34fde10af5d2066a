// What server and worker announce to each other through PostgreSQL NOTIFY: ids only, never content.
import type { DbTx } from '../db.ts'

export const EVENTS_CHANNEL = 'rmirror_events'

export type AppEvent =
  | { kind: 'page'; userId: number; id: number }
  | { kind: 'todo'; userId: number; id: number }
  | { kind: 'highlight'; userId: number; id: number }
  | { kind: 'notebook'; userId: number; id: number }
  | { kind: 'sync_record'; userId: number; id: number }
  /** A notebook's Markdown may have changed (its text, highlights, name, folder, tags, pages): id is the notebook's. */
  | { kind: 'markdown'; userId: number; id: number }
  /** A notebook was deleted: id is its tombstone's. */
  | { kind: 'tombstone'; userId: number; id: number }
  | { kind: 'token_revoked'; tokenHash: string }

export type RowEventKind = Exclude<AppEvent['kind'], 'token_revoked'>

/** Announces events inside the caller's transaction: listeners hear them only if it commits. */
export async function notifyEvents(tx: DbTx, events: readonly AppEvent[]): Promise<void> {
  if (events.length === 0) return
  // pg_notify payloads are limited to 8000 bytes; ids are small, but chunk anyway.
  for (let i = 0; i < events.length; i += 100) {
    await tx.$executeRaw`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(events.slice(i, i + 100))})`
  }
}
