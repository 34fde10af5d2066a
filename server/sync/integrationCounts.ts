// How many of a user's items an integration has delivered, has still to deliver, and failed: one
// grouped statement over sync_records (removed items waiting for clean-up count as work to do).
import type { DbTx } from '../db.ts'

export interface IntegrationCounts {
  synced: number
  /** pending and retry (a retry is scheduled work). */
  pending: number
  failed: number
}

export async function countIntegrationItems(db: DbTx, userId: number, targetName: string): Promise<IntegrationCounts> {
  const rows = await db.$queryRaw<{ synced: bigint; pending: bigint; failed: bigint }[]>`
    select count(*) filter (where status = 'success' and removed_at is null) as synced,
           count(*) filter (where status in ('pending', 'retry')) as pending,
           count(*) filter (where status = 'failed') as failed
    from sync_records where user_id = ${userId} and target_name = ${targetName}`
  const r = rows[0]
  return { synced: Number(r.synced), pending: Number(r.pending), failed: Number(r.failed) }
}
