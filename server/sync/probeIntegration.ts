// Disconnection recovery, the one scheduled thing: while an integration has items that failed for
// transient reasons (the target down, network), a light probe asks the target whether it answers;
// once it does, those items are queued again. Items failed for permanent reasons wait for the user.
import { notifyEvents } from '../events/appEvent.ts'
import { addSyncJob } from './syncJobs.ts'
import { openIntegration } from './openIntegration.ts'
import type { SyncDeps } from './syncDeps.ts'

export type ProbeOutcome = { kind: 'requeued'; items: number; notebooks: number } | { kind: 'still_down'; reason: string } | { kind: 'nothing_to_do' }

export function makeProbeJobKey(integrationId: number): string {
  return `probe_integration:${integrationId}`
}

export async function probeIntegration(deps: SyncDeps, integrationId: number): Promise<ProbeOutcome> {
  const { db } = deps
  const opened = await openIntegration(deps, integrationId)
  if (!opened.ok || !opened.value.integration.isEnabled) return { kind: 'nothing_to_do' }
  const { integration, connection } = opened.value
  const waitingWhere = { userId: integration.userId, targetName: integration.targetName, status: 'failed', failureKind: 'transient' } as const
  const waiting = await db.syncRecord.count({ where: waitingWhere })
  if (!waiting) return { kind: 'nothing_to_do' }
  const failure = await connection.probe()
  if (failure?.transient) return { kind: 'still_down', reason: failure.message }
  if (failure) {
    // The target answers, but refuses (token revoked): those items now wait for the user.
    await db.syncRecord.updateMany({ where: waitingWhere, data: { failureKind: 'permanent', errorMessage: failure.message } })
    return { kind: 'nothing_to_do' }
  }
  return db.$transaction(async (tx) => {
    const rows = await tx.syncRecord.findMany({ where: waitingWhere, select: { id: true, notebookUuid: true } })
    await tx.syncRecord.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status: 'pending', failureKind: null, errorMessage: null, retryCount: 0 } })
    const uuids = [...new Set(rows.map((r) => r.notebookUuid).filter((u): u is string => !!u))]
    const notebooks = await tx.notebook.findMany({ where: { userId: integration.userId, uuid: { in: uuids } }, select: { id: true } })
    for (const nb of notebooks) await addSyncJob(tx, integrationId, nb.id)
    await notifyEvents(tx, rows.map((r) => ({ kind: 'sync_record' as const, userId: integration.userId, id: r.id })))
    return { kind: 'requeued' as const, items: rows.length, notebooks: notebooks.length }
  })
}
