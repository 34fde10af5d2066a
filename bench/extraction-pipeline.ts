/**
 * Upload → text ready → sync queued, for typed-text pages (no handwriting, so no OCR provider):
 * a real server (HTTP, GraphQL multipart) receives the pages from the desktop agent's own API client;
 * a real worker (extract_page only) reads them. For every page, from the start of its upload call:
 *   (a) text_ready_at — the worker's clock when it wrote the text (before its transaction commits);
 *   (b) sync queued — the moment the commit that holds the text, the page's pending sync_records row
 *       and its notebook's sync_notebook job is heard on the app's NOTIFY channel (rmirror_events);
 *       at that moment the row's status and the job are read back and checked.
 * One page at a time gives the latency; a burst (several uploads in flight) gives it under load.
 * Fixtures: the typed pages of ../shared/fixtures/rm (no strokes), alternated across pages and
 * notebooks (each page is a different page, so every upload is new bytes for that page).
 * Run: npx tsx bench/extraction-pipeline.ts [pages one at a time, default 100] [burst pages, default 100] [uploads in flight, default 8]
 *      (DATABASE_URL optional: a scratch database is made on it, else on an embedded PostgreSQL)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { pino } from 'pino'
import { createBenchDatabase, machineLine, percentile } from './lib/benchDatabase.ts'
import { readConfig } from '../server/config.ts'
import { startServer } from '../server/startServer.ts'
import { generateMasterKey } from '../server/crypto/keys.ts'
import { hashToken, makeToken } from '../server/auth/tokens.ts'
import { EVENTS_CHANNEL, type AppEvent } from '../server/events/appEvent.ts'
import { makeSyncJobKey } from '../server/sync/queueSync.ts'
import { startWorker } from '../worker/startWorker.ts'
import { createApiClient } from '../agent/api.ts'
import type { NotebookMetadataInput } from '../agent/operations.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtureDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'rm')
// Typed text only (0 strokes in expected.json): text, a checklist, highlights on a PDF page.
const TYPED = ['Normal_AB.rm', 'Bold_Heading_Bullet_Normal.rm', 'Checkbox_styles.rm', 'test-crdt-ordering.rm', 'Wikipedia_highlighted_p1.rm', 'Wikipedia_highlighted_p2.rm']
const sequential = Number(process.argv[2] ?? 100)
const burst = Number(process.argv[3] ?? 100)
const inFlight = Number(process.argv[4] ?? 8)
const PAGES_PER_NOTEBOOK = 10

if (!TYPED.every((name) => existsSync(path.join(fixtureDir, name)))) {
  console.error(`typed .rm fixtures not found in ${fixtureDir}; nothing to measure`)
  process.exit(1)
}
const fixtures = TYPED.map((name) => new Uint8Array(readFileSync(path.join(fixtureDir, name))))

interface Sample {
  upload: number
  textReady: number
  syncQueued: number
}

function summarize(label: string, values: number[]): string {
  const max = Math.max(...values)
  return `${label.padEnd(34)} p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(values, 99).toFixed(1).padStart(7)} ms  max ${max.toFixed(1).padStart(7)} ms  (n=${values.length})`
}

function printSamples(samples: Sample[]) {
  console.log(summarize('upload call (HTTP round trip)', samples.map((s) => s.upload)))
  console.log(summarize('(a) upload → text_ready_at', samples.map((s) => s.textReady)))
  console.log(summarize('(b) upload → sync queued (commit)', samples.map((s) => s.syncQueued)))
  console.log(summarize('(b) − (a)', samples.map((s) => s.syncQueued - s.textReady)))
}

async function main() {
  console.log(`extraction-pipeline bench · ${machineLine()}`)
  const database = await createBenchDatabase()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rmirror-bench-extract-'))
  const logger = pino({ level: process.env.BENCH_LOG ?? 'silent' })
  const cleanups: (() => Promise<unknown>)[] = []
  try {
    const config = readConfig({
      NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', SERVE_WEB: 'false', RMIRROR_DATA_DIR: dataDir, INTEGRATION_MASTER_KEY: generateMasterKey(),
      // The API's per-token limit would make the agent back off mid-burst; this measures the pipeline.
      API_RATE_LIMIT_PER_SECOND: '100000', API_RATE_LIMIT_BURST: '100000',
      WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '4',
    })
    const server = await startServer(config, database.url, logger)
    cleanups.unshift(() => server.stop())
    const db = server.services.db
    const user = await db.user.create({ data: { email: 'bench@example.com', passwordHash: 'x' } })
    const token = makeToken('api_token')
    await db.apiToken.create({ data: { userId: user.id, name: 'bench agent', scopes: ['agent'], tokenHash: hashToken(token), prefix: token.slice(0, 8) } })
    // A connected Notion integration, so extraction queues sync; no sync worker runs, so nothing calls Notion.
    const integration = await db.integrationConfig.create({ data: { userId: user.id, targetName: 'notion', configEncrypted: 'not-read-in-this-bench', isEnabled: true } })

    const client = createApiClient({ url: server.url, token })
    const total = sequential + burst
    const pageUuids = Array.from({ length: total }, (_, i) => `bench-page-${String(i).padStart(4, '0')}`)
    const notebooks = Array.from({ length: Math.ceil(total / PAGES_PER_NOTEBOOK) }, (_, n) => ({ uuid: `bench-nb-${n}`, pages: pageUuids.slice(n * PAGES_PER_NOTEBOOK, (n + 1) * PAGES_PER_NOTEBOOK) }))
    const meta = await client.syncNotebookMetadata(
      notebooks.map((nb): NotebookMetadataInput => ({
        uuid: nb.uuid, visibleName: nb.uuid, type: 'NOTEBOOK', parentUuid: null, pageUuids: nb.pages, tags: [],
        lastModified: null, lastOpened: null, lastOpenedPage: null, pinned: false, deleted: false,
      })),
    )
    if (!meta.ok) throw new Error(`syncNotebookMetadata: ${meta.error.code} ${meta.error.message}`)
    const notebookOf = (i: number) => notebooks[Math.floor(i / PAGES_PER_NOTEBOOK)].uuid
    // Fixture per page: consecutive pages of a notebook differ, and so do notebooks.
    const bytesOf = (i: number) => fixtures[(i + Math.floor(i / PAGES_PER_NOTEBOOK)) % fixtures.length]
    const pages = await db.page.findMany({ where: { userId: user.id }, select: { id: true, uuid: true, notebookId: true } })
    const pageByUuid = new Map(pages.map((p) => [p.uuid, p]))

    // The commit that queues a page's text for sync, heard through NOTIFY; checked when heard.
    const queuedAt = new Map<number, number>()
    const waiting = new Map<number, (at: number) => void>()
    const problems: string[] = []
    const listener = new pg.Client({ connectionString: database.url })
    await listener.connect()
    cleanups.unshift(() => listener.end())
    listener.on('error', () => {}) // the scratch database is dropped under it at the end
    listener.on('notification', (message) => {
      const at = performance.now()
      const recordIds = (JSON.parse(message.payload ?? '[]') as AppEvent[]).filter((e) => e.kind === 'sync_record').map((e) => (e as { id: number }).id)
      if (!recordIds.length) return
      void listener
        .query<{ page_id: number; status: string; notebook_id: number; job: boolean }>(
          `select p.id as page_id, r.status::text as status, p.notebook_id,
                  exists (select 1 from graphile_worker._private_jobs j where j.key = 'sync_notebook:' || $2::int || ':' || p.notebook_id) as job
             from sync_records r join pages p on p.id = r.item_id::int
            where r.id = any($1::int[]) and r.item_type = 'page_text'`,
          [recordIds, integration.id],
        )
        .then(({ rows }) => {
          for (const row of rows) {
            if (queuedAt.has(row.page_id)) continue
            if (row.status !== 'pending' || !row.job) problems.push(`page ${row.page_id}: status ${row.status}, job ${row.job ? 'present' : 'MISSING'} (${makeSyncJobKey(integration.id, row.notebook_id)})`)
            queuedAt.set(row.page_id, at)
            waiting.get(row.page_id)?.(at)
          }
        })
    })
    await listener.query(`listen ${EVENTS_CHANNEL}`)
    const whenQueued = (pageId: number) =>
      new Promise<number>((resolve) => {
        const seen = queuedAt.get(pageId)
        if (seen !== undefined) resolve(seen)
        else waiting.set(pageId, resolve)
      })

    const worker = await startWorker(config, database.url, logger, { pollInterval: 1000, onlyTasks: ['extract_page'] })
    cleanups.unshift(() => worker.stop())

    const uploadOne = async (i: number): Promise<Sample> => {
      const page = pageByUuid.get(pageUuids[i])!
      const startedWall = Date.now()
      const started = performance.now()
      const r = await client.uploadPage({ notebookUuid: notebookOf(i), pageUuid: pageUuids[i], bytes: bytesOf(i) })
      const uploaded = performance.now()
      if (!r.ok) throw new Error(`upload ${pageUuids[i]}: ${r.error.code} ${r.error.message}`)
      if (r.value.outcome !== 'STORED') throw new Error(`upload ${pageUuids[i]}: ${r.value.outcome}`)
      const queued = await whenQueued(page.id)
      const row = await db.page.findUniqueOrThrow({ where: { id: page.id }, select: { textReadyAt: true, ocrStatus: true } })
      if (row.ocrStatus !== 'completed' || !row.textReadyAt) throw new Error(`page ${pageUuids[i]}: ${row.ocrStatus}`)
      return { upload: uploaded - started, textReady: row.textReadyAt.getTime() - startedWall, syncQueued: queued - started }
    }

    console.log(`fixtures (typed, no handwriting): ${TYPED.join(', ')}; ${PAGES_PER_NOTEBOOK} pages per notebook; worker concurrency ${config.workerConcurrency}`)
    console.log('(a) is the worker clock (ms resolution) at the text write; (b) the NOTIFY of the commit, read on arrival\n')

    const warmUp = Math.min(5, sequential)
    const one: Sample[] = []
    for (let i = 0; i < sequential; i++) {
      const s = await uploadOne(i)
      if (i >= warmUp) one.push(s)
    }
    if (one.length) {
      console.log(`one page at a time (${one.length} pages after ${warmUp} warm-up):`)
      printSamples(one)
    }

    if (burst > 0) {
      const started = performance.now()
      const samples: Sample[] = []
      let next = sequential
      const uploader = async () => {
        while (next < total) samples.push(await uploadOne(next++))
      }
      await Promise.all(Array.from({ length: inFlight }, uploader))
      const wall = performance.now() - started
      console.log(`\nburst of ${burst} pages, ${inFlight} uploads in flight (pages of ${Math.ceil(burst / PAGES_PER_NOTEBOOK)} notebooks, one user):`)
      printSamples(samples)
      console.log(`${'all queued after'.padEnd(34)} ${wall.toFixed(0)} ms  (${((burst / wall) * 1000).toFixed(1)} pages/s)`)
    }

    const jobs = await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'sync_notebook'`
    const pending = await db.syncRecord.count({ where: { userId: user.id, itemType: 'page_text', status: 'pending' } })
    console.log(`\nchecks: ${pending} page_text records pending, ${jobs[0].n} sync_notebook jobs waiting (${notebooks.length} notebooks); ${problems.length ? `PROBLEMS:\n  ${problems.join('\n  ')}` : 'every page was pending with its job when heard'}`)
    if (problems.length) process.exitCode = 1
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {})
    await database.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
