// Notion sync figures against the project's strict Notion fake (rate limit on: 3 requests/s, burst 10):
//  - requests for a first sync of a 30-page notebook (~30 blocks a page), for an unchanged notebook,
//    a one-line edit, a todo tick, a page inserted in the middle, a rename;
//  - 4 workers sharing one token over a backlog: requests/s achieved, 429s, Retry-After violations, failures;
//  - text ready → first Notion request, p50/p99.
// Run: npx tsx bench/notion-sync.ts   (DATABASE_URL optional; an embedded PostgreSQL otherwise)
import { pino } from 'pino'
import { createBenchDatabase, machineLine, percentile } from './lib/benchDatabase.ts'
import { startNotionFake } from '../test/fakes/notion/index.ts'
import { makeDb } from '../server/db.ts'
import { readConfig } from '../server/config.ts'
import { generateMasterKey } from '../server/crypto/keys.ts'
import { makeConfigCipher } from '../server/crypto/configCipher.ts'
import { encryptNotionCredentials } from '../server/integrations/integrationConfig.ts'
import { makeNotionDatabaseSchema } from '../server/notion/databaseProperties.ts'
import { makeNotionPacer } from '../server/notion/pacer.ts'
import { syncNotebookMetadata } from '../server/library/syncNotebookMetadata.ts'
import { reconcileNotebook } from '../server/extraction/reconcileNotebook.ts'
import { queueSync } from '../server/sync/queueSync.ts'
import { runSync } from '../server/sync/runSync.ts'
import { makeNotionSyncTarget } from '../server/notion/notionSyncTarget.ts'
import { startWorker } from '../worker/startWorker.ts'

const logger = pino({ level: 'silent' })

