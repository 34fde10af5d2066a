// A user with a connected Readwise integration (against the local Readwise fake) — and, on the same
// app, the Notion integration of the sync harness (disabled unless asked for) — notebooks whose
// highlights are written as extraction writes them, and the sync job run in-process through the engine.
import { startReadwiseFake, type ReadwiseFake, type ReadwiseFakeOptions } from '../fakes/readwise/index.ts'
import { startSyncHarness, type SyncHarness } from './syncHarness.ts'
import { reconcileNotebook } from '../../server/extraction/reconcileNotebook.ts'
import { updateHighlight } from '../../server/extraction/updateHighlight.ts'
import { queueSync } from '../../server/sync/queueSync.ts'
import { runSync, type SyncDeps, type SyncRunOutcome } from '../../server/sync/runSync.ts'
import { makeReadwiseSyncTarget } from '../../server/readwise/readwiseSyncTarget.ts'
import { makeReadwisePacer } from '../../server/readwise/readwisePace.ts'
import type { NotionPacePolicy } from '../../server/notion/pacer.ts'
import { createHash } from 'node:crypto'

export interface ReadwiseHarness extends SyncHarness {
  readwise: ReadwiseFake
  readwiseToken: string
  readwiseIntegrationId: number
  /** The engine's deps with both targets (Readwise and Notion). */
  deps: SyncDeps
  /** Highlights found on a page, as extraction writes them (then reconciled and queued). */
  addHighlights(notebookUuid: string, pageUuid: string, texts: string[]): Promise<number[]>
  removeHighlight(id: number): Promise<void>
  correctHighlight(id: number, text: string | null): Promise<void>
  syncReadwise(notebookId: number, attempt?: number): Promise<SyncRunOutcome>
  setReadwiseSettings(settings: Record<string, boolean>): Promise<void>
}

export interface ReadwiseHarnessOptions {
  readwise?: ReadwiseFakeOptions
  /** The Readwise pacer's policy (default: fast enough never to matter). */
  pace?: NotionPacePolicy
  maxPacerWaitMs?: number
  /** Keep the Notion integration enabled (two targets). */
  withNotion?: boolean
}

export async function startReadwiseHarness(options: ReadwiseHarnessOptions = {}): Promise<ReadwiseHarness> {
  const readwise = await startReadwiseFake({ rateLimit: false, ...options.readwise })
  const h = await startSyncHarness({ env: { READWISE_API_BASE_URL: readwise.url } })
  const db = h.app.database.db
  if (!options.withNotion) await db.integrationConfig.update({ where: { id: h.integrationId }, data: { isEnabled: false } })
  const { token } = readwise.addAccount('rmirror user')
  const integration = await db.integrationConfig.create({
    data: { userId: h.user.id, targetName: 'readwise', configEncrypted: h.app.services.cipher.encrypt(h.user.id, { token }), settings: {}, isEnabled: true },
  })
  const readwiseTarget = makeReadwiseSyncTarget({
    pacer: makeReadwisePacer(db, options.pace ?? { requestsPerSecond: 1000, burst: 1000 }),
    baseUrl: readwise.url,
    publicUrl: 'https://rmirror.example',
    maxPacerWaitMs: options.maxPacerWaitMs,
  })
  const deps: SyncDeps = { ...h.deps, targets: { ...h.deps.targets, readwise: readwiseTarget } }
  const notebookIdOf = async (uuid: string) => (await db.notebook.findFirstOrThrow({ where: { userId: h.user.id, uuid } })).id
  return {
    ...h,
    deps,
    sync: (notebookId, attempt = 1) => runSync(deps, h.integrationId, notebookId, attempt, 8),
    readwise,
    readwiseToken: token,
    readwiseIntegrationId: integration.id,
    async addHighlights(notebookUuid, pageUuid, texts) {
      const notebookId = await notebookIdOf(notebookUuid)
      return db.$transaction(async (tx) => {
        const page = await tx.page.findFirstOrThrow({ where: { notebookId, uuid: pageUuid } })
        const ids: number[] = []
        for (const text of texts) {
          const hash = createHash('sha256').update(text).digest('hex')
          const created = await tx.highlight.create({
            data: { userId: h.user.id, notebookId, notebookUuid, pageId: page.id, originalText: text, originalTextHash: hash, sourceFile: `${notebookUuid}/${pageUuid}`, color: 'yellow', contentHash: '' },
          })
          ids.push(created.id)
        }
        const reconciled = await reconcileNotebook(tx, h.user.id, notebookId)
        await queueSync(tx, h.user.id, notebookId, reconciled.changes)
        await tx.$executeRaw`set constraints all immediate`
        return ids
      })
    },
    async removeHighlight(id) {
      await db.$transaction(async (tx) => {
        const hl = await tx.highlight.update({ where: { id }, data: { removedAt: new Date() } })
        await queueSync(tx, h.user.id, hl.notebookId, [{ itemType: 'highlight', itemId: String(id), contentHash: '', notebookUuid: hl.notebookUuid, removed: true }])
      })
    },
    async correctHighlight(id, text) {
      const outcome = await updateHighlight(db, h.user.id, { highlightId: id, correctedText: text })
      if (!outcome.ok) throw new Error(outcome.error.message)
    },
    syncReadwise: (notebookId, attempt = 1) => runSync(deps, integration.id, notebookId, attempt, 8),
    async setReadwiseSettings(settings) {
      const current = await db.integrationConfig.findUniqueOrThrow({ where: { id: integration.id } })
      await db.integrationConfig.update({ where: { id: integration.id }, data: { settings: { ...(current.settings as object), ...settings } } })
    },
    async close() {
      await h.close()
      await readwise.close()
    },
  }
}
