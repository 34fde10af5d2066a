/**
 * Upload throughput of the desktop agent into the real server (startServer: GraphQL multipart, per-token
 * rate limit, content-addressed storage in a temp dir, page rows, extract_page jobs queued in the same
 * transaction; no worker runs). For each concurrency: a fresh user with an agent-scoped API token and a
 * fresh desktop folder of N notebooks × M pages, each page a valid v6 file with its own typed text (so
 * every sha differs, across runs too); then a first pass (everything new) and a second pass (no change).
 * The agent and the server share this process (and its event loop), as they would not in production.
 *
 * Run: npx tsx bench/upload.ts [notebooks=20] [pages per notebook=25] [page KB=8] [concurrencies=1,4,8]
 * DATABASE_URL: the PostgreSQL server to create the bench database on (else an embedded one).
 * The per-token rate limit is raised for the measurement; one more run shows the default limit's effect.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pino } from 'pino'
import { runUploadPass, type PassSummary } from '../agent/uploadPass.ts'
import { readConfig } from '../server/config.ts'
import { startServer, type StartedServer } from '../server/startServer.ts'
import { hashToken, makeToken } from '../server/auth/tokens.ts'
import { parseRm } from '../server/rm/index.ts'
import { makeRmFile, makeRootTextBlock } from '../test/rm/rmWriter.ts'
import { createBenchDatabase, machineLine } from './lib/benchDatabase.ts'

const notebookCount = Number(process.argv[2] ?? 20)
const pagesPerNotebook = Number(process.argv[3] ?? 25)
const pageKb = Number(process.argv[4] ?? 8)
const concurrencies = (process.argv[5] ?? '1,4,8').split(',').map(Number)

const WORDS = 'meeting notes project plan review draft idea follow up call design budget deadline sketch outline question answer'.split(' ')

/** A typed page of about `bytes` bytes whose text starts with `label`, so every page is distinct. */
function makePage(label: string, bytes: number): Uint8Array {
  const lines = [`# ${label}`]
  let length = lines[0].length
  for (let i = 0; length < bytes - 150; i++) {
    const line = `${i % 7 === 0 ? '- [ ] ' : ''}${Array.from({ length: 8 }, (_, w) => WORDS[(i * 8 + w + label.length) % WORDS.length]).join(' ')} ${i}`
    lines.push(line)
    length += line.length + 1
  }
  return makeRmFile([makeRootTextBlock([{ id: [1, 10], left: [0, 0], right: [0, 0], text: lines.join('\n') }], [])])
}

