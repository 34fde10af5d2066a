// One sync_notebook run for a Readwise integration: credentials, the notebook's plan against what
// its records say was delivered, the writes, the items' outcomes. Failures say what the job does
// next: wait and run again (429, Readwise down), or stop and wait for the user (token revoked).
import type { Db } from '../db.ts'
import { notifyEvents } from '../events/appEvent.ts'
import type { SyncDeps, SyncRunOutcome } from '../sync/runNotionSync.ts'
import { applyReadwisePlan, memoryReadwiseStore, recoverReadwiseIntent } from './readwiseApply.ts'
import { ReadwiseCallError } from './readwiseCallError.ts'
import { makeReadwiseClient } from './readwiseClient.ts'
import { makeReadwiseDryRun } from './readwiseDryRun.ts'
import { readReadwiseIntegration } from './readwiseIntegration.ts'
import { loadReadwiseModel, READWISE_TARGET } from './readwiseModel.ts'
import { planReadwiseSync } from './readwisePlan.ts'
import { makeDbReadwiseStore } from './readwiseStore.ts'
import { recordReadwiseOutcomes } from './recordReadwiseOutcomes.ts'

/** Without PUBLIC_URL, links point at a local server (what `npm start` serves). */
export const DEFAULT_PUBLIC_URL = 'http://localhost:4000'

async function markOpenItems(db: Db, userId: number, notebookUuid: string, data: { status: 'retry' | 'failed'; errorMessage: string; failureKind: 'transient' | 'permanent' }) {
  await db.$transaction(async (tx) => {
    const rows = await tx.syncRecord.findMany({ where: { userId, targetName: READWISE_TARGET, notebookUuid, status: { in: ['pending', 'retry', 'failed'] } }, select: { id: true } })
    await tx.syncRecord.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { ...data, retryCount: { increment: 1 } } })
    await notifyEvents(tx, rows.map((r) => ({ kind: 'sync_record' as const, userId, id: r.id })))
  })
}

export async function runReadwiseSync(deps: SyncDeps, integrationId: number, notebookId: number, attempt: number, maxAttempts: number): Promise<SyncRunOutcome> {
  const { db } = deps
  const now = deps.now ?? (() => new Date())
  if (!deps.readwise) return { kind: 'skipped', reason: 'Readwise is not configured in this worker' }
  const read = await readReadwiseIntegration(db, deps.cipher, integrationId)
  if (!read) return { kind: 'skipped', reason: 'integration gone' }
  if (!read.ok) return { kind: 'failed', reason: read.error.message, requests: 0 }
  const { integration, credentials, settings } = read.value
  if (!integration.isEnabled) return { kind: 'skipped', reason: 'integration disabled' }
  const userId = integration.userId
  const model = await loadReadwiseModel(db, userId, notebookId, { publicUrl: deps.publicUrl ?? DEFAULT_PUBLIC_URL, sendPageNotes: settings.sendPageNotes })
  if (!model) return { kind: 'skipped', reason: 'notebook gone' }

  const dry = settings.dryRun ? makeReadwiseDryRun() : null
  const client = dry?.client ?? makeReadwiseClient({ token: credentials.token, baseUrl: deps.readwise.baseUrl, pacer: deps.readwise.pacer, maxWaitMs: deps.maxPacerWaitMs ?? 30_000 })
  const env = { client, store: dry ? memoryReadwiseStore : makeDbReadwiseStore(db, userId) }
  let requests = 0
  try {
    requests += await recoverReadwiseIntent(env, model)
    const plan = planReadwiseSync(model)
    const result = await applyReadwisePlan(env, model, plan)
    requests += result.requests
    if (dry) {
      await db.syncPreview.upsert({
        where: { integrationId_notebookId: { integrationId, notebookId } },
        create: { integrationId, notebookId, requests: dry.requests as object },
        update: { requests: dry.requests as object, createdAt: now() },
      })
      return { kind: 'dry_run', requests: dry.requests.length }
    }
    const recorded = await recordReadwiseOutcomes(db, model, plan, result, now())
    await db.integrationConfig.update({ where: { id: integrationId }, data: { lastSyncedAt: now() } })
    return { kind: 'done', requests, ...recorded }
  } catch (error) {
    if (!(error instanceof ReadwiseCallError)) throw error
    if (error.transient) {
      if (attempt >= maxAttempts) {
        await markOpenItems(db, userId, model.notebook.uuid, { status: 'failed', errorMessage: `${error.message} (gave up after ${attempt} attempts; retried by itself once Readwise answers)`, failureKind: 'transient' })
        return { kind: 'failed', reason: error.message, requests, transient: true }
      }
      await markOpenItems(db, userId, model.notebook.uuid, { status: 'retry', errorMessage: error.message, failureKind: 'transient' })
      return { kind: 'retry', delayMs: error.retryAfterMs ?? 0, reason: error.message, requests }
    }
    await markOpenItems(db, userId, model.notebook.uuid, { status: 'failed', errorMessage: error.message, failureKind: 'permanent' })
    return { kind: 'failed', reason: error.message, requests }
  }
}
