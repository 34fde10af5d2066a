// One sync_notebook run for a Notion integration: credentials, schema, the notebook's sync, the
// items' outcomes. Failures say what the job does next: wait and run again (rate limits, Notion
// down), or stop and wait for the user (token revoked, a request Notion will never accept).
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import type { ConfigCipher } from '../crypto/configCipher.ts'
import { readNotionIntegration } from '../integrations/integrationConfig.ts'
import { makeNotionClient } from '../notion/notionClient.ts'
import type { NotionPacer } from '../notion/pacer.ts'
import { classifySyncError, makeSdkNotionPort, SyncCallError, type NotionPort } from '../notion/sync/notionPort.ts'
import { makeDryRunPort } from '../notion/sync/dryRunPort.ts'
import { loadNotebookModel } from '../notion/sync/notebookModel.ts'
import { syncNotebookToNotion } from '../notion/sync/notebookSync.ts'
import { recordNotionOutcomes } from '../notion/sync/recordOutcomes.ts'
import { makeDbSyncStore, memoryStore } from '../notion/sync/syncStore.ts'
import { readSchemaFromProperties, type NotionSchema } from '../notion/sync/notebookProperties.ts'
import { EMPTY_NOTEBOOK_STATE } from '../notion/sync/notebookState.ts'
import { notifyEvents } from '../events/appEvent.ts'

export interface SyncDeps {
  db: Db
  cipher: ConfigCipher
  pacer: NotionPacer
  logger: Logger
  notionBaseUrl: string
  now?: () => Date
  /** Longest wait for a pacer slot inside a job before it reschedules itself instead. */
  maxPacerWaitMs?: number
}

export type SyncRunOutcome =
  | { kind: 'done'; requests: number; succeeded: number; failed: number }
  | { kind: 'dry_run'; requests: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'retry'; delayMs: number; reason: string; requests: number }
  | { kind: 'failed'; reason: string; requests: number; transient?: boolean }

async function readSchema(db: Db, port: NotionPort, integrationId: number, targetState: unknown, destination: { databaseId: string; dataSourceId: string | null }): Promise<NotionSchema> {
  const cached = (targetState as { schema?: NotionSchema } | null)?.schema
  if (cached && (!destination.dataSourceId || cached.dataSourceId === destination.dataSourceId)) return cached
  let dataSourceId = destination.dataSourceId
  if (!dataSourceId) dataSourceId = (await port.retrieveDatabase(destination.databaseId)).data_sources[0]?.id ?? null
  if (!dataSourceId) throw new SyncCallError('invalid', 'The Notion database has no data source')
  const ds = await port.retrieveDataSource(dataSourceId)
  const schema = readSchemaFromProperties(dataSourceId, ds.properties)
  await db.integrationConfig.update({ where: { id: integrationId }, data: { targetState: { schema } as object } })
  return schema
}

/** Marks the notebook's open items at this target (for the dashboard), without touching what succeeded. */
async function markOpenItems(db: Db, userId: number, notebookUuid: string, data: { status: 'retry' | 'failed'; errorMessage: string; failureKind: 'transient' | 'permanent' }) {
  await db.$transaction(async (tx) => {
    const rows = await tx.syncRecord.findMany({ where: { userId, targetName: 'notion', notebookUuid, status: { in: ['pending', 'retry', 'failed'] } }, select: { id: true } })
    await tx.syncRecord.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { ...data, retryCount: { increment: 1 } } })
    await notifyEvents(tx, rows.map((r) => ({ kind: 'sync_record' as const, userId, id: r.id })))
  })
}

export async function runNotionSync(deps: SyncDeps, integrationId: number, notebookId: number, attempt: number, maxAttempts: number): Promise<SyncRunOutcome> {
  const { db, logger } = deps
  const now = deps.now ?? (() => new Date())
  const read = await readNotionIntegration(db, deps.cipher, integrationId)
  if (!read) return { kind: 'skipped', reason: 'integration gone' }
  if (!read.ok) return { kind: 'failed', reason: read.error.message, requests: 0 }
  const { integration, credentials, settings } = read.value
  if (!integration.isEnabled) return { kind: 'skipped', reason: 'integration disabled' }
  const ids = { userId: integration.userId, integrationId, targetName: 'notion' }
  const destination = { databaseId: credentials.databaseId, dataSourceId: credentials.dataSourceId }

  const model = await loadNotebookModel(db, integration.userId, 'notion', notebookId)
  if (!model) return { kind: 'skipped', reason: 'notebook gone' }

  const dry = settings.dryRun ? makeDryRunPort() : null
  const client = makeNotionClient({ token: credentials.token, baseUrl: deps.notionBaseUrl, pacer: deps.pacer, maxWaitMs: deps.maxPacerWaitMs ?? 30_000 })
  const port = dry?.port ?? makeSdkNotionPort(client)
  let requests = 0
  try {
    // The schema is read with the real client even in a dry run: reading changes nothing.
    const schema = await readSchema(db, makeSdkNotionPort(client), integrationId, integration.targetState, destination)
    const env = { port, reader: dry ? makeSdkNotionPort(client) : undefined, store: dry ? memoryStore : makeDbSyncStore(db, ids), schema, destination, logger, now }
    let result
    try {
      result = await syncNotebookToNotion(env, model)
    } catch (error) {
      const e = classifySyncError(error)
      if (e.kind !== 'not_found' && e.kind !== 'archived') throw e
      // The notebook's page was deleted or trashed in Notion (or a block we anchored on): start the
      // notebook afresh on a new page, once.
      logger.warn({ notebookId, err: e.message }, 'notion page or anchor gone; writing the notebook anew')
      // The page was ours: nothing made elsewhere is looked for again.
      Object.assign(model.state, { ...EMPTY_NOTEBOOK_STATE, sections: [], lookedForPage: true })
      for (const s of model.sections.values()) s.blocks = []
      await env.store.saveSections(model, [...model.sections.keys()])
      result = await syncNotebookToNotion(env, model)
    }
    requests = result.requests
    if (dry) {
      await db.syncPreview.upsert({
        where: { integrationId_notebookId: { integrationId, notebookId } },
        create: { integrationId, notebookId, requests: dry.requests as object },
        update: { requests: dry.requests as object, createdAt: now() },
      })
      // A new plan to show: the notebook's subscribers read its preview again.
      await notifyEvents(db, [{ kind: 'notebook', userId: integration.userId, id: notebookId }])
      return { kind: 'dry_run', requests: dry.requests.length }
    }
    const recorded = await recordNotionOutcomes(db, model, result, now())
    await db.integrationConfig.update({ where: { id: integrationId }, data: { lastSyncedAt: now() } })
    return { kind: 'done', requests, ...recorded }
  } catch (error) {
    const e = classifySyncError(error)
    if (e.transient) {
      if (attempt >= maxAttempts) {
        await markOpenItems(db, integration.userId, model.notebook.uuid, { status: 'failed', errorMessage: `${e.message} (gave up after ${attempt} attempts; retried by itself once Notion answers)`, failureKind: 'transient' })
        return { kind: 'failed', reason: e.message, requests, transient: true }
      }
      await markOpenItems(db, integration.userId, model.notebook.uuid, { status: 'retry', errorMessage: e.message, failureKind: 'transient' })
      return { kind: 'retry', delayMs: e.retryAfterMs ?? 0, reason: e.message, requests }
    }
    await markOpenItems(db, integration.userId, model.notebook.uuid, { status: 'failed', errorMessage: e.message, failureKind: 'permanent' })
    return { kind: 'failed', reason: e.message, requests }
  }
}
