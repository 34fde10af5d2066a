/**
 * Markdown export and the Obsidian agent, against a real server (and, for the second part, a real
 * worker reading typed pages):
 *   1. Library export: a library of N notebooks × P pages of text is seeded with SQL, then downloaded
 *      as a .zip through Viewer.libraryExportUrl. The download is read and thrown away; the process's
 *      memory is sampled every 100 ms (after a gc: live memory). Printed: archive size, time, notebooks/s,
 *      and the peak memory growth during the download next to the archive size and the total text
 *      (an archive built in memory would grow by at least the archive's size; run two sizes to see
 *      the growth stay flat). Also: one agent listing of the whole library
 *      with every notebook's Markdown version (what an incremental `agent obsidian` run costs when
 *      nothing changed).
 *   2. `agent obsidian --watch`: pages uploaded one at a time through the agent's API client; for each,
 *      text_ready_at (the worker's clock, at the write) → the file in the vault holding the new text
 *      (the vault is checked every 2 ms).
 * Run: npm run bench:markdown -- [notebooks, default 1000] [pages per notebook, default 20] [characters per page, default 1500] [watch samples, default 30]
 *      (DATABASE_URL optional: a scratch database is made on it, else on an embedded PostgreSQL)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pino } from 'pino'
import { createBenchDatabase, machineLine, percentile } from './lib/benchDatabase.ts'
import { readConfig } from '../server/config.ts'
import { startServer } from '../server/startServer.ts'
import { generateMasterKey } from '../server/crypto/keys.ts'
import { hashToken, makeToken } from '../server/auth/tokens.ts'
import { startWorker } from '../worker/startWorker.ts'
import { createApiClient } from '../agent/api.ts'
import { makeMarkdownApi } from '../agent/obsidian/markdownApi.ts'
import { startVaultWatch } from '../agent/obsidian/vaultWatch.ts'
import { makeRmFile, makeRootTextBlock } from '../test/rm/rmWriter.ts'

const notebooks = Number(process.argv[2] ?? 1000)
const pagesPerNotebook = Number(process.argv[3] ?? 20)
const charsPerPage = Number(process.argv[4] ?? 1500)
const watchSamples = Number(process.argv[5] ?? 30)

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

async function main() {
  console.log(`markdown bench · ${machineLine()}`)
  const database = await createBenchDatabase()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rmirror-bench-md-'))
  const logger = pino({ level: process.env.BENCH_LOG ?? 'silent' })
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(dataDir, { recursive: true, force: true }), () => database.close()]
  try {
    const config = readConfig({
      NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', SERVE_WEB: 'false', RMIRROR_DATA_DIR: dataDir, INTEGRATION_MASTER_KEY: generateMasterKey(),
      API_RATE_LIMIT_PER_SECOND: '100000', API_RATE_LIMIT_BURST: '100000', PUBLIC_URL: 'https://rmirror.example',
    })
    const server = await startServer(config, database.url, logger)
    cleanups.unshift(() => server.stop())
    const db = server.services.db
    const user = await db.user.create({ data: { email: 'bench@example.com', passwordHash: 'x' } })
    const token = makeToken('api_token')
    await db.apiToken.create({ data: { userId: user.id, name: 'bench', scopes: ['agent', 'read'], tokenHash: hashToken(token), prefix: token.slice(0, 8) } })

    // 1. Export.
    const seeded = performance.now()
    const textBytes = await seedLibrary(db, user.id)
    console.log(`seeded ${notebooks} notebooks × ${pagesPerNotebook} pages × ~${charsPerPage} characters (${mb(textBytes)} of text) in ${((performance.now() - seeded) / 1000).toFixed(1)} s`)
    const link = await postGraphql(server.url, token, '{ viewer { libraryExportUrl { ... on LibraryExport { url } } } }')
    const url = `${server.url}${link.data.viewer.libraryExportUrl.url}`
    // With --expose-gc each sample collects first, so the heap figure is what the export keeps alive
    // (garbage it has already dropped does not count); without it, heapUsed includes garbage.
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const before = process.memoryUsage()
    let peakRss = before.rss
    let peakHeap = before.heapUsed
    const sampler = setInterval(() => {
      gc?.()
      const now = process.memoryUsage()
      peakRss = Math.max(peakRss, now.rss)
      peakHeap = Math.max(peakHeap, now.heapUsed)
    }, 100)
    const started = performance.now()
    const res = await fetch(url)
    let zipBytes = 0
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) zipBytes += chunk.length
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    console.log(`\nlibrary export (.zip, streamed; the client counts and discards the bytes)`)
    console.log(`  ${mb(zipBytes)} for ${notebooks} notebooks in ${seconds.toFixed(1)} s: ${(notebooks / seconds).toFixed(0)} notebooks/s, ${(zipBytes / 1024 / 1024 / seconds).toFixed(1)} MB/s of archive`)
    console.log(`  memory before: rss ${mb(before.rss)}, heap ${mb(before.heapUsed)}${gc ? ' (after gc)' : ' (run with --expose-gc: heap figures then leave garbage out)'}`)
    console.log(`  peak growth during the download (sampled every 100 ms${gc ? ', after gc' : ''}): rss +${mb(peakRss - before.rss)}, heap +${mb(peakHeap - before.heapUsed)} — archive ${mb(zipBytes)}, text ${mb(textBytes)}`)

    const api = makeMarkdownApi(createApiClient({ url: server.url, token }))
    const listed = performance.now()
    const listing = await api.listLibrary()
    if (!listing.ok) throw new Error(listing.error.message)
    console.log(`\nagent listing of ${listing.value.notebooks.length} notebooks with their Markdown versions: ${((performance.now() - listed) / 1000).toFixed(2)} s (an incremental run with nothing changed)`)

    // 2. --watch latency.
    await db.$executeRaw`delete from notebooks where user_id = ${user.id}`
    const worker = await startWorker(config, database.url, logger, { pollInterval: 1000, onlyTasks: ['extract_page'] })
    cleanups.unshift(() => worker.stop())
    const vault = path.join(dataDir, 'vault')
    mkdirSync(vault)
    const agent = createApiClient({ url: server.url, token })
    const nbUuid = 'bench000-0000-4000-8000-000000000001'
    const pageUuids = Array.from({ length: watchSamples }, (_, i) => `bench000-1111-4000-8000-${String(i).padStart(12, '0')}`)
    const synced = await agent.syncNotebookMetadata([{ uuid: nbUuid, visibleName: 'Watched', type: 'NOTEBOOK', parentUuid: null, pageUuids, tags: [], lastModified: null, lastOpened: null, lastOpenedPage: null, pinned: false, deleted: false }])
    if (!synced.ok) throw new Error(synced.error.message)
    const watch = startVaultWatch({ vault, url: server.url, token, stateDir: path.join(dataDir, 'state') })
    cleanups.unshift(() => watch.stop())
    await watch.ready
    const file = path.join(vault, 'reMarkable', 'Watched.md')
    const latencies: number[] = []
    for (const [i, pageUuid] of pageUuids.entries()) {
      const text = `Sample ${i} written at ${Date.now()}`
      const uploaded = await agent.uploadPage({ notebookUuid: nbUuid, pageUuid, bytes: makeRmFile([makeRootTextBlock([{ id: [1, 10], left: [0, 0], right: [0, 0], text }], [])]) })
      if (!uploaded.ok) throw new Error(uploaded.error.message)
      while (!(existsSync(file) && readFileSync(file, 'utf8').includes(text))) await new Promise((r) => setTimeout(r, 2))
      const seen = Date.now()
      const page = await db.page.findFirstOrThrow({ where: { userId: user.id, uuid: pageUuid }, select: { textReadyAt: true } })
      latencies.push(seen - page.textReadyAt!.getTime())
    }
    console.log(`\nagent obsidian --watch: text_ready_at → the text in the vault file (n=${latencies.length})`)
    console.log(`  p50 ${percentile(latencies, 50)} ms  p90 ${percentile(latencies, 90)} ms  max ${Math.max(...latencies)} ms`)
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((err) => console.error(err))
  }
}

/** Folders, notebooks, pages with text and page order, a highlight per notebook: straight SQL. Returns the text's size. */
async function seedLibrary(db: import('../server/db.ts').Db, userId: number): Promise<number> {
  const folders = 20
  await db.$executeRaw`
    insert into notebooks (user_id, uuid, visible_name, type, folder_path, updated_at)
    select ${userId}, 'folder-' || f, 'Folder ' || f, 'FOLDER', '', now() from generate_series(1, ${folders}) f`
  await db.$executeRaw`
    insert into notebooks (user_id, uuid, visible_name, type, parent_uuid, folder_path, tags, last_modified, updated_at)
    select ${userId}, 'nb-' || n, 'Notebook ' || n, 'NOTEBOOK', 'folder-' || (n % ${folders} + 1), 'Folder ' || (n % ${folders} + 1), array['bench'], now(), now()
    from generate_series(1, ${notebooks}) n`
  // Words of random hex, different on every page, so the archive is not a few repeated bytes.
  const words = Math.max(1, Math.round(charsPerPage / 33))
  await db.$executeRaw`
    insert into pages (user_id, notebook_id, notebook_uuid, uuid, ocr_status, ocr_text, updated_at)
    select ${userId}, n.id, n.uuid, n.uuid || '-p' || p, 'completed',
      '## Page heading ' || p || E'\n\n- [ ] a todo on page ' || p || E'\n\n' ||
        array_to_string(array(select md5(random()::text || p || n.id || w) from generate_series(1, ${words}) w), ' '),
      now()
    from notebooks n cross join generate_series(1, ${pagesPerNotebook}) p
    where n.user_id = ${userId} and n.type = 'NOTEBOOK'`
  await db.$executeRaw`
    insert into notebook_pages (notebook_id, page_id, page_number)
    select p.notebook_id, p.id, row_number() over (partition by p.notebook_id order by p.id) from pages p where p.user_id = ${userId}`
  await db.$executeRaw`
    insert into highlights (user_id, notebook_id, notebook_uuid, page_id, original_text, original_text_hash, source_file, page_number, color, content_hash, updated_at)
    select ${userId}, p.notebook_id, p.notebook_uuid, p.id, 'A highlighted passage', md5(p.id::text), p.notebook_uuid || '/' || p.uuid, 1, 'yellow', md5('h' || p.id), now()
    from pages p join notebook_pages np on np.page_id = p.id where p.user_id = ${userId} and np.page_number = 1`
  const [{ bytes }] = await db.$queryRaw<{ bytes: bigint }[]>`select coalesce(sum(octet_length(ocr_text)), 0) as bytes from pages where user_id = ${userId}`
  return Number(bytes)
}

async function postGraphql(base: string, token: string, query: string): Promise<any> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) })
  return res.json()
}

await main()
