/**
 * viewer.search over a generated library: 50,000 pages (500 notebooks of 100, typed-looking text of
 * 60–180 words from a Zipf-distributed vocabulary of ~20,000 words, a few words garbled as OCR does),
 * one or two checkbox lines on many pages (todos: ~60% done, some removed), highlights on the PDFs'
 * pages — and another user with a tenth as much, so the indexes hold more than the searcher's rows.
 * Then C clients (default 10) each run a round of every query kind, R rounds (default 20), through
 * the real GraphQL API (in-process server, HTTP): p50/p99 per kind and overall. The plans of the main
 * statement (EXPLAIN ANALYZE, BUFFERS) for a rare word, a common word and the open-todos view follow.
 * Run: npm run bench:search [-- pages (50000) clients (10) rounds (20)]
 *      (DATABASE_URL optional: a throwaway database is made on it, else on an embedded PostgreSQL;
 *      BENCH_SEARCH_DB=<url of a database of your own> keeps the library there and reuses it next time)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { pino } from 'pino'
import { createBenchDatabase, machineLine, percentile } from './lib/benchDatabase.ts'
import { readConfig } from '../server/config.ts'
import { startServer } from '../server/startServer.ts'
import { generateMasterKey } from '../server/crypto/keys.ts'
import { createSession } from '../server/auth/sessions.ts'
import { prepareSearch, type SearchRequest } from '../server/search/searchLibrary.ts'
import { migrateDatabase } from '../scripts/migrate.ts'
import { generateLibrary, MID_WORD, pick, random, vocabulary } from './lib/searchLibrary.ts'

const PAGES = Number(process.argv[2] ?? 50_000)
const CLIENTS = Number(process.argv[3] ?? 10)
const ROUNDS = Number(process.argv[4] ?? 20)
const SearchQuery = `query Search($query: String, $first: Int, $filter: SearchFilter) {
  viewer { search(query: $query, first: $first, filter: $filter) {
    __typename
    ... on SearchConnection { edges { node { kind rank snippet { text matches { start length } } notebook { id visibleName }
      item { __typename ... on Page { id } ... on Todo { id completed } ... on Highlight { id } } } } pageInfo { hasNextPage } }
    ... on Error { code message }
  } } }`

interface Kind {
  name: string
  variables: () => Record<string, unknown>
}

function makeKinds(notebookIds: string[]): Kind[] {
  return [
    { name: 'rare word "invoice"', variables: () => ({ query: 'invoice' }) },
    { name: 'OCR variant "invoce"', variables: () => ({ query: 'invoce' }) },
    { name: 'prefix "invoic*"', variables: () => ({ query: 'invoic*' }) },
    { name: 'phrase "feedback loop"', variables: () => ({ query: '"feedback loop"' }) },
    { name: `mid-frequency word "${MID_WORD}"`, variables: () => ({ query: MID_WORD }) },
    { name: 'common word "meeting" (20%)', variables: () => ({ query: 'meeting' }) },
    { name: 'two words "budget meeting"', variables: () => ({ query: 'budget meeting' }) },
    { name: 'random vocabulary word', variables: () => ({ query: vocabulary[200 + Math.floor(random() * 15_000)] }) },
    { name: '"meeting" in one notebook', variables: () => ({ query: 'meeting', filter: { notebookId: pick(notebookIds) } }) },
    { name: 'open todos, newest first', variables: () => ({ filter: { kinds: ['TODO'], open: true } }) },
  ]
}

async function explain(client: pg.Client, label: string, prepared: Awaited<ReturnType<typeof prepareSearch>>) {
  if (!prepared) return
  const { rows } = await client.query(`explain (analyze, buffers, costs off) ${prepared.sql.text}`, prepared.sql.values as unknown[])
  console.log(`\n── EXPLAIN ANALYZE: ${label}`)
  for (const r of rows) console.log(r['QUERY PLAN'])
}

async function main() {
  console.log(`search bench · ${machineLine()}`)
  console.log(`library: ${PAGES} pages (+${Math.round(PAGES / 10)} of another user), ${CLIENTS} clients × ${ROUNDS} rounds of ${10} query kinds`)
  const reuse = process.env.BENCH_SEARCH_DB
  if (reuse) await migrateDatabase(reuse)
  const database = reuse ? { url: reuse, close: async () => {} } : await createBenchDatabase()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rmirror-bench-search-'))
  const logger = pino({ level: process.env.BENCH_LOG ?? 'silent' })
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  let server: Awaited<ReturnType<typeof startServer>> | undefined
  try {
    let { rows: [user] } = await client.query<{ id: number }>(`select id from users where email = 'bench@example.com'`)
    if (user) console.log(`reusing the library in BENCH_SEARCH_DB`)
    else {
      ;[user] = (await client.query<{ id: number }>(`insert into users (email, password_hash) values ('bench@example.com', 'x') returning id`)).rows
      const { rows: [other] } = await client.query<{ id: number }>(`insert into users (email, password_hash) values ('other@example.com', 'x') returning id`)
      const loadStart = performance.now()
      await generateLibrary(client, user.id, PAGES, 'u1')
      await generateLibrary(client, other.id, Math.round(PAGES / 10), 'u2')
      const loadSeconds = (performance.now() - loadStart) / 1000
      const pages = PAGES + Math.round(PAGES / 10)
      console.log(`loaded in ${loadSeconds.toFixed(1)} s (${Math.round(pages / loadSeconds)} pages/s with their todos and highlights, vectors and vocabulary written in the same statements)`)
      await client.query('vacuum analyze')
    }
    const { rows: [counts] } = await client.query(`select (select count(*) from pages)::int as pages, (select count(*) from todos)::int as todos,
      (select count(*) from highlights)::int as highlights, (select count(*) from search_words)::int as words,
      pg_size_pretty(pg_relation_size('pages_search_vector_idx')) as page_gin, pg_size_pretty(pg_relation_size('search_words_trgm_idx')) as words_trgm,
      pg_size_pretty(pg_total_relation_size('pages')) as pages_total`)
    console.log(`rows: ${counts.pages} pages, ${counts.todos} todos, ${counts.highlights} highlights, ${counts.words} vocabulary words · sizes: pages ${counts.pages_total} (GIN ${counts.page_gin}), vocabulary trigram index ${counts.words_trgm}`)

    const config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', SERVE_WEB: 'false', RMIRROR_DATA_DIR: dataDir, INTEGRATION_MASTER_KEY: generateMasterKey(), API_RATE_LIMIT_PER_SECOND: '100000', API_RATE_LIMIT_BURST: '100000' })
    server = await startServer(config, database.url, logger)
    const token = await createSession(server.services.db, user.id)
    const { rows: nbRows } = await client.query<{ id: number }>(`select id from notebooks where user_id = $1 and type = 'NOTEBOOK'`, [user.id])
    const notebookIds = nbRows.map((r) => Buffer.from(`Notebook:${r.id}`).toString('base64'))
    const kinds = makeKinds(notebookIds)
    const url = `${server.url}/graphql`
    const run = async (kind: Kind) => {
      const started = performance.now()
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: SearchQuery, variables: { first: 20, ...kind.variables() } }) })
      const json = (await res.json()) as any
      const ms = performance.now() - started
      const result = json.data?.viewer?.search
      if (json.errors || result?.__typename !== 'SearchConnection') throw new Error(`${kind.name}: ${JSON.stringify(json.errors ?? result)}`)
      return { ms, hits: result.edges.length as number }
    }
    // Warm-up: one of each, alone (also checks every kind answers).
    const hitsByKind = new Map<string, number>()
    for (const kind of kinds) hitsByKind.set(kind.name, (await run(kind)).hits)

    const line = (label: string, v: number[], extra = '') => console.log(`  ${label.padEnd(36)} p50 ${percentile(v, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(v, 99).toFixed(1).padStart(6)} ms${extra}`)
    const concurrently = async (task: (i: number) => Promise<void>) => {
      const started = performance.now()
      await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
        for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < kinds.length; i++) await task((i + c) % kinds.length) // clients start at different kinds
      }))
      return (performance.now() - started) / 1000
    }

    // The search statements alone (read the query, widen its words, find the hits), straight to
    // PostgreSQL from one pool: what the database spends.
    const sqlSamples = new Map<string, number[]>(kinds.map((k) => [k.name, []]))
    const db = server.services.db
    const sqlWall = await concurrently(async (i) => {
      const kind = kinds[i]
      const v = kind.variables() as { query?: string; filter?: { notebookId?: string; kinds?: ('TODO')[]; open?: boolean } }
      const notebookId = v.filter?.notebookId ? Number(Buffer.from(v.filter.notebookId, 'base64').toString().split(':')[1]) : null
      const started = performance.now()
      const prepared = await prepareSearch(db, logger, { userId: user.id, query: v.query ?? null, notebookId, kinds: v.filter?.kinds, open: v.filter?.open, offset: 0, limit: 21 })
      if (prepared) await db.$queryRaw(prepared.sql)
      sqlSamples.get(kind.name)!.push(performance.now() - started)
    })
    const sqlAll = [...sqlSamples.values()].flat()
    console.log(`\nsearch statements alone, ${CLIENTS} concurrent (widening + the main statement; no HTTP, no GraphQL):`)
    for (const kind of kinds) line(kind.name, sqlSamples.get(kind.name)!)
    line('all', sqlAll, `  (n=${sqlAll.length}, ${(sqlAll.length / sqlWall).toFixed(0)} searches/s)`)

    // The whole API: the same searches over HTTP, plus the cheapest authenticated request for scale.
    const samples = new Map<string, number[]>(kinds.map((k) => [k.name, []]))
    const baseline: number[] = []
    const wall = await concurrently(async (i) => {
      samples.get(kinds[i].name)!.push((await run(kinds[i])).ms)
      if (i === 0) {
        const started = performance.now()
        await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ viewer { id } }' }) })).json()
        baseline.push(performance.now() - started)
      }
    })
    const all = [...samples.values()].flat()
    console.log(`\nGraphQL over HTTP, ${CLIENTS} concurrent clients, first: 20 with snippets, items and notebooks:`)
    for (const kind of kinds) line(kind.name, samples.get(kind.name)!, `  (hits on page 1: ${hitsByKind.get(kind.name)})`)
    line('all', all, `  (n=${all.length}, ${(all.length / wall).toFixed(0)} searches/s)`)
    line('for scale: { viewer { id } }', baseline, `  (n=${baseline.length}, interleaved)`)
    console.log(`machine after: ${machineLine()}`)

    const request = (query: string | null, extra: Partial<SearchRequest> = {}): SearchRequest => ({ userId: user.id, query, offset: 0, limit: 21, ...extra })
    await explain(client, 'rare word "invoice" (widened with similar words)', await prepareSearch(server.services.db, logger, request('invoice')))
    await explain(client, 'common word "meeting"', await prepareSearch(server.services.db, logger, request('meeting')))
    await explain(client, 'open todos, newest first', await prepareSearch(server.services.db, logger, request(null, { kinds: ['TODO'], open: true })))
  } finally {
    await server?.stop()
    await client.end()
    await database.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
