// Never a duplicate, whatever crashes: a 30-page catch-up synced by worker processes that are killed
// (SIGKILL) at random points and restarted, against a Notion that fails 10% of requests with a 5xx,
// applies some writes but answers 504, and sends a burst of 429s. At the end every item is synced
// once: zero duplicate pages or blocks, zero missing, zero stuck jobs.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSyncHarness, flattenTree, type SyncHarness } from './syncHarness.ts'

const root = path.resolve(import.meta.dirname, '..', '..')
let h: SyncHarness
const children: ChildProcess[] = []
const workerOutput: string[] = []

beforeAll(async () => {
  h = await startSyncHarness({ notion: { rateLimit: { requestsPerSecond: 40, burst: 10 } } })
})
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  await h?.close()
})

function startWorkerProcess(): ChildProcess {
  const config = h.app.services.config
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: h.app.database.url,
    NOTION_API_BASE_URL: h.notion.url,
    INTEGRATION_MASTER_KEY: config.integrationMasterKey!,
    RMIRROR_DATA_DIR: config.dataDir,
    RETRY_BASE_MS: '100',
    PROBE_DELAY_MS: '500',
    NOTION_REQUESTS_PER_SECOND: '5',
    NOTION_REQUEST_BURST: '2',
    WORKER_HEARTBEAT_MS: '200',
    WORKER_DEAD_AFTER_MS: '1000',
    WORKER_CONCURRENCY: '4',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  }
  delete env.VITEST
  // tsx as a loader in this very process, so SIGKILL kills the worker itself (tsx's CLI would be a
  // wrapper process, and killing it would leave the worker running).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker/index.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (d) => workerOutput.push(String(d)))
  child.stderr!.on('data', (d) => workerOutput.push(String(d)))
  children.push(child)
  return child
}

const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())))

async function openWork(): Promise<{ records: number; jobs: number; locked: number }> {
  const r = await h.app.database.query(`select
    (select count(*)::int from sync_records where status <> 'success') as records,
    (select count(*)::int from graphile_worker._private_jobs) as jobs,
    (select count(*)::int from graphile_worker._private_jobs where locked_at is not null) as locked`)
  return r.rows[0]
}

describe('faults', () => {
  it('a catch-up survives SIGKILLs, 5xx, 504-after-write and 429 bursts with no duplicate and nothing missing', async () => {
    const uuids = Array.from({ length: 30 }, (_, i) => `f-${i + 1}`)
    const nb = await h.setNotebook('nb-faults', uuids, 'Faults')
    const textOf = (i: number) => [`Page ${i} first line.`, '', `- [ ] Task ${i}`, '- point', '  - detail', '', ...Array.from({ length: 8 }, (_, k) => `Paragraph ${k} of page ${i}.\n`)].join('\n')
    h.notion.faults.setRandom5xxRate(0.1, { seed: 20261125 })
    h.notion.faults.timeoutAfterApply(3, 'PATCH /v1/blocks/:id/children')
    await h.setTexts('nb-faults', Object.fromEntries(uuids.map((u, i) => [u, textOf(i + 1)])))

    // Kill the worker at points inside the catch-up (after it has sent some requests), three times,
    // then let one finish the work.
    const kills: number[] = []
    for (const afterMs of [300, 900, 600]) {
      const w = startWorkerProcess()
      const before = h.notion.stats().requests
      const started = Date.now()
      while (h.notion.stats().requests === before && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 20))
      await new Promise((r) => setTimeout(r, afterMs))
      w.kill('SIGKILL')
      await exited(w)
      expect(() => process.kill(w.pid!, 0), 'the killed worker is gone').toThrow()
      kills.push(h.notion.stats().requests - before)
    }
    console.log('requests sent by each killed worker before its SIGKILL:', kills)
    h.notion.faults.failNext(4, { status: 429 })
    const last = startWorkerProcess()
    const deadline = Date.now() + 90_000
    let work = await openWork()
    while ((work.records > 0 || work.jobs > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300))
      work = await openWork()
    }
    last.kill('SIGTERM')
    await exited(last)
    h.notion.faults.clear()

    const stats = h.notion.stats()
    console.log('fault run:', JSON.stringify({ requests: stats.requests, byStatus: stats.byStatus, rateLimited: stats.rateLimited, retryAfterViolations: stats.retryAfterViolations, work }))
    if (work.records || work.jobs) {
      const open = await h.app.database.query(`select item_type, status::text, error_message from sync_records where status <> 'success' limit 5`)
      const jobs = await h.app.database.query(`select t.identifier, j.key, j.payload, j.run_at, now() as now, j.attempts, j.max_attempts, j.last_error, j.locked_by,
          q.queue_name, q.locked_by as queue_locked_by, q.locked_at as queue_locked_at
        from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        left join graphile_worker._private_job_queues q on q.id = j.job_queue_id`)
      const beats = await h.app.database.query(`select worker_id, process, last_seen, now() as now from worker_heartbeats`)
      console.log('open records:', JSON.stringify(open.rows), '\nopen jobs:', JSON.stringify(jobs.rows), '\nheartbeats:', JSON.stringify(beats.rows), '\nworker output:', workerOutput.join('').slice(-6000))
    }
    expect(work, 'every item synced, no job left (none stuck)').toEqual({ records: 0, jobs: 0, locked: 0 })

    // Zero duplicate notebook pages, zero duplicate or missing blocks.
    const pages = h.notion.state().pages.filter((p: any) => p.title === 'Faults' && !p.in_trash)
    expect(pages).toHaveLength(1)
    const pageId = await h.notebookPageId(nb)
    expect(pages[0].id).toBe(pageId)
    const lines = flattenTree(h.notion.pageTree(pageId))
    const expected = [expect.stringMatching(/^paragraph: Mirrored/)]
    for (let i = 1; i <= 30; i++) {
      expected.push(`heading_1: Page ${i}`, `paragraph: Page ${i} first line.`, `to_do: [ ] Task ${i}`, 'bulleted_list_item: point', '  bulleted_list_item: detail')
      for (let k = 0; k < 8; k++) expected.push(`paragraph: Paragraph ${k} of page ${i}.`)
    }
    expect(lines).toEqual(expected)
    // Every todo points at a live to_do block of its own.
    const todoBlocks = new Set(h.notion.pageTree(pageId).filter((b: any) => b.type === 'to_do').map((b: any) => b.id))
    const todoRecords = await h.app.database.db.syncRecord.findMany({ where: { notebookUuid: 'nb-faults', itemType: 'todo' } })
    expect(todoRecords).toHaveLength(30)
    expect(new Set(todoRecords.map((r) => r.externalId)).size).toBe(30)
    for (const r of todoRecords) expect(todoBlocks.has(r.externalId)).toBe(true)
  }, 150_000)
})
