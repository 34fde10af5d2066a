/**
 * The notebook view under load: one user with 20 notebooks × 10 pages (each with ~1.5 KB of text and a
 * sync record) and 400 todos (each with a sync record); C clients (default 50) each ask the view R times
 * (default 20) over HTTP against a server in its own process. Prints p50 / p99 / max latency, requests/s,
 * the answer's size and the server's CPU time per request. BENCH_CPU_PROF=<dir> writes the server's
 * profile of the loaded phase (summarise with `tsx bench/lib/summariseProfile.ts <file>`).
 * Run: npm run bench:read [-- clients (50) rounds (20)]
 *      (DATABASE_URL optional: a throwaway database is made on it, else on an embedded PostgreSQL)
 */
import pg from 'pg'
import { createBenchDatabase, machineLine, percentile } from './lib/benchDatabase.ts'
import { startBenchServer } from './lib/benchServer.ts'
import { hashToken, makeToken } from '../server/auth/tokens.ts'

const CLIENTS = Number(process.argv[2] ?? 50)
const ROUNDS = Number(process.argv[3] ?? 20)
const NOTEBOOKS = 20
const PAGES = 10
const TODOS = 400

const QUERY = `query NotebookView {
  viewer {
    notebooks(first: ${NOTEBOOKS}) {
      totalCount
      edges { node {
        id visibleName folderPath tags pageCount
        pages(first: ${PAGES}) { edges { node { id uuid pageNumber ocrStatus textReadyAt text syncRecords { target status errorMessage syncedAt } } } }
        todos(first: ${TODOS / NOTEBOOKS}) { edges { node { id text completed pageNumber syncRecords { target status } } } }
      } }
    }
  }
}`

const WORDS = 'meeting notes follow up with the team about budget review project timeline draft ideas sketch call back tomorrow'.split(' ')
const textOf = (seed: number, words: number) => Array.from({ length: words }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(' ')

async function seed(client: pg.Client): Promise<string> {
  const { rows: [user] } = await client.query<{ id: number }>(`insert into users (email, password_hash) values ('reader@example.com', 'x') returning id`)
  const token = makeToken('session')
  await client.query(`insert into sessions (user_id, token_hash, expires_at) values ($1, $2, now() + interval '1 day')`, [user.id, hashToken(token)])
  for (let n = 0; n < NOTEBOOKS; n++) {
    const uuid = `nb-${n}`
    const { rows: [nb] } = await client.query<{ id: number }>(`insert into notebooks (user_id, uuid, visible_name, type, tags, updated_at) values ($1, $2, $3, 'NOTEBOOK', '{work}', now()) returning id`, [user.id, uuid, `Notebook ${n}`])
    const { rows: pages } = await client.query<{ id: number }>(
      `insert into pages (user_id, notebook_id, notebook_uuid, uuid, ocr_status, ocr_text, text_ready_at, updated_at)
       select $1, $2, $3, $3 || '-p' || i, 'completed', $4 || i, now(), now() from generate_series(1, ${PAGES}) i returning id`,
      [user.id, nb.id, uuid, textOf(n, 250)],
    )
    await client.query(`insert into notebook_pages (notebook_id, page_id, page_number) select $1, unnest($2::int[]), generate_series(1, ${PAGES})`, [nb.id, pages.map((p) => p.id)])
    const { rows: todos } = await client.query<{ id: number }>(
      `insert into todos (user_id, notebook_id, notebook_uuid, page_id, page_number, text, content_hash, fuzzy_signature, confusion_key, updated_at)
       select $1, $2, $3, $4, 1, 'todo ' || i || ' ' || $5, 'c' || i, 's' || i, 'k' || i, now() from generate_series(1, ${TODOS / NOTEBOOKS}) i returning id`,
      [user.id, nb.id, uuid, pages[0].id, textOf(n, 8)],
    )
    await client.query(
      `insert into sync_records (user_id, item_type, item_id, content_hash, target_name, status, notebook_uuid, updated_at)
       select $1::int, 'page_text', unnest($2::text[]), 'p' || gen_random_uuid(), 'notion', 'success'::"SyncStatus", $4::text, now()
       union all select $1::int, 'todo', unnest($3::text[]), 't' || gen_random_uuid(), 'notion', 'pending'::"SyncStatus", $4::text, now()`,
      [user.id, pages.map((p) => String(p.id)), todos.map((t) => String(t.id)), uuid],
    )
  }
  await client.query('vacuum analyze')
  return token
}

async function main() {
  console.log(`read bench · ${machineLine()}`)
  console.log(`notebook view: ${NOTEBOOKS} notebooks × ${PAGES} pages, ${TODOS} todos; ${CLIENTS} clients × ${ROUNDS} requests`)
  const database = await createBenchDatabase()
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  const server = await startBenchServer(database.url)
  try {
    const token = await seed(client)
    const ask = async () => {
      const started = performance.now()
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY }) })
      const text = await res.text()
      const ms = performance.now() - started
      if (res.status !== 200 || text.includes('"errors"')) throw new Error(`status ${res.status}: ${text.slice(0, 500)}`)
      return { ms, bytes: Buffer.byteLength(text) }
    }
    // Warm-up, alone: checks the answer and loads the code paths.
    let bytes = 0
    for (let i = 0; i < 5; i++) bytes = (await ask()).bytes
    const alone: number[] = []
    for (let i = 0; i < 10; i++) alone.push((await ask()).ms)
    console.log(`answer ${(bytes / 1024).toFixed(0)} KB · alone: p50 ${percentile(alone, 50).toFixed(0)} ms`)

    const stopProfile = await server.profile('read-loaded')
    const before = await server.stats()
    const latencies: number[] = []
    const started = performance.now()
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      for (let r = 0; r < ROUNDS; r++) latencies.push((await ask()).ms)
    }))
    const seconds = (performance.now() - started) / 1000
    const after = await server.stats()
    await stopProfile()
    const n = latencies.length
    console.log(`${CLIENTS} concurrent: p50 ${percentile(latencies, 50).toFixed(0)} ms · p99 ${percentile(latencies, 99).toFixed(0)} ms · max ${Math.max(...latencies).toFixed(0)} ms · ${(n / seconds).toFixed(1)} requests/s · server CPU ${((after.cpuMs - before.cpuMs) / n).toFixed(1)} ms per request · RSS ${(after.rssBytes / 1024 / 1024).toFixed(0)} MB`)
  } finally {
    await server.stop()
    await client.end()
    await database.close()
  }
}

await main()
