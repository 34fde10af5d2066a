// Disconnection recovery, the one scheduled thing (../shared/SEED.md): while an integration has
// items that failed for transient reasons (Notion down, network), a light probe asks Notion who we
// are; once it answers, those items are queued again. Items failed for permanent reasons wait.
import { readNotionIntegration } from '../integrations/integrationConfig.ts'
import { makeNotionClient } from '../notion/notionClient.ts'
import { classifySyncError } from '../notion/sync/notionPort.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { addSyncJob } from './syncJobs.ts'
import type { SyncDeps } from './runNotionSync.ts'

export type ProbeOutcome = { kind: 'requeued'; items: number; notebooks: number } | { kind: 'still_down'; reason: string } | { kind: 'nothing_to_do' }

export function makeProbeJobKey(integrationId: number): string {
  return `probe_integration:${integrationId}`
}

export async function probeIntegration(deps: SyncDeps, integrationId: number): Promise<ProbeOutcome> {
  const { db } = deps
  const read = await readNotionIntegration(db, deps.cipher, integrationId)
  if (!read?.ok || !read.value.integration.isEnabled) return { kind: 'nothing_to_do' }
  const { integration, credentials } = read.value
  const waiting = await db.syncRecord.count({ where: { userId: integration.userId, targetName: 'notion', status: 'failed', failureKind: 'transient' } })
  if (!waiting) return { kind: 'nothing_to_do' }
  try {
    await makeNotionClient({ token: credentials.token, baseUrl: deps.notionBaseUrl, pacer: deps.pacer, maxWaitMs: 30_000 }).users.me({})
  } catch (error) {
    const e = classifySyncError(error)
    if (e.transient) return { kind: 'still_down', reason: e.message }
    // The target answers, but refuses (token revoked): those items now wait for the user.
    await db.syncRecord.updateMany({ where: { userId: integration.userId, targetName: 'notion', status: 'failed', failureKind: 'transient' }, data: { failureKind: 'permanent', errorMessage: e.message } })
    return { kind: 'nothing_to_do' }
  }
  return db.$transaction(async (tx) => {
    const rows = await tx.syncRecord.findMany({ where: { userId: integration.userId, targetName: 'notion', status: 'failed', failureKind: 'transient' }, select: { id: true, notebookUuid: true } })
    await tx.syncRecord.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status: 'pending', failureKind: null, errorMessage: null, retryCount: 0 } })
    const uuids = [...new Set(rows.map((r) => r.notebookUuid).filter((u): u is string => !!u))]
    const notebooks = await tx.notebook.findMany({ where: { userId: integration.userId, uuid: { in: uuids } }, select: { id: true } })
    for (const nb of notebooks) await addSyncJob(tx, integrationId, nb.id)
    await notifyEvents(tx, rows.map((r) => ({ kind: 'sync_record' as const, userId: integration.userId, id: r.id })))
    return { kind: 'requeued' as const, items: rows.length, notebooks: notebooks.length }
  })
}
