/**
 * Upload → text ready for a handwritten page, through the real worker (extract_page with the
 * handwriting reader and quota) against the local chat-completions fake, on a scratch database.
 * "Ready" is the moment the page's completed status is committed, heard through the app's own
 * NOTIFY channel. Sequential uploads give the latency; a burst gives throughput under load.
 * Run: DATABASE_URL=postgresql://… npx tsx bench/ocr-pipeline.ts [pages, default 100] [burst, default 40] [fake delay ms, default 0] [concurrency, default 4]
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { pino } from 'pino'
import { readConfig } from '../server/config.ts'
import { makeDb } from '../server/db.ts'
import { EVENTS_CHANNEL, type AppEvent } from '../server/events/appEvent.ts'
import { syncNotebookMetadata } from '../server/library/syncNotebookMetadata.ts'
import { uploadPage } from '../server/library/uploadPage.ts'
import { makeLocalFileStorage } from '../server/storage/localFileStorage.ts'
import { startWorker } from '../worker/startWorker.ts'
import { migrateDatabase } from '../scripts/migrate.ts'
import { startOcrFake } from '../test/fakes/ocr/index.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixture = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'rm', 'With_SceneInfo_Block.rm')
const sequential = Number(process.argv[2] ?? 100)
const burst = Number(process.argv[3] ?? 40)
const fakeDelayMs = Number(process.argv[4] ?? 0)
const concurrency = process.argv[5] ?? '4'
const adminUrl = process.env.DATABASE_URL
const KEY = 'sk-bench-pipeline-0123456789'

if (!adminUrl) {
  console.error('set DATABASE_URL to a PostgreSQL server (a scratch database is created and dropped there)')
  process.exit(1)
}
if (!existsSync(fixture)) {
  console.error(`no fixture at ${fixture}; nothing to measure`)
  process.exit(1)
}
const bytes = new Uint8Array(readFileSync(fixture))

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function summarize(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  return `${label.padEnd(30)} p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(sorted, 99).toFixed(1).padStart(7)} ms  max ${sorted[sorted.length - 1].toFixed(1).padStart(7)} ms  (n=${values.length})`
}

const name = `rmirror_bench_ocr_${randomBytes(4).toString('hex')}`
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`create database "${name}"`)
const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString()
const dataDir = mkdtempSync(path.join(tmpdir(), 'rmirror-bench-'))
const fake = await startOcrFake({ apiKey: KEY, delayMs: fakeDelayMs, defaultTranscript: '- [ ] bench item\n  - nested → arrow' })
const cleanups: (() => Promise<unknown>)[] = []
// A different todo per answer: identical todos on pages of one notebook read at the same moment
// collide in reconcileNotebook (unique fuzzy signature) and the job is retried, which is another measurement.
fake.script(Array.from({ length: (sequential + burst) * 2 }, (_, i) => ({ transcript: `- [ ] bench item ${i}\n  - nested → arrow` })))

try {
  await migrateDatabase(url)
  const config = readConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', RMIRROR_DATA_DIR: dataDir, WORKER_CONCURRENCY: concurrency,
    OCR_PROVIDER: 'openai', OCR_BASE_URL: fake.url, OCR_API_KEY: KEY, OCR_MODEL: 'bench-model', OCR_QUOTA_PLANS: 'free:100000000',
  })
  const db = makeDb(url, { poolSize: 10 })
  cleanups.unshift(() => db.$disconnect())
  const storage = makeLocalFileStorage(path.join(dataDir, 'files'))
  const user = await db.user.create({ data: { email: 'bench@example.com', passwordHash: 'x' } })
  const total = sequential + burst
  const pageUuids = Array.from({ length: total }, (_, i) => `bench-page-${i}`)
  // Ten pages per notebook, as a notebook's reconciliation runs with every page read.
  const notebooks = Array.from({ length: Math.ceil(total / 10) }, (_, n) => ({ uuid: `bench-nb-${n}`, pages: pageUuids.slice(n * 10, n * 10 + 10) }))
  await syncNotebookMetadata(db, user.id, notebooks.map((nb) => ({ uuid: nb.uuid, visibleName: nb.uuid, type: 'NOTEBOOK' as const, pageUuids: nb.pages })))
  const notebookOf = (i: number) => notebooks[Math.floor(i / 10)].uuid

  // Page id → resolve when its completed status is committed.
  const waiting = new Map<number, (at: number) => void>()
  const early = new Map<number, number>()
  const listener = new pg.Client({ connectionString: url })
  await listener.connect()
  cleanups.unshift(() => listener.end())
  listener.on('notification', (message) => {
    for (const event of JSON.parse(message.payload ?? '[]') as AppEvent[]) {
      if (event.kind !== 'page') continue
      const at = performance.now()
      void db.page.findUnique({ where: { id: event.id }, select: { ocrStatus: true } }).then((page) => {
        if (page?.ocrStatus !== 'completed') return
        const resolve = waiting.get(event.id)
        if (resolve) resolve(at)
        else early.set(event.id, at)
      })
    }
  })
  listener.on('error', () => {}) // the scratch database is dropped under it at the end
  await listener.query(`listen ${EVENTS_CHANNEL}`)
  const whenReady = (pageId: number) =>
    new Promise<number>((resolve) => {
      const seen = early.get(pageId)
      if (seen !== undefined) resolve(seen)
      else waiting.set(pageId, resolve)
    })

  const worker = await startWorker(config, url, pino({ level: process.env.BENCH_LOG ?? 'silent' }), { pollInterval: 1000 })
  cleanups.unshift(() => worker.stop())
  const uploadOne = async (i: number) => {
    const started = performance.now()
    const { page } = await uploadPage(db, storage, user.id, { notebookUuid: notebookOf(i), pageUuid: pageUuids[i], bytes }, config.uploadMaxBytes)
    const uploaded = performance.now()
    const ready = await whenReady(page.id)
    return { upload: uploaded - started, total: ready - started }
  }

  console.log(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(' ')} (${cpus().length} cores; figures are noisy on a busy machine)`)
  console.log(`fixture With_SceneInfo_Block.rm (typed text + 13 strokes); fake delay ${fakeDelayMs} ms; worker concurrency ${config.workerConcurrency}`)
  const warmUp = Math.min(5, sequential)
  const uploads: number[] = []
  const readies: number[] = []
  for (let i = 0; i < sequential; i++) {
    const r = await uploadOne(i)
    if (i < warmUp) continue
    uploads.push(r.upload)
    readies.push(r.total)
  }
  console.log(`\none page at a time (${sequential - warmUp} after ${warmUp} warm-up):`)
  console.log(summarize('upload call', uploads))
  console.log(summarize('upload → text ready', readies))

  if (burst > 0) {
    // Eight uploads in flight at a time, as a few agents would send them.
    const started = performance.now()
    const results: { upload: number; total: number }[] = []
    let next = 0
    const uploader = async () => {
      while (next < burst) results.push(await uploadOne(sequential + next++))
    }
    await Promise.all(Array.from({ length: 8 }, uploader))
    const wall = performance.now() - started
    console.log(`\nburst of ${burst} pages, 8 uploads in flight:`)
    console.log(summarize('upload → text ready', results.map((r) => r.total)))
    console.log(`${'all ready after'.padEnd(30)} ${wall.toFixed(0)} ms  (${((burst / wall) * 1000).toFixed(1)} pages/s)`)
  }
  const stats = fake.stats()
  const usage = await db.quotaUsage.findFirst({ where: { userId: user.id } })
  console.log(`\nfake saw ${stats.requests} requests (${stats.pngImages} PNGs); quota used ${usage?.used ?? 0}`)
} catch (error) {
  console.error(error)
  process.exitCode = 1
} finally {
  for (const cleanup of cleanups) await cleanup().catch(() => {})
  await fake.close()
  await admin.query(`drop database if exists "${name}" with (force)`)
  await admin.end()
  rmSync(dataDir, { recursive: true, force: true })
}
