// A user with a connected Notion integration (against the local Notion fake), notebooks whose page
// texts are set directly (as text extraction would), and the sync job run in-process.
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { quietLogger } from '../helpers/config.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { reconcileNotebook } from '../../server/extraction/reconcileNotebook.ts'
import { queueSync } from '../../server/sync/queueSync.ts'
import { encryptNotionCredentials } from '../../server/integrations/integrationConfig.ts'
import { makeNotionDatabaseSchema } from '../../server/notion/databaseProperties.ts'
import { makeNotionPacer } from '../../server/notion/pacer.ts'
import { runSync, type SyncDeps, type SyncRunOutcome } from '../../server/sync/runSync.ts'
import { makeNotionSyncTarget } from '../../server/notion/notionSyncTarget.ts'
import type { NotionFakeOptions } from '../fakes/notion/index.ts'

export interface SyncHarness {
  app: TestApp
  notion: NotionFake
  user: TestUser
  integrationId: number
  notionToken: string
  dataSourceId: string
  deps: SyncDeps
  /** Creates or re-orders a notebook: page uuids in order. */
  setNotebook(uuid: string, pageUuids: string[], name?: string, extra?: { tags?: string[]; parentUuid?: string | null }): Promise<number>
  /** Sets page texts as extraction would, reconciles and queues sync. */
  setTexts(notebookUuid: string, texts: Record<string, string>): Promise<void>
  sync(notebookId: number, attempt?: number): Promise<SyncRunOutcome>
  notebookPageId(notebookId: number): Promise<string>
  close(): Promise<void>
}

export async function startSyncHarness(options: { notion?: NotionFakeOptions; env?: Record<string, string>; deps?: Partial<SyncDeps> } = {}): Promise<SyncHarness> {
  const notion = await startNotionFake({ rateLimit: false, ...options.notion })
  const app = await startTestApp({ env: { NOTION_API_BASE_URL: notion.url, ...options.env } })
  const db = app.database.db
  const user = await createTestUser(db, 'sync@example.com', ['agent', 'read', 'write'])
  const { token } = notion.addIntegration({ name: 'rmirror' })
  const root = notion.createPage({ title: 'Home', shareWith: token })
  const database = notion.createDatabase({ parentId: root.id, title: 'reMarkable', properties: makeNotionDatabaseSchema() as any, shareWith: token })
  const credentials = { token, databaseId: database.id, dataSourceId: database.dataSourceId }
  const integration = await db.integrationConfig.create({
    data: { userId: user.id, targetName: 'notion', configEncrypted: encryptNotionCredentials(app.services.cipher, user.id, credentials), settings: {}, isEnabled: true },
  })
  const deps: SyncDeps = {
    db,
    cipher: app.services.cipher,
    logger: quietLogger,
    targets: { notion: makeNotionSyncTarget({ pacer: makeNotionPacer(db, { requestsPerSecond: 1000, burst: 1000 }), baseUrl: notion.url }) },
    ...options.deps,
  }
  const notebookIds = new Map<string, number>()
  return {
    app,
    notion,
    user,
    integrationId: integration.id,
    notionToken: token,
    dataSourceId: database.dataSourceId,
    deps,
    async setNotebook(uuid, pageUuids, name = 'Notebook', extra = {}) {
      const r = await syncNotebookMetadata(db, user.id, [{ uuid, visibleName: name, type: 'NOTEBOOK', pageUuids, tags: extra.tags ?? [], parentUuid: extra.parentUuid ?? null }])
      notebookIds.set(uuid, r.notebooks[0].id)
      return r.notebooks[0].id
    },
    async setTexts(notebookUuid, texts) {
      const notebookId = notebookIds.get(notebookUuid)!
      await db.$transaction(async (tx) => {
        for (const [pageUuid, text] of Object.entries(texts)) {
          await tx.page.updateMany({ where: { notebookId, uuid: pageUuid }, data: { ocrText: text, ocrStatus: 'completed', textReadyAt: new Date() } })
        }
        const reconciled = await reconcileNotebook(tx, user.id, notebookId)
        await queueSync(tx, user.id, notebookId, reconciled.changes)
        await tx.$executeRaw`set constraints all immediate`
      })
    },
    sync: (notebookId, attempt = 1) => runSync(deps, integration.id, notebookId, attempt, 8),
    async notebookPageId(notebookId) {
      const r = await db.syncRecord.findFirstOrThrow({ where: { itemType: 'notebook_metadata', itemId: String(notebookId), targetName: 'notion' } })
      return r.externalId!
    },
    async close() {
      await app.close()
      await notion.close()
    },
  }
}

/** A page's blocks as lines: type, indentation by depth, text (to_dos with their box). */
export function flattenTree(blocks: { type: string; text: string; content: any; children: any[] }[], depth = 0): string[] {
  const lines: string[] = []
  for (const b of blocks) {
    const box = b.type === 'to_do' ? (b.content.checked ? '[x] ' : '[ ] ') : ''
    lines.push(`${'  '.repeat(depth)}${b.type}: ${box}${b.text}`)
    lines.push(...flattenTree(b.children, depth + 1))
  }
  return lines
}
