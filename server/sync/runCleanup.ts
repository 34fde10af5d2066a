// One cleanup_notebook run, for any target: a deleted notebook's copy at the target is removed when
// the user chose clean-up, otherwise marked as deleted at the source (the target decides how). Then
// its sync records at this target go, and its tombstone is marked cleaned once no target the engine
// syncs holds records of it (with Notion and Readwise both connected, each cleans up its own copy).
import { openIntegration } from './openIntegration.ts'
import type { SyncDeps, SyncRunOutcome } from './syncDeps.ts'
import type { DeletedCopy } from './syncTarget.ts'

export async function runCleanup(deps: SyncDeps, integrationId: number, notebookUuid: string): Promise<SyncRunOutcome> {
  const { db } = deps
  const opened = await openIntegration(deps, integrationId)
  if (!opened.ok) return opened.outcome
  const { integration, settings, connection } = opened.value
  const userId = integration.userId
  const tombstone = await db.notebookTombstone.findFirst({ where: { userId, notebookUuid }, orderBy: { id: 'desc' } })
  // A notebook uploaded again since (same uuid) is live: nothing of it is cleaned up.
  const live = await db.notebook.findUnique({ where: { userId_uuid: { userId, uuid: notebookUuid } } })
  const mine = await db.syncRecord.count({ where: { userId, targetName: integration.targetName, notebookUuid } })
  if (!tombstone || live || (tombstone.cleanedAt && mine === 0)) return { kind: 'skipped', reason: live ? 'notebook is back' : 'nothing to clean up' }
  const kept = (tombstone.externalIds as Record<string, DeletedCopy['externalIds']> | null)?.[integration.targetName] ?? null
  let requests = 0
  if (!settings.dryRun) {
    const cleaned = await connection.cleanUpNotebook({ notebookUuid, externalIds: kept })
    requests = cleaned.requests
    const e = cleaned.failure
    if (e?.transient) return { kind: 'retry', delayMs: e.retryAfterMs ?? 0, reason: e.message, requests }
    // Gone already (deleted by the user, or no longer shared): nothing left to clean up.
    if (e && !e.gone) return { kind: 'failed', reason: e.message, requests }
  }
  await db.$transaction(async (tx) => {
    await tx.syncRecord.deleteMany({ where: { userId, targetName: integration.targetName, notebookUuid } })
    const others = await tx.syncRecord.count({ where: { userId, notebookUuid, targetName: { in: Object.keys(deps.targets) } } })
    if (!others && !tombstone.cleanedAt) await tx.notebookTombstone.update({ where: { id: tombstone.id }, data: { cleanedAt: new Date() } })
  })
  return { kind: 'done', requests, succeeded: 1, failed: 0 }
}
