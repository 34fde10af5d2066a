// The sync engine runs any target through SyncTarget (server/sync/syncTarget.ts), not Notion alone:
// a second target, defined here over an in-memory service, gets its notebook's plan applied, its dry
// run kept as a preview, its failures marked on its own items, its clean-up and its probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { quietLogger } from '../helpers/config.ts'
import { seedNotebook, type SeededNotebook } from '../integrations/seedLibrary.ts'
import { generateMasterKey } from '../../server/crypto/keys.ts'
import { makeConfigCipher } from '../../server/crypto/configCipher.ts'
import { ValidationError } from '../../server/errors.ts'
import { runSync } from '../../server/sync/runSync.ts'
import { runCleanup } from '../../server/sync/runCleanup.ts'
import { probeIntegration } from '../../server/sync/probeIntegration.ts'
import type { SyncDeps } from '../../server/sync/syncDeps.ts'
import type { DeletedCopy, SyncTarget } from '../../server/sync/syncTarget.ts'

const TARGET = 'ledger'

/** The "service": what it holds, and whether it answers. */
interface Ledger {
  entries: string[]
  down: boolean
  cleaned: DeletedCopy[]
  probes: number
}

class LedgerDown extends Error {}

function makeLedgerTarget(ledger: Ledger): SyncTarget {
  return {
    targetName: TARGET,
    displayName: 'Ledger',
    connect({ db, cipher, integration, settings }) {
      const opened = cipher.decrypt(integration.userId, integration.configEncrypted)
      if (!opened.ok || typeof opened.config.apiKey !== 'string') return { ok: false, error: new ValidationError('No Ledger key', 'apiKey') }
      return {
        ok: true,
        value: {
          async planNotebook(notebookId) {
            const notebook = await db.notebook.findFirst({ where: { id: notebookId, userId: integration.userId } })
            if (!notebook) return null
            const line = `${notebook.visibleName} (trash on delete: ${settings.cleanUpOnDelete})`
            return {
              notebookUuid: notebook.uuid,
              async apply() {
                if (ledger.down) throw new LedgerDown('Ledger is down')
                ledger.entries.push(line)
                const done = await db.syncRecord.updateMany({ where: { userId: integration.userId, targetName: TARGET, notebookUuid: notebook.uuid }, data: { status: 'success' } })
                return { requests: 1, succeeded: done.count, failed: 0 }
              },
              async preview() {
                return [{ method: 'POST', path: '/entries', body: { line } }]
              },
            }
          },
          async cleanUpNotebook(copy) {
            if (ledger.down) return { requests: 1, failure: { message: 'Ledger is down', transient: true, retryAfterMs: 1234 } }
            ledger.cleaned.push(copy)
            return { requests: 1 }
          },
          async probe() {
            ledger.probes++
            return ledger.down ? { message: 'Ledger is down', transient: true } : null
          },
        },
      }
    },
    classifyError(error) {
      if (error instanceof LedgerDown) return { message: error.message, transient: true, retryAfterMs: 500 }
      throw error
    },
  }
}

let database: TestDatabase
let deps: SyncDeps
let ledger: Ledger
let userId: number
let integrationId: number
let notebook: SeededNotebook

beforeAll(async () => {
  database = await createTestDatabase()
  const db = database.db
  const cipher = makeConfigCipher(generateMasterKey())
  ledger = { entries: [], down: false, cleaned: [], probes: 0 }
  deps = { db, cipher, logger: quietLogger, targets: { [TARGET]: makeLedgerTarget(ledger) } }
  userId = (await db.user.create({ data: { email: 'ledger@example.com', passwordHash: 'x' } })).id
  const integration = await db.integrationConfig.create({ data: { userId, targetName: TARGET, configEncrypted: cipher.encrypt(userId, { apiKey: 'k' }), isEnabled: true } })
  integrationId = integration.id
  notebook = await seedNotebook(db, userId, { name: 'Field notes' })
})
afterAll(async () => {
  await database?.drop()
})