async function main() {
  console.log(`notion-sync bench · ${machineLine()}`)
  const database = await createBenchDatabase()
  const notion = await startNotionFake({ rateLimit: { requestsPerSecond: 3, burst: 10 } })
  const db = makeDb(database.url)
  const masterKey = generateMasterKey()
  const cipher = makeConfigCipher(masterKey)
  try {
    const user = await db.user.create({ data: { email: 'bench@example.com', passwordHash: 'x' } })
    const { token } = notion.addIntegration({ name: 'rmirror' })
    const root = notion.createPage({ title: 'Home', shareWith: token })
    const nd = notion.createDatabase({ parentId: root.id, title: 'reMarkable', properties: makeNotionDatabaseSchema() as any, shareWith: token })
    const integration = await db.integrationConfig.create({
      data: { userId: user.id, targetName: 'notion', configEncrypted: encryptNotionCredentials(cipher, user.id, { token, databaseId: nd.id, dataSourceId: nd.dataSourceId }) },
    })
    const pacer = makeNotionPacer(db, { requestsPerSecond: 3, burst: 3 })
    const deps = { db, cipher, logger, targets: { notion: makeNotionSyncTarget({ pacer, baseUrl: notion.url, maxPacerWaitMs: 120_000 }) } }

    const setNotebook = async (uuid: string, pages: string[], name: string) => (await syncNotebookMetadata(db, user.id, [{ uuid, visibleName: name, type: 'NOTEBOOK', pageUuids: pages }])).notebooks[0].id
    const setTexts = async (notebookId: number, texts: Record<string, string>) =>
      db.$transaction(async (tx) => {
        for (const [uuid, text] of Object.entries(texts)) await tx.page.updateMany({ where: { notebookId, uuid }, data: { ocrText: text, ocrStatus: 'completed', textReadyAt: new Date() } })
        const r = await reconcileNotebook(tx, user.id, notebookId)
        await queueSync(tx, user.id, notebookId, r.changes)
        await tx.$executeRaw`set constraints all immediate`
      })
    const pageText = (i: number, extra = '') => {
      const lines = [`## Topic ${i}`]
      for (let k = 0; k < 20; k++) lines.push(`Line ${k} of page ${i}: some handwriting turned into text, about eighty characters.`, '')
      lines.push(`- [ ] Task ${i}a`, `- [x] Task ${i}b`, '- point one', '  - detail one', '- point two', '  - detail two', '- point three')
      return lines.join('\n') + extra
    }
    const measure = async (label: string, run: () => Promise<unknown>) => {
      notion.reset()
      const started = performance.now()
      await run()
      const ms = performance.now() - started
      const s = notion.stats()
      console.log(`${label.padEnd(44)} ${String(s.requests).padStart(3)} requests  (${Object.entries(s.byEndpoint).map(([k, v]) => `${k} ×${v}`).join(', ')})  ${(ms / 1000).toFixed(1)} s`)
      return s
    }

    // Request counts (the schema read of a new integration included in the first sync).
    const uuids = Array.from({ length: 30 }, (_, i) => `p-${i + 1}`)
    const nb = await setNotebook('bench-30', uuids, 'Thirty pages')
    await setTexts(nb, Object.fromEntries(uuids.map((u, i) => [u, pageText(i + 1)])))
    const sync = () => runSync(deps, integration.id, nb, 1, 8)
    console.log('\nrequests per change (reads included):')
    await measure('first sync, 30 pages × ~30 blocks', sync)
    await measure('unchanged notebook', sync)
    await setTexts(nb, { 'p-5': pageText(5).replace('Line 3 of page 5', 'Line 3 of page 5 (edited)') })
    await measure('one-line edit', sync)
    await setTexts(nb, { 'p-7': pageText(7).replace('- [ ] Task 7a', '- [x] Task 7a') })
    await measure('todo tick', sync)
    await setNotebook('bench-30', [...uuids.slice(0, 15), 'p-new', ...uuids.slice(15)], 'Thirty pages')
    await setTexts(nb, { 'p-new': pageText(99) })
    await measure('page inserted in the middle of 30', sync)
    await setNotebook('bench-30', [...uuids.slice(0, 15), 'p-new', ...uuids.slice(15)], 'Thirty pages, renamed')
    await measure('rename', sync)

    // 4 workers, one token, a backlog of notebooks.
    console.log('\n4 workers sharing one token over a backlog (fake: 3 requests/s average, burst 10):')
    const config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', INTEGRATION_MASTER_KEY: masterKey, NOTION_API_BASE_URL: notion.url, NOTION_REQUESTS_PER_SECOND: '3', NOTION_REQUEST_BURST: '3', WORKER_CONCURRENCY: '2', RETRY_BASE_MS: '500' })
    notion.reset()
    const backlog: number[] = []
    for (let n = 0; n < 8; n++) {
      const pages = Array.from({ length: 6 }, (_, i) => `b${n}-${i}`)
      const id = await setNotebook(`backlog-${n}`, pages, `Backlog ${n}`)
      backlog.push(id)
    }
    const started = performance.now()
    for (const [n, id] of backlog.entries()) await setTexts(id, Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`b${n}-${i}`, pageText(i + 1)])))
    const workers = await Promise.all(Array.from({ length: 4 }, () => startWorker(config, database.url, logger, { pollInterval: 200, onlyTasks: ['sync_notebook'] })))
    for (;;) {
      const open = await db.syncRecord.count({ where: { status: { not: 'success' } } })
      const jobs = Number((await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker._private_jobs`)[0].n)
      if (!open && !jobs) break
      await new Promise((r) => setTimeout(r, 250))
    }
    const seconds = (performance.now() - started) / 1000
    await Promise.all(workers.map((w) => w.stop()))
    const s = notion.stats()
    const failed = await db.syncRecord.count({ where: { status: 'failed' } })
    console.log(`  ${s.requests} requests in ${seconds.toFixed(1)} s → ${(s.requests / seconds).toFixed(2)} requests/s; 429s received: ${s.rateLimited}; Retry-After violations: ${s.retryAfterViolations}; items failed: ${failed}`)

    // Text ready → first Notion request.
    console.log('\ntext ready → first Notion request (1 worker, in-process, LISTEN/NOTIFY wake-up):')
    const worker = await startWorker(readConfig({ ...Object.fromEntries(Object.entries(process.env)), NODE_ENV: 'test', LOG_LEVEL: 'silent', INTEGRATION_MASTER_KEY: masterKey, NOTION_API_BASE_URL: notion.url, NOTION_REQUESTS_PER_SECOND: '3', NOTION_REQUEST_BURST: '3' }), database.url, logger, { pollInterval: 2000, onlyTasks: ['sync_notebook'] })
    const latencies: number[] = []
    for (let k = 0; k < 40; k++) {
      const id = await setNotebook(`latency-${k}`, ['only'], `Latency ${k}`)
      notion.reset()
      const t0 = Date.now()
      await setTexts(id, { only: `Latency probe ${k}` })
      while (notion.stats().requests === 0) await new Promise((r) => setTimeout(r, 1))
      latencies.push(notion.requestLog()[0].at - t0)
      while ((await db.syncRecord.count({ where: { status: { not: 'success' } } })) > 0) await new Promise((r) => setTimeout(r, 20))
      // Let the token's bucket (3 at 3/s) refill, so the next sample measures the wake-up, not the pacing.
      await new Promise((r) => setTimeout(r, 1100))
    }
    await worker.stop()
    console.log(`  p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms over ${latencies.length} notebooks`)
  } finally {
    await db.$disconnect()
    await notion.close()
    await database.close()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
