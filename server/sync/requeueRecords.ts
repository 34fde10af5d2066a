// Retrying sync work by hand (retrySync, retryFailedSyncs): records marked pending again and their
// notebooks' sync jobs added, replacing a backoff still waiting, inside the caller's transaction.
import type { DbTx } from '../db.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { addSyncJob } from './syncJobs.ts'

/** Returns how many of the user's records were queued again (ids of other users' records are ignored). */
export async function requeueRecords(tx: DbTx, userId: number, recordIds: number[]): Promise<number> {
  if (!recordIds.length) return 0
  const records = await tx.syncRecord.findMany({ where: { id: { in: recordIds }, userId }, select: { id: true, targetName: true, notebookUuid: true } })
  await tx.syncRecord.updateMany({ where: { id: { in: records.map((r) => r.id) } }, data: { status: 'pending', errorMessage: null, failureKind: null, retryCount: 0 } })
  const pairs = new Set(records.map((r) => `${r.targetName}\u0000${r.notebookUuid}`))
  for (const pair of pairs) {
    const [targetName, notebookUuid] = pair.split('\u0000')
    const integration = await tx.integrationConfig.findUnique({ where: { userId_targetName: { userId, targetName } }, select: { id: true, isEnabled: true } })
    const notebook = await tx.notebook.findUnique({ where: { userId_uuid: { userId, uuid: notebookUuid } }, select: { id: true } })
    if (integration?.isEnabled && notebook) await addSyncJob(tx, integration.id, notebook.id, { mode: 'replace' })
  }
  await notifyEvents(tx, records.map((r) => ({ kind: 'sync_record' as const, userId, id: r.id })))
  return records.length
}
