// The real worker with handwriting OCR against the local chat-completions fake, over a test app.
import { Writable } from 'node:stream'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { startOcrFake, type OcrFake } from '../fakes/ocr/index.ts'
import { startWorker, type StartedWorker } from '../../worker/startWorker.ts'
import { makeLogger, type Logger } from '../../server/logger.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { uploadPage } from '../../server/library/uploadPage.ts'
import type { Page } from '../../server/generated/prisma/client.ts'

export const OCR_KEY = 'sk-ocrjob-7d41c2b9e05a4f86'
export const OCR_MODEL = 'vision-test-model'

export interface OcrJobApp {
  app: TestApp
  fake: OcrFake
  worker: StartedWorker
  /** Every JSON log line of the worker, parsed. */
  logs: Record<string, unknown>[]
  rawLogs: string[]
  close(): Promise<void>
}

/** A memory logger that goes through the app's own logger factory (so redaction applies). */
function makeMemoryLogger(): { logger: Logger; logs: Record<string, unknown>[]; rawLogs: string[] } {
  const logs: Record<string, unknown>[] = []
  const rawLogs: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        rawLogs.push(line)
        logs.push(JSON.parse(line))
      }
      done()
    },
  })
  return { logger: makeLogger({ logLevel: 'info', logFormat: 'json' }, {}, destination), logs, rawLogs }
}

export async function startOcrJobApp(env: Record<string, string> = {}): Promise<OcrJobApp> {
  const fake = await startOcrFake({ apiKey: OCR_KEY })
  const app = await startTestApp({
    env: { OCR_PROVIDER: 'openai', OCR_BASE_URL: fake.url, OCR_API_KEY: OCR_KEY, OCR_MODEL, RETRY_BASE_MS: '50', ...env },
  })
  const { logger, logs, rawLogs } = makeMemoryLogger()
  // Sync jobs stay queued, so what extraction queued for sync can be read (as test/extraction does).
  const worker = await startWorker(app.services.config, app.database.url, logger, { pollInterval: 100, onlyTasks: ['extract_page', 'resume_ocr_quota'] })
  return {
    app,
    fake,
    worker,
    logs,
    rawLogs,
    async close() {
      await worker.stop()
      await app.close()
      await fake.close()
    },
  }
}

/** A user with a notebook of `pageUuids` and an enabled Notion integration (so changes are queued for sync). */
export async function makeNotebookUser(t: OcrJobApp, email: string, notebookUuid: string, pageUuids: string[], plan = 'free'): Promise<TestUser> {
  const db = t.app.database.db
  const user = await createTestUser(db, email, ['agent'])
  await db.user.update({ where: { id: user.id }, data: { plan } })
  await db.integrationConfig.create({ data: { userId: user.id, targetName: 'notion', configEncrypted: 'not-read-here' } })
  await syncNotebookMetadata(db, user.id, [{ uuid: notebookUuid, visibleName: notebookUuid, type: 'NOTEBOOK', pageUuids }])
  return user
}

export function uploadTo(t: OcrJobApp, user: TestUser, notebookUuid: string, pageUuid: string, bytes: Uint8Array) {
  return uploadPage(t.app.database.db, t.app.services.storage, user.id, { notebookUuid, pageUuid, bytes }, 20 * 1024 * 1024)
}

/** Polls until every page named is in a status `done` accepts; no time is asserted. */
export async function waitForPages(t: OcrJobApp, userId: number, pageUuids: string[], done: (status: string) => boolean): Promise<Map<string, Page>> {
  const deadline = Date.now() + 25_000
  let last: Page[] = []
  while (Date.now() < deadline) {
    last = await t.app.database.db.page.findMany({ where: { userId, uuid: { in: pageUuids } } })
    if (last.length === pageUuids.length && last.every((p) => done(p.ocrStatus))) return new Map(last.map((p) => [p.uuid, p]))
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`pages not settled in time: ${last.map((p) => `${p.uuid}=${p.ocrStatus}`).join(', ')}`)
}

export const settled = (status: string) => ['completed', 'failed', 'skipped', 'pending_quota'].includes(status)

/** Jobs of one task still in the queue: key, run_at, payload. */
export async function readJobs(t: OcrJobApp['app'], identifier: string) {
  const { rows } = await t.database.query<{ key: string | null; run_at: Date; payload: Record<string, unknown> }>(
    `select j.key, j.run_at, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
     where t.identifier = $1 order by j.priority, j.run_at, j.id`,
    [identifier],
  )
  return rows
}

/** Pending sync rows of a user, "type:itemId". */
export async function readPendingSync(t: OcrJobApp, userId: number): Promise<string[]> {
  const rows = await t.app.database.db.syncRecord.findMany({ where: { userId, status: 'pending' }, orderBy: [{ itemType: 'asc' }, { itemId: 'asc' }] })
  return rows.map((r) => `${r.itemType}:${r.itemId}`)
}