async function addRecord(status: 'pending' | 'success' | 'failed', itemId: string, extra: { failureKind?: 'transient' | 'permanent' } = {}) {
  return database.db.syncRecord.create({ data: { userId, targetName: TARGET, itemType: 'highlight', itemId, contentHash: `hash-${itemId}`, notebookUuid: notebook.uuid, status, ...extra } })
}

describe('the sync engine with a second target', () => {
  it('applies the plan of the integration’s own target and records the run', async () => {
    await addRecord('pending', '1')
    expect(await runSync(deps, integrationId, notebook.id, 1, 8)).toEqual({ kind: 'done', requests: 1, succeeded: 1, failed: 0 })
    expect(ledger.entries).toEqual(['Field notes (trash on delete: false)'])
    expect((await database.db.integrationConfig.findUniqueOrThrow({ where: { id: integrationId } })).lastSyncedAt).not.toBeNull()
  })

  it('keeps a dry run’s plan as the notebook’s preview and sends nothing', async () => {
    await database.db.integrationConfig.update({ where: { id: integrationId }, data: { settings: { dryRun: true } } })
    try {
      expect(await runSync(deps, integrationId, notebook.id, 1, 8)).toEqual({ kind: 'dry_run', requests: 1 })
      const preview = await database.db.syncPreview.findUniqueOrThrow({ where: { integrationId_notebookId: { integrationId, notebookId: notebook.id } } })
      expect(preview.requests).toEqual([{ method: 'POST', path: '/entries', body: { line: 'Field notes (trash on delete: false)' } }])
      expect(ledger.entries).toHaveLength(1)
    } finally {
      await database.db.integrationConfig.update({ where: { id: integrationId }, data: { settings: {} } })
    }
  })

  it('marks its open items retry, then failed naming the target, when it stays down; the probe queues them again', async () => {
    const open = await addRecord('pending', '2')
    ledger.down = true
    expect(await runSync(deps, integrationId, notebook.id, 1, 3)).toEqual({ kind: 'retry', delayMs: 500, reason: 'Ledger is down', requests: 0 })
    expect(await database.db.syncRecord.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: 'retry', failureKind: 'transient', errorMessage: 'Ledger is down' })
    expect(await runSync(deps, integrationId, notebook.id, 3, 3)).toMatchObject({ kind: 'failed', transient: true })
    expect((await database.db.syncRecord.findUniqueOrThrow({ where: { id: open.id } })).errorMessage).toBe('Ledger is down (gave up after 3 attempts; retried by itself once Ledger answers)')

    expect(await probeIntegration(deps, integrationId)).toEqual({ kind: 'still_down', reason: 'Ledger is down' })
    ledger.down = false
    expect(await probeIntegration(deps, integrationId)).toEqual({ kind: 'requeued', items: 1, notebooks: 1 })
    expect(await database.db.syncRecord.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: 'pending', failureKind: null })
    expect(ledger.probes).toBe(2)
  })

  it('cleans up a deleted notebook from what its tombstone kept for this target', async () => {
    const gone = await seedNotebook(database.db, userId, { name: 'Old' })
    await database.db.syncRecord.create({ data: { userId, targetName: TARGET, itemType: 'notebook_metadata', itemId: String(gone.id), contentHash: 'old', notebookUuid: gone.uuid, status: 'success' } })
    await database.db.notebook.delete({ where: { id: gone.id } })
    await database.db.notebookTombstone.create({ data: { userId, notebookUuid: gone.uuid, visibleName: 'Old', externalIds: { [TARGET]: { notebook: 'entry-7', items: 0 }, notion: { notebook: 'not-mine', items: 0 } } } })

    ledger.down = true
    expect(await runCleanup(deps, integrationId, gone.uuid)).toEqual({ kind: 'retry', delayMs: 1234, reason: 'Ledger is down', requests: 1 })
    ledger.down = false
    expect(await runCleanup(deps, integrationId, gone.uuid)).toEqual({ kind: 'done', requests: 1, succeeded: 1, failed: 0 })
    expect(ledger.cleaned).toEqual([{ notebookUuid: gone.uuid, externalIds: { notebook: 'entry-7', items: 0 } }])
    expect(await database.db.syncRecord.count({ where: { targetName: TARGET, notebookUuid: gone.uuid } })).toBe(0)
  })
})