const uuidOf = (run: number, kind: number, n: number) => `${run.toString(16).padStart(4, '0')}${kind.toString(16).padStart(4, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

/** The desktop app's folder layout: a folder, notebooks in it, one .rm per page. Checks that every page parses. */
async function makeLibrary(folder: string, run: number, notebooks = notebookCount, perNotebook = pagesPerNotebook): Promise<{ pages: number; bytes: number }> {
  await mkdir(folder, { recursive: true })
  const folderUuid = uuidOf(run, 0xf, 0)
  await writeFile(path.join(folder, `${folderUuid}.metadata`), JSON.stringify({ visibleName: 'Bench', type: 'CollectionType', parent: '', lastModified: '1764000000000' }))
  let pages = 0
  let bytes = 0
  for (let n = 0; n < notebooks; n++) {
    const notebookUuid = uuidOf(run, 0xa, n)
    const pageIds = Array.from({ length: perNotebook }, (_, p) => uuidOf(run, 0xb, n * perNotebook + p))
    await writeFile(path.join(folder, `${notebookUuid}.metadata`), JSON.stringify({ visibleName: `Notebook ${n}`, type: 'DocumentType', parent: folderUuid, lastModified: '1764000000000' }))
    const cPages = pageIds.map((id, p) => ({ id, idx: { timestamp: '1:1', value: `b${String.fromCharCode(97 + Math.floor(p / 26))}${String.fromCharCode(97 + (p % 26))}` } }))
    await writeFile(path.join(folder, `${notebookUuid}.content`), JSON.stringify({ fileType: 'notebook', formatVersion: 2, cPages: { pages: cPages }, tags: [] }))
    await mkdir(path.join(folder, notebookUuid))
    for (const [p, id] of pageIds.entries()) {
      // Sizes vary from half to one and a half times the target, as pages do.
      const file = makePage(`Run ${run} notebook ${n} page ${p + 1}`, Math.round(pageKb * 1024 * (0.5 + ((p * 37) % 100) / 100)))
      const parsed = parseRm(file)
      if (!parsed.ok || !parsed.page.paragraphs[0]?.text.includes(`page ${p + 1}`)) throw new Error(`generated page ${n}/${p} does not read back: ${parsed.ok ? 'text differs' : parsed.error.message}`)
      await writeFile(path.join(folder, notebookUuid, `${id}.rm`), file)
      pages++
      bytes += file.length
    }
  }
  return { pages, bytes }
}

/** A user and an agent-scoped API token, made directly in the database (as test/helpers/users.ts does). */
async function createAgentUser(server: StartedServer, email: string): Promise<{ id: number; token: string }> {
  const db = server.services.db
  const user = await db.user.create({ data: { email, passwordHash: 'not-used' } })
  const token = makeToken('api_token')
  await db.apiToken.create({ data: { userId: user.id, name: 'bench agent', scopes: ['agent'], tokenHash: hashToken(token), prefix: token.slice(0, 8) } })
  return { id: user.id, token }
}

function describeFirst(s: PassSummary, bytes: number): string {
  return `${s.seconds.toFixed(2)} s, ${s.pagesUploaded} stored, ${s.pagesFailed.length} failed, ${(s.pagesUploaded / s.seconds).toFixed(1)} pages/s, ${(bytes / 1e6 / s.seconds).toFixed(2)} MB/s`
}

interface RunResult {
  concurrency: number
  first: PassSummary
  second: PassSummary
  bytes: number
}

/** `strict`: every page must be stored and queued, else the run throws (figures of a broken run mean nothing). */
async function runOnce(server: StartedServer, root: string, run: number, concurrency: number, strict = true): Promise<RunResult> {
  const folder = path.join(root, `desktop-${run}`)
  const stateDir = path.join(root, `state-${run}`)
  const library = await makeLibrary(folder, run)
  const user = await createAgentUser(server, `bench-${run}@example.com`)
  const options = { folder, url: server.url, token: user.token, stateDir, concurrency }
  const first = await runUploadPass(options)
  const second = await runUploadPass(options)
  // What the server holds for this user must be the whole library, with one extraction job per page.
  const db = server.services.db
  const stored = await db.page.count({ where: { userId: user.id, fileSha256: { not: null } } })
  const [{ jobs }] = await db.$queryRaw<{ jobs: bigint }[]>`select count(*) as jobs from graphile_worker._private_jobs j join pages p on p.id = (j.payload->>'pageId')::int where p.user_id = ${user.id}`
  if (strict && (stored !== library.pages || Number(jobs) !== library.pages || first.pagesFailed.length || first.aborted))
    throw new Error(`run ${run}: ${stored} pages stored and ${jobs} jobs queued of ${library.pages}; failed ${first.pagesFailed.length}; aborted ${first.aborted?.code ?? 'no'}`)
  return { concurrency, first, second, bytes: library.bytes }
}

async function startBenchServer(databaseUrl: string, dataDir: string, rateLimit: { perSecond: number; burst: number } | null): Promise<StartedServer> {
  const config = readConfig({
    NODE_ENV: 'development',
    PORT: '0',
    RMIRROR_DATA_DIR: dataDir,
    SERVE_WEB: 'false',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'silent',
    LOG_FORMAT: 'json',
    ...(rateLimit ? { API_RATE_LIMIT_PER_SECOND: String(rateLimit.perSecond), API_RATE_LIMIT_BURST: String(rateLimit.burst) } : {}),
  })
  return startServer(config, databaseUrl, pino({ level: 'silent' }))
}

const database = await createBenchDatabase()
const root = await mkdtemp(path.join(tmpdir(), 'rmirror-upload-bench-'))
try {
  console.log(`${machineLine()}; agent and server in one process; PostgreSQL: ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'}`)
  console.log(`library per run: ${notebookCount} notebooks × ${pagesPerNotebook} pages = ${notebookCount * pagesPerNotebook} typed pages of ~${pageKb} KB (0.5–1.5×)`)
  const server = await startBenchServer(database.url, path.join(root, 'data'), { perSecond: 100_000, burst: 100_000 })
  const results: RunResult[] = []
  try {
    let run = 0
    // A small warm-up run (JIT, connection pool), not reported.
    await makeLibrary(path.join(root, 'warm'), 0xffff, 2, 10)
    const warmUser = await createAgentUser(server, 'warm@example.com')
    await runUploadPass({ folder: path.join(root, 'warm'), url: server.url, token: warmUser.token, stateDir: path.join(root, 'warm-state'), concurrency: 4 })
    for (const concurrency of concurrencies) {
      const result = await runOnce(server, root, ++run, concurrency)
      results.push(result)
      console.log(`concurrency ${concurrency}: first pass ${describeFirst(result.first, result.bytes)}; second pass (no change) ${(result.second.seconds * 1000).toFixed(0)} ms, ${result.second.pagesUploaded} uploaded, ${result.second.pagesUnchanged} unchanged`)
    }
  } finally {
    await server.stop()
  }

  // The same agent against the default per-token limit (API_RATE_LIMIT_PER_SECOND=20, burst 100): 429s and Retry-After.
  const limited = await startBenchServer(database.url, path.join(root, 'data'), null)
  try {
    const result = await runOnce(limited, root, 0xfff0, 4, false)
    const retries = result.first.transientFailures
    console.log(`default rate limit (20/s, burst 100), concurrency 4: first pass ${describeFirst(result.first, result.bytes)}${retries ? `, ${retries} transient failures` : ''}`)
  } finally {
    await limited.stop()
  }

  console.log('\n| concurrency | first pass | pages/s | MB/s | second pass (no change) |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const r of results)
    console.log(`| ${r.concurrency} | ${r.first.seconds.toFixed(2)} s | ${(r.first.pagesUploaded / r.first.seconds).toFixed(1)} | ${(r.bytes / 1e6 / r.first.seconds).toFixed(2)} | ${(r.second.seconds * 1000).toFixed(0)} ms |`)
} finally {
  await rm(root, { recursive: true, force: true })
  await database.close()
}
