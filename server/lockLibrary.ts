// The one lock every writer of a user's library takes (metadata sync, uploads' extraction, deletes,
// highlight corrections, integration enable/catch-up): reconciling a notebook reads all its pages and
// folder paths depend on every folder, and a catch-up must not miss a change queued meanwhile.
import type { DbTx } from './db.ts'

export async function lockLibrary(tx: DbTx, userId: number): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('library'), ${userId})`
}
