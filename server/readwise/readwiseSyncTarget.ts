// Readwise as a sync target (server/sync/syncTarget.ts): one book per notebook, one Readwise
// highlight per highlight (several for a long one), ids kept in each item's sync record.
// Plan: what each item should be, from our database, against what its record says was delivered.
// Apply: a create left in flight is recovered first (Readwise de-duplicates it), then creates in
// batches, PATCHes in place, DELETEs; outcomes into the records. Preview: the same against a client
// that only records. Clean up: a deleted notebook's highlights are deleted with clean-up on, else
// left in Readwise. Probe: the token endpoint.
import type { SyncFailure, SyncTarget, TargetConnection, TargetContext } from '../sync/syncTarget.ts'
import type { NotionPacer } from '../notion/pacer.ts'
import { readIntegrationSettings } from '../sync/integrationSettings.ts'
import { applyReadwisePlan, memoryReadwiseStore, recoverReadwiseIntent } from './readwiseApply.ts'
import { ReadwiseCallError } from './readwiseCallError.ts'
import { makeReadwiseClient, type ReadwiseClient } from './readwiseClient.ts'
import { makeReadwiseDryRun } from './readwiseDryRun.ts'
import { openReadwiseCredentials } from './readwiseIntegration.ts'
import { loadReadwiseModel, readItemState, READWISE_TARGET } from './readwiseModel.ts'
import { planReadwiseSync } from './readwisePlan.ts'
import { makeDbReadwiseStore } from './readwiseStore.ts'
import { recordReadwiseOutcomes } from './recordReadwiseOutcomes.ts'

export interface ReadwiseSyncTargetDeps {
  pacer: NotionPacer
  /** READWISE_API_BASE_URL. */
  baseUrl: string
  /** PUBLIC_URL: where each highlight's link points (its page in the dashboard). */
  publicUrl: string | undefined
  maxPacerWaitMs?: number
}

/** Without PUBLIC_URL, links point at a local server (what `npm start` serves). */
export const DEFAULT_PUBLIC_URL = 'http://localhost:4000'
const PROBE_MAX_WAIT_MS = 30_000

export function makeReadwiseSyncTarget(deps: ReadwiseSyncTargetDeps): SyncTarget {
  return {
    targetName: READWISE_TARGET,
    displayName: 'Readwise',
    connect(context) {
      const { integration, cipher } = context
      const credentials = openReadwiseCredentials(cipher, integration.userId, integration.configEncrypted)
      if (!credentials.ok) return credentials
      return { ok: true, value: makeReadwiseConnection(deps, context, credentials.value.token) }
    },
    classifyError(error) {
      if (error instanceof ReadwiseCallError) return describeFailure(error)
      throw error
    },
  }
}

function describeFailure(e: ReadwiseCallError): SyncFailure {
  return { message: e.message, transient: e.transient, retryAfterMs: e.retryAfterMs, gone: e.kind === 'not_found' }
}

function makeReadwiseConnection(deps: ReadwiseSyncTargetDeps, context: TargetContext, token: string): TargetConnection {
  const { db, integration, now } = context
  const userId = integration.userId
  const makeClient = (maxWaitMs: number): ReadwiseClient => makeReadwiseClient({ token, baseUrl: deps.baseUrl, pacer: deps.pacer, maxWaitMs })
  const { sendPageNotes } = readIntegrationSettings(integration.settings)
  return {
    async planNotebook(notebookId) {
      const load = () => loadReadwiseModel(db, userId, notebookId, { publicUrl: deps.publicUrl ?? DEFAULT_PUBLIC_URL, sendPageNotes })
      const model = await load()
      if (!model) return null
      return {
        notebookUuid: model.notebook.uuid,
        async apply() {
          const env = { client: makeClient(deps.maxPacerWaitMs ?? 30_000), store: makeDbReadwiseStore(db, userId) }
          const recovered = await recoverReadwiseIntent(env, model)
          const plan = planReadwiseSync(model)
          const result = await applyReadwisePlan(env, model, plan)
          const recorded = await recordReadwiseOutcomes(db, model, plan, result, now())
          return { requests: recovered + result.requests, ...recorded }
        },
        async preview() {
          const dry = makeReadwiseDryRun()
          // Planned against a copy: a dry run changes nothing the real run reads.
          const copy = (await load())!
          const env = { client: dry.client, store: memoryReadwiseStore }
          await recoverReadwiseIntent(env, copy)
          await applyReadwisePlan(env, copy, planReadwiseSync(copy))
          return dry.requests
        },
      }
    },
    async cleanUpNotebook(copy) {
      // Readwise has no "deleted at the source" mark: without clean-up the highlights stay there.
      if (!context.settings.cleanUpOnDelete) return { requests: 0 }
      const records = await db.syncRecord.findMany({ where: { userId, targetName: READWISE_TARGET, notebookUuid: copy.notebookUuid, itemType: { in: ['highlight', 'page_text'] } } })
      const ids = new Set(records.flatMap((r) => {
        const st = readItemState(r.metadataJson)
        return st ? [...st.ids, ...(st.stale ?? [])] : []
      }))
      const client = makeClient(deps.maxPacerWaitMs ?? 30_000)
      let requests = 0
      for (const id of ids) {
        try {
          requests++
          await client.deleteHighlight(id)
        } catch (error) {
          if (!(error instanceof ReadwiseCallError)) throw error
          if (error.kind === 'not_found') continue
          // Deleted ones are deleted again next time (404, fine): the records stay until all went.
          return { requests, failure: describeFailure(error) }
        }
      }
      return { requests }
    },
    async probe() {
      try {
        await makeClient(PROBE_MAX_WAIT_MS).checkToken()
        return null
      } catch (error) {
        if (error instanceof ReadwiseCallError) return describeFailure(error)
        throw error
      }
    },
  }
}
