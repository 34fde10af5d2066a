// Notion as a sync target (server/sync/syncTarget.ts): one page per notebook in the user's database.
// Plan: the notebook's model from our database. Apply: the schema (cached in target_state), the
// notebook's sync, the items' outcomes. Preview: the same sync against a port that only records.
import type { Db } from '../db.ts'
import type { SyncTarget, TargetConnection, TargetContext, NotebookPlan, SyncFailure } from '../sync/syncTarget.ts'
import { openNotionCredentials, NOTION_TARGET, type NotionCredentials } from '../integrations/integrationConfig.ts'
import { makeNotionClient } from './notionClient.ts'
import type { NotionPacer } from './pacer.ts'
import { classifySyncError, makeSdkNotionPort, SyncCallError, type NotionPort } from './sync/notionPort.ts'
import { makeDryRunPort } from './sync/dryRunPort.ts'
import { loadNotebookModel, type NotebookModel } from './sync/notebookModel.ts'
import { syncNotebookToNotion, type NotebookSyncEnv } from './sync/notebookSync.ts'
import { recordNotionOutcomes } from './sync/recordOutcomes.ts'
import { makeDbSyncStore, memoryStore } from './sync/syncStore.ts'
import { readSchemaFromProperties, type NotionSchema } from './sync/notebookProperties.ts'
import { EMPTY_NOTEBOOK_STATE } from './sync/notebookState.ts'

export interface NotionSyncTargetDeps {
  pacer: NotionPacer
  /** NOTION_API_BASE_URL. */
  baseUrl: string
  /** Longest wait for a pacer slot inside a job before it reschedules itself instead. */
  maxPacerWaitMs?: number
}

// The probe waits for a pacer slot no longer than this, whatever a job would.
const PROBE_MAX_WAIT_MS = 30_000

export function makeNotionSyncTarget(deps: NotionSyncTargetDeps): SyncTarget {
  return {
    targetName: NOTION_TARGET,
    displayName: 'Notion',
    connect(context) {
      const { integration, cipher } = context
      const credentials = openNotionCredentials(cipher, integration.userId, integration.configEncrypted)
      if (!credentials.ok) return credentials
      return { ok: true, value: makeNotionConnection(deps, context, credentials.value) }
    },
    classifyError: (error) => describeFailure(classifySyncError(error)),
  }
}

function describeFailure(e: SyncCallError): SyncFailure {
  return { message: e.message, transient: e.transient, retryAfterMs: e.retryAfterMs, gone: e.kind === 'not_found' || e.kind === 'archived' }
}

function makeNotionConnection(deps: NotionSyncTargetDeps, context: TargetContext, credentials: NotionCredentials): TargetConnection {
  const { db, integration } = context
  const makeClient = (maxWaitMs: number) => makeNotionClient({ token: credentials.token, baseUrl: deps.baseUrl, pacer: deps.pacer, maxWaitMs })
  const destination = { databaseId: credentials.databaseId, dataSourceId: credentials.dataSourceId }
  return {
    async planNotebook(notebookId) {
      const model = await loadNotebookModel(db, integration.userId, NOTION_TARGET, notebookId)
      if (!model) return null
      return makeNotionPlan(context, destination, makeSdkNotionPort(makeClient(deps.maxPacerWaitMs ?? 30_000)), model)
    },
    async cleanUpNotebook(copy) {
      const pageId = copy.externalIds?.notebook ?? null
      if (!pageId) return { requests: 0 }
      const port = makeSdkNotionPort(makeClient(deps.maxPacerWaitMs ?? 30_000))
      const schema = (integration.targetState as { schema?: NotionSchema } | null)?.schema
      try {
        if (context.settings.cleanUpOnDelete) await port.updatePage(pageId, { in_trash: true })
        else if (!schema || schema.present.includes('Status')) await port.updatePage(pageId, { properties: { Status: { select: { name: 'Source deleted' } } } })
        return { requests: 1 }
      } catch (error) {
        return { requests: 1, failure: describeFailure(classifySyncError(error)) }
      }
    },
    async probe() {
      try {
        await makeClient(PROBE_MAX_WAIT_MS).users.me({})
        return null
      } catch (error) {
        return describeFailure(classifySyncError(error))
      }
    },
  }
}

function makeNotionPlan(context: TargetContext, destination: NotebookSyncEnv['destination'], client: NotionPort, model: NotebookModel): NotebookPlan {
  const { db, integration, logger, now } = context
  const ids = { userId: integration.userId, integrationId: integration.id, targetName: NOTION_TARGET }
  // The schema is read with the real client even in a dry run: reading changes nothing.
  const makeEnv = async (port: NotionPort, dry: boolean): Promise<NotebookSyncEnv> => ({
    port,
    reader: dry ? client : undefined,
    store: dry ? memoryStore : makeDbSyncStore(db, ids),
    schema: await readSchema(db, client, integration.id, integration.targetState, destination),
    destination,
    logger,
    now,
  })
  return {
    notebookUuid: model.notebook.uuid,
    async apply() {
      const result = await syncAfresh(await makeEnv(client, false), model)
      const recorded = await recordNotionOutcomes(db, model, result, now())
      return { requests: result.requests, ...recorded }
    },
    async preview() {
      const dry = makeDryRunPort()
      await syncAfresh(await makeEnv(dry.port, true), model)
      return dry.requests
    },
  }
}

/** The notebook's sync; when its page (or a block we anchored on) is gone from Notion, once more on a new page. */
async function syncAfresh(env: NotebookSyncEnv, model: NotebookModel) {
  try {
    return await syncNotebookToNotion(env, model)
  } catch (error) {
    const e = classifySyncError(error)
    if (e.kind !== 'not_found' && e.kind !== 'archived') throw e
    env.logger.warn({ notebookId: model.notebook.id, err: e.message }, 'notion page or anchor gone; writing the notebook anew')
    // The page was ours: nothing made elsewhere is looked for again.
    Object.assign(model.state, { ...EMPTY_NOTEBOOK_STATE, sections: [], lookedForPage: true })
    for (const s of model.sections.values()) s.blocks = []
    await env.store.saveSections(model, [...model.sections.keys()])
    return syncNotebookToNotion(env, model)
  }
}

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
