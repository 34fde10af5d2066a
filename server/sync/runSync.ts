// One sync_notebook run, for any target: open the integration, plan the notebook, apply the plan (or
// keep it as a preview in a dry run). Failures say what the job does next: wait and run again (rate
// limits, the target down), or stop and wait for the user (token revoked, a request the target will
// never accept). The target-specific work is behind SyncTarget (syncTarget.ts).
import type { Db } from '../db.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { openIntegration } from './openIntegration.ts'
import type { SyncDeps, SyncRunOutcome } from './syncDeps.ts'

export type { SyncDeps, SyncRunOutcome } from './syncDeps.ts'

export async function runSync(deps: SyncDeps, integrationId: number, notebookId: number, attempt: number, maxAttempts: number): Promise<SyncRunOutcome> {
  const { db } = deps
  const now = deps.now ?? (() => new Date())
  const opened = await openIntegration(deps, integrationId)
  if (!opened.ok) return opened.outcome
  const { integration, settings, target, connection } = opened.value
  if (!integration.isEnabled) return { kind: 'skipped', reason: 'integration disabled' }

  const plan = await connection.planNotebook(notebookId)
  if (!plan) return { kind: 'skipped', reason: 'notebook gone' }
  const open = { db, userId: integration.userId, targetName: integration.targetName, notebookUuid: plan.notebookUuid }
  let requests = 0
  try {
    if (settings.dryRun) {
      const planned = await plan.preview()
      await db.syncPreview.upsert({
        where: { integrationId_notebookId: { integrationId, notebookId } },
        create: { integrationId, notebookId, requests: planned as object },
        update: { requests: planned as object, createdAt: now() },
      })
      // A new plan to show: the notebook's subscribers read its preview again.
      await notifyEvents(db, [{ kind: 'notebook', userId: integration.userId, id: notebookId }])
      return { kind: 'dry_run', requests: planned.length }
    }
    const applied = await plan.apply()
    requests = applied.requests
    await db.integrationConfig.update({ where: { id: integrationId }, data: { lastSyncedAt: now() } })
    return { kind: 'done', ...applied }
  } catch (error) {
    const e = target.classifyError(error)
    if (e.transient) {
      if (attempt >= maxAttempts) {
        await markOpenItems(open, { status: 'failed', errorMessage: `${e.message} (gave up after ${attempt} attempts; retried by itself once ${target.displayName} answers)`, failureKind: 'transient' })
        return { kind: 'failed', reason: e.message, requests, transient: true }
      }
      await markOpenItems(open, { status: 'retry', errorMessage: e.message, failureKind: 'transient' })
      return { kind: 'retry', delayMs: e.retryAfterMs ?? 0, reason: e.message, requests }
    }
    await markOpenItems(open, { status: 'failed', errorMessage: e.message, failureKind: 'permanent' })
    return { kind: 'failed', reason: e.message, requests }
  }
}

/** Marks the notebook's open items at this target (for the dashboard), without touching what succeeded. */
async function markOpenItems(
  open: { db: Db; userId: number; targetName: string; notebookUuid: string },
  data: { status: 'retry' | 'failed'; errorMessage: string; failureKind: 'transient' | 'permanent' },
) {
  const { db, userId, targetName, notebookUuid } = open
  await db.$transaction(async (tx) => {
    const rows = await tx.syncRecord.findMany({ where: { userId, targetName, notebookUuid, status: { in: ['pending', 'retry', 'failed'] } }, select: { id: true } })
    await tx.syncRecord.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { ...data, retryCount: { increment: 1 } } })
    await notifyEvents(tx, rows.map((r) => ({ kind: 'sync_record' as const, userId, id: r.id })))
  })
}
