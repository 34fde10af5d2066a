// Faults at scale, shared by the test (test/deployment/faultsAtScale.test.ts) and its bench
// (`npm run bench:faults`): a catch-up of many pages to the Notion fake failing ~10 % of requests with
// a 5xx, answering some applied writes with a 504 and sending bursts of 429s, synced by worker processes
// that are SIGKILLed every few seconds, on a PostgreSQL cluster of its own that is restarted once
// midway; a server process carries a graphql-ws subscriber throughout. The run ends when every item is
// synced and no job is left (or at its deadline), and reports what it found: duplicates, missing,
// stuck jobs, what the subscriber saw, how long it took.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { generateMasterKey } from '../../server/crypto/keys.ts'
import { makeDb, type Db } from '../../server/db.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { makeNotionDatabaseSchema } from '../../server/notion/databaseProperties.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { reconcileNotebook } from '../../server/extraction/reconcileNotebook.ts'
import { migrateDatabase } from '../../scripts/migrate.ts'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { createTestUser } from '../helpers/users.ts'
import { findFreePort } from '../helpers/ports.ts'
import { spawnEntry, waitForHealthy, type SpawnedProcess } from '../helpers/processes.ts'
import { createDatabaseOn, startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwawayPostgres.ts'

export interface FaultRunOptions {
  pages: number
  pagesPerNotebook?: number
  workers?: number
  /** A worker is SIGKILLed (and another started) this often. */
  killEveryMs?: number
  /** false: no PostgreSQL restart (to compare). */
  restart?: boolean
  /** Gives up after this long (the report then shows what is open). */
  deadlineMs?: number
  log?: (line: string) => void
}

export interface FaultRunReport {
  pages: number
  notebooks: number
  /** Notion pages or blocks present more than once. */
  duplicates: number
  /** Expected Notion pages or blocks absent. */
  missing: number
  /** Jobs left in the queue, and sync records not delivered, at the end. */
  stuckJobs: number
  openRecords: number
  kills: number
  /** Processes that exited without being killed (a crash on the PostgreSQL restart, say). */
  crashed: string[]
  /** The subscriber's view at the end: records it saw not in their final state, and its last progress. */
  subscriberBehind: number
  subscriberErrors: string[]
  lastProgress: { synced: number; pending: number; failed: number; total: number } | undefined
  records: number
  notionRequests: number
  notionByStatus: Record<string, number>
  convergeMs: number
  restartAtMs: number
  /** The queue at the end, when jobs were left. */
  jobs: unknown[]
  /** What the processes printed, for a failure's message. */
  output: () => string
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A page's text: a line, a todo, a few paragraphs (a handful of blocks each). */
export function makeFaultPageText(notebook: number, page: number): string {
  return [`Notebook ${notebook} page ${page}.`, '', `- [ ] Task ${notebook}-${page}`, '', ...[1, 2, 3].map((k) => `Paragraph ${k} of ${notebook}-${page}.\n`)].join('\n')
}

export function expectedFaultLines(notebook: number, pages: number): string[] {
  const lines: string[] = []
  for (let p = 1; p <= pages; p++) {
    lines.push(`heading_1: Page ${p}`, `paragraph: Notebook ${notebook} page ${p}.`, `to_do: [ ] Task ${notebook}-${p}`)
    for (const k of [1, 2, 3]) lines.push(`paragraph: Paragraph ${k} of ${notebook}-${p}.`)
  }
  return lines
}

function flatten(blocks: { type: string; text: string; content: any; children: any[] }[], depth = 0): string[] {
  const lines: string[] = []
  for (const b of blocks) {
    const box = b.type === 'to_do' ? (b.content.checked ? '[x] ' : '[ ] ') : ''
    lines.push(`${'  '.repeat(depth)}${b.type}: ${box}${b.text}`)
    lines.push(...flatten(b.children, depth + 1))
  }
  return lines
}

/** How many of `expected` are missing from `actual`, and how many of `actual` are extra (counted as multisets). */
function compareLines(expected: string[], actual: string[]): { missing: number; extra: number } {
  const counts = new Map<string, number>()
  for (const l of actual) counts.set(l, (counts.get(l) ?? 0) + 1)
  let missing = 0
  for (const l of expected) {
    const n = counts.get(l) ?? 0
    if (n === 0) missing++
    else counts.set(l, n - 1)
  }
  let extra = 0
  for (const n of counts.values()) extra += n
  return { missing, extra }
}

export async function runFaultsAtScale(options: FaultRunOptions): Promise<FaultRunReport> {
  const log = options.log ?? (() => {})
  const perNotebook = options.pagesPerNotebook ?? 10
  const notebookCount = Math.ceil(options.pages / perNotebook)
  const workerCount = options.workers ?? 3
  const killEveryMs = options.killEveryMs ?? 6000
  const deadlineMs = options.deadlineMs ?? 240_000
  const processes: SpawnedProcess[] = []
  const dataDirs: string[] = []
  let cluster: ThrowawayPostgres | undefined
  let notion: NotionFake | undefined
  let db: Db | undefined
  let client: Client | undefined
  const output = () => processes.map((p, i) => (p.output() ? `--- process ${i}\n${p.output().slice(-4000)}` : '')).filter(Boolean).join('\n')
  try {
    cluster = await startThrowawayPostgres()
    await createDatabaseOn(cluster.adminUrl, 'rmirror')
    const url = cluster.urlOf('rmirror')
    await migrateDatabase(url)
    db = makeDb(url, { poolSize: 3, onConnectionError: () => {} })
    notion = await startNotionFake({ rateLimit: { requestsPerSecond: 40, burst: 20 } })
    const user = await createTestUser(db, 'faults@example.com', ['agent', 'read', 'write'])

    // The library: notebooks of text-ready pages (as extraction leaves them), not yet synced anywhere.
    const pageCounts: number[] = []
    for (let n = 1; n <= notebookCount; n++) {
      const pages = Math.min(perNotebook, options.pages - (n - 1) * perNotebook)
      pageCounts.push(pages)
      const uuids = Array.from({ length: pages }, (_, i) => `nb${n}-p${i + 1}`)
      const { notebooks } = await syncNotebookMetadata(db, user.id, [{ uuid: `nb-${n}`, visibleName: `Faults ${n}`, type: 'NOTEBOOK', pageUuids: uuids }])
      const notebookId = notebooks[0].id
      await db.$transaction(async (tx) => {
        for (const [i, uuid] of uuids.entries()) await tx.page.updateMany({ where: { notebookId, uuid }, data: { ocrText: makeFaultPageText(n, i + 1), ocrStatus: 'completed', textReadyAt: new Date() } })
        await reconcileNotebook(tx, user.id, notebookId)
      })
    }
    log(`seeded ${options.pages} pages in ${notebookCount} notebooks`)

    const shared = {
      DATABASE_URL: url,
      INTEGRATION_MASTER_KEY: generateMasterKey(),
      SIGNING_SECRET: 'one signing secret for every server of this deployment',
      NOTION_API_BASE_URL: notion.url,
      NOTION_REQUESTS_PER_SECOND: '30',
      NOTION_REQUEST_BURST: '10',
      RETRY_BASE_MS: '200',
      PROBE_DELAY_MS: '1000',
      LOG_LEVEL: 'warn',
    }
    const ownDataDir = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-faults-'))
      dataDirs.push(dir)
      return dir
    }
    const port = await findFreePort()
    const server = spawnEntry('server/index.ts', { ...shared, PORT: String(port), RMIRROR_DATA_DIR: ownDataDir(), SERVE_WEB: 'false', API_RATE_LIMIT_PER_SECOND: '1000', API_RATE_LIMIT_BURST: '1000' })
    processes.push(server)
    const baseUrl = `http://127.0.0.1:${port}`
    await waitForHealthy(baseUrl, server, 120_000)

    const killed = new Set<SpawnedProcess>()
    const replaced = new Set<SpawnedProcess>()
    const workers: SpawnedProcess[] = []
    const startWorkerProcess = () => {
      const w = spawnEntry('worker/index.ts', { ...shared, RMIRROR_DATA_DIR: ownDataDir(), WORKER_CONCURRENCY: '3', WORKER_HEARTBEAT_MS: '500', WORKER_DEAD_AFTER_MS: '5000' })
      processes.push(w)
      workers.push(w)
    }
    for (let i = 0; i < workerCount; i++) startWorkerProcess()

    // The subscriber: every sync record's status, and the target's progress, over one WebSocket that
    // is never re-established (retryAttempts 0): what it hears after the restart it hears by itself.
    const seen = new Map<string, string>()
    let lastProgress: FaultRunReport['lastProgress']
    const subscriberErrors: string[] = []
    let connected!: () => void
    const ready = new Promise<void>((r) => (connected = r))
    client = createClient({
      url: `${baseUrl.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${user.session}` },
      retryAttempts: 0,
      on: { connected: () => connected(), closed: (e: any) => void subscriberErrors.push(`socket closed: ${e?.code} ${e?.reason}`) },
    })
    const sink = (apply: (data: any) => void, name: string) => ({
      next: (v: any) => (v.errors ? subscriberErrors.push(`${name}: ${JSON.stringify(v.errors)}`) : apply(v.data)),
      error: (e: unknown) => void subscriberErrors.push(`${name} error: ${e instanceof Error ? e.message : JSON.stringify(e)}`),
      complete: () => void subscriberErrors.push(`${name} completed`),
    })
    client.subscribe({ query: 'subscription { syncRecordUpdated { id status } }' }, sink((d) => seen.set(d.syncRecordUpdated.id, d.syncRecordUpdated.status), 'syncRecordUpdated'))
    client.subscribe({ query: 'subscription { syncProgress(target: NOTION) { synced pending failed total } }' }, sink((d) => (lastProgress = d.syncProgress), 'syncProgress'))
    await ready

    // Notion's faults, then the connection (the catch-up of everything).
    notion.faults.setRandom5xxRate(0.1, { seed: 20261204 })
    const isWrite = (r: { method: string; endpoint: string }) => r.method === 'PATCH' || (r.method === 'POST' && !r.endpoint.endsWith('/query'))
    notion.faults.timeoutAfterApply(Math.max(5, Math.round(notebookCount / 2)), isWrite)
    const { token } = notion.addIntegration({ name: 'rmirror' })
    const home = notion.createPage({ title: 'Home', shareWith: token })
    const target = notion.createDatabase({ parentId: home.id, title: 'reMarkable', properties: makeNotionDatabaseSchema() as any, shareWith: token })
    const started = Date.now()
    for (let attempt = 0; ; attempt++) {
      // Notion's own faults may refuse the connection's checks: the user would press the button again.
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.session}` },
        body: JSON.stringify({ query: 'mutation($input: ConnectIntegrationInput!) { connectIntegration(input: $input) { __typename } }', variables: { input: { target: 'NOTION', notion: { token, databaseId: target.id, dataSourceId: target.dataSourceId } } } }),
      }).then((r) => r.json() as Promise<any>)
      if (res.data?.connectIntegration?.__typename === 'Integration') break
      if (attempt > 20) throw new Error(`could not connect Notion: ${JSON.stringify(res)}`)
      await sleep(200)
    }
    log('connected; the catch-up runs')

    const openWork = async () => {
      const r = await db!.$queryRaw<{ records: number; jobs: number; done: number; total: number }[]>`select
        (select count(*)::int from sync_records where status <> 'success') as records,
        (select count(*)::int from graphile_worker._private_jobs) as jobs,
        (select count(*)::int from sync_records where status = 'success') as done,
        (select count(*)::int from sync_records) as total`
      return r[0]
    }
    let restartAtMs = -1
    let kills = 0
    let lastKill = Date.now()
    let random = 20261204
    const nextRandom = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    let lastBurst = Date.now()
    let work = { records: 1, jobs: 1, done: 0, total: 1 }
    while (Date.now() - started < deadlineMs) {
      await sleep(250)
      const now = Date.now()
      // Every few seconds a worker dies mid-work (one that has started: it beats), another takes its place.
      if (now - lastKill >= killEveryMs) {
        const beating = new Set(await db.$queryRaw<{ process: string }[]>`select distinct process from worker_heartbeats where last_seen > now() - interval '2 seconds'`.then((rows) => rows.map((r) => r.process), () => []))
        const alive = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null && beating.has(`${os.hostname()}:${w.child.pid}`))
        const victim = alive[Math.floor(nextRandom() * alive.length)]
        if (victim) {
          lastKill = now
          killed.add(victim)
          victim.child.kill('SIGKILL')
          kills++
          startWorkerProcess()
        }
      }
      // A worker that exited by itself (a crash, reported at the end) is replaced, as a supervisor would.
      for (const w of [...workers]) {
        if (!killed.has(w) && !replaced.has(w) && (w.child.exitCode !== null || w.child.signalCode !== null)) {
          replaced.add(w)
          startWorkerProcess()
        }
      }
      // 429 bursts: the next few requests are refused with Retry-After. (Each 429 counts as one of a
      // run's 8 attempts, after which its items wait for the probe: bursts every few seconds would
      // measure that backoff, not recovery.)
      if (now - lastBurst >= 30_000) {
        lastBurst = now
        notion.faults.failNext(5, { status: 429 })
      }
      let current: typeof work | undefined
      try {
        current = await openWork()
      } catch (err) {
        log(`could not read the progress: ${err instanceof Error ? err.message.slice(-300) : String(err)}`)
        continue // the restart below, seen from here
      }
      work = current
      // PostgreSQL restarts once, with the catch-up under way.
      if (options.restart !== false && restartAtMs < 0 && work.done >= work.total / 4 && work.total > notebookCount) {
        restartAtMs = now - started
        log(`restarting PostgreSQL (${work.done}/${work.total} synced)`)
        await cluster.restart(1000)
        log('PostgreSQL is back')
      }
      if ((restartAtMs >= 0 || options.restart === false) && work.records === 0 && work.jobs === 0) break
    }
    const convergeMs = Date.now() - started
    log(`converged in ${convergeMs} ms: ${JSON.stringify(work)}`)
    notion.faults.clear()

    // Notion: one page per notebook, every expected block once.
    let duplicates = 0
    let missing = 0
    const state = notion.state()
    for (let n = 1; n <= notebookCount; n++) {
      const pages = state.pages.filter((p: any) => p.title === `Faults ${n}` && !p.in_trash)
      if (pages.length === 0) {
        missing += 1 + pageCounts[n - 1] * 6
        continue
      }
      duplicates += pages.length - 1
      const lines = pages.flatMap((p: any) => flatten(notion!.pageTree(p.id) as any)).filter((l) => !l.startsWith('paragraph: Mirrored'))
      const c = compareLines(expectedFaultLines(n, pageCounts[n - 1]), lines)
      missing += c.missing
      duplicates += c.extra
    }

    // The subscriber, once the last events had time to arrive: every record in its final state.
    const final = await db.syncRecord.findMany({ select: { id: true, status: true } })
    const behind = () => final.filter((r) => seen.get(encodeGlobalID('SyncRecord', r.id)) !== r.status).length
    const progressDone = () => lastProgress?.pending === 0 && lastProgress.synced === final.length
    for (let i = 0; i < 100 && (behind() > 0 || !progressDone()); i++) await sleep(100)

    const crashed = processes
      .filter((p) => !killed.has(p) && (p.child.exitCode !== null || p.child.signalCode !== null))
      .map((p) => `exit ${p.child.exitCode ?? p.child.signalCode}: ${p.output().slice(-3000)}`)
    const stats = notion.stats()
    const jobs = work.jobs
      ? await db.$queryRaw<unknown[]>`select t.identifier, j.key, j.run_at, now() as now, j.attempts, j.max_attempts, left(j.last_error, 300) as last_error, j.locked_by, j.locked_at, q.queue_name, q.locked_by as queue_locked_by
          from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id left join graphile_worker._private_job_queues q on q.id = j.job_queue_id`
      : []
    return {
      jobs,
      pages: options.pages,
      notebooks: notebookCount,
      duplicates,
      missing,
      stuckJobs: work.jobs,
      openRecords: work.records,
      kills,
      crashed,
      subscriberBehind: behind(),
      subscriberErrors: [...subscriberErrors],
      lastProgress,
      records: final.length,
      notionRequests: stats.requests,
      notionByStatus: stats.byStatus as Record<string, number>,
      convergeMs,
      restartAtMs,
      output,
    }
  } finally {
    await client?.dispose()
    await Promise.all(processes.map((p) => p.stop(5_000)))
    await db?.$disconnect()
    await notion?.close()
    cluster?.stop()
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
  }
}
