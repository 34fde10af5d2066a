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

const PAGES = Number(process.argv[2] ?? 50_000)
const CLIENTS = Number(process.argv[3] ?? 10)
const ROUNDS = Number(process.argv[4] ?? 20)
const PAGES_PER_NOTEBOOK = 100
const PDF_EVERY = 10 // every 10th notebook is a PDF with a highlight per page

// Deterministic randomness, so two runs search the same library.
function makeRandom(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = makeRandom(23)
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]

const COMMON = `the of and to a in is it you that he was for on are with as i his they be at one have this from or had by not word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father`.split(' ')
const SYLLABLES = 'ka lo mi ne ru sa ti vo ber dan fel gor han jin kel lum mor nix pra quo ret sil tor ulm ven wex yor zan bri cas dov eth'.split(' ')

function makeVocabulary(size: number): string[] {
  const words = new Set<string>(COMMON)
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3)
    words.add(Array.from({ length: n }, () => pick(SYLLABLES)).join(''))
  }
  return [...words]
}

/** Zipf(1.05) over the vocabulary: a few words everywhere, most words rare. */
function makeZipf(words: string[]) {
  const cumulative: number[] = []
  let sum = 0
  for (let i = 0; i < words.length; i++) cumulative.push((sum += 1 / (i + 1) ** 1.05))
  return () => {
    const x = random() * sum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] < x) lo = mid + 1
      else hi = mid
    }
    return words[lo]
  }
}

const vocabulary = makeVocabulary(20_000)
const nextWord = makeZipf(vocabulary)
// A mid-frequency word: found in a few hundred pages.
const MID_WORD = vocabulary[900]

/** OCR slips: a dropped letter, a doubled one, rn for m, l for i. */
function garble(word: string): string {
  const i = 1 + Math.floor(random() * Math.max(1, word.length - 2))
  switch (Math.floor(random() * 4)) {
    case 0: return word.slice(0, i) + word.slice(i + 1)
    case 1: return word.slice(0, i) + word[i] + word.slice(i)
    case 2: return word.replace('m', 'rn')
    default: return word.replace('i', 'l')
  }
}

function makeSentence(min: number, max: number): string {
  const n = min + Math.floor(random() * (max - min + 1))
  const words = Array.from({ length: n }, () => (random() < 0.01 ? garble(nextWord()) : nextWord()))
  return words.join(' ')
}

interface GeneratedPage {
  text: string
  todos: { text: string; completed: boolean; removed: boolean }[]
}

function makePage(): GeneratedPage {
  const lines: string[] = []
  if (random() < 0.3) lines.push(`# ${makeSentence(2, 5)}`)
  const paragraphs = 4 + Math.floor(random() * 8)
  for (let i = 0; i < paragraphs; i++) lines.push(random() < 0.3 ? `- ${makeSentence(4, 12)}` : `${makeSentence(8, 18)}.`)
  // Planted words with known frequencies, for the queries below.
  if (random() < 0.2) lines.push(`Notes from the meeting about ${makeSentence(2, 6)}.`)
  if (random() < 0.05) lines.push(`The budget for ${makeSentence(1, 3)} is tight.`)
  if (random() < 0.005) lines.push(`Send the ${random() < 0.15 ? 'invoce' : 'invoice'} to ${makeSentence(1, 2)} before Friday.`)
  if (random() < 0.003) lines.push(`The feedback loop between ${makeSentence(1, 2)} and support is slow.`)
  if (random() < 0.003) lines.push(`Ask for feedback on ${makeSentence(2, 4)}, then close the loop.`)
  const todos: GeneratedPage['todos'] = []
  const count = random() < 0.5 ? 0 : random() < 0.8 ? 1 : 2
  for (let i = 0; i < count; i++) {
    const text = `${random() < 0.02 ? 'Pay the invoice for ' : ''}${makeSentence(3, 7)}`
    const completed = random() < 0.6
    todos.push({ text, completed, removed: random() < 0.05 })
    lines.push(`- [${completed ? 'x' : ' '}] ${text}`)
  }
  return { text: lines.join('\n'), todos }
}

async function generateLibrary(client: pg.Client, userId: number, pages: number, tag: string): Promise<void> {
  const notebooks = Math.ceil(pages / PAGES_PER_NOTEBOOK)
  const start = Date.UTC(2023, 0, 1)
  const span = Date.UTC(2026, 10, 1) - start
  for (let nb = 0; nb < notebooks; nb++) {
    const uuid = `${tag}-nb-${nb}`
    const isPdf = nb % PDF_EVERY === 0
    const { rows: [notebook] } = await client.query<{ id: number }>(
      `insert into notebooks (user_id, uuid, visible_name, type, updated_at) values ($1, $2, $3, $4, now()) returning id`,
      [userId, uuid, `${isPdf ? 'Paper' : 'Notebook'} ${nb} ${makeSentence(1, 3)}`, isPdf ? 'PDF' : 'NOTEBOOK'],
    )
    const n = Math.min(PAGES_PER_NOTEBOOK, pages - nb * PAGES_PER_NOTEBOOK)
    const generated = Array.from({ length: n }, () => makePage())
    const created = Array.from({ length: n }, () => new Date(start + random() * span))
    const { rows: pageRows } = await client.query<{ id: number; n: number }>(
      `insert into pages (user_id, notebook_id, notebook_uuid, uuid, ocr_text, ocr_status, created_at, updated_at, text_ready_at)
       select $1, $2, $3, $3 || '-p-' || n, t, 'completed', c, c, c from unnest($4::text[], $5::timestamptz[]) with ordinality as x(t, c, n)
       returning id, (regexp_replace(uuid, '.*-p-', ''))::int as n`,
      [userId, notebook.id, uuid, generated.map((g) => g.text), created],
    )
    pageRows.sort((a, b) => a.n - b.n)
    await client.query(`insert into notebook_pages (notebook_id, page_id, page_number) select $1, id, n from unnest($2::int[]) with ordinality as x(id, n)`, [notebook.id, pageRows.map((p) => p.id)])
    const todos = generated.flatMap((g, i) => g.todos.map((t, j) => ({ ...t, pageId: pageRows[i].id, pageNumber: i + 1, sig: `${i}_${j}`, created: created[i] })))
    if (todos.length)
      await client.query(
        `insert into todos (user_id, notebook_id, notebook_uuid, page_id, page_number, text, completed, content_hash, fuzzy_signature, confusion_key, removed_at, created_at, updated_at)
         select $1, $2, $3, p, pn, t, c, s, s, s, case when r then now() end, ca, ca from unnest($4::int[], $5::int[], $6::text[], $7::boolean[], $8::text[], $9::boolean[], $10::timestamptz[]) as x(p, pn, t, c, s, r, ca)`,
        [userId, notebook.id, uuid, todos.map((t) => t.pageId), todos.map((t) => t.pageNumber), todos.map((t) => t.text), todos.map((t) => t.completed), todos.map((t) => t.sig), todos.map((t) => t.removed), todos.map((t) => t.created)],
      )
    if (isPdf)
      await client.query(
        `insert into highlights (user_id, notebook_id, notebook_uuid, page_id, page_number, original_text, original_text_hash, source_file, color, content_hash, created_at, updated_at)
         select $1, $2, $3, p, n, t, md5(t || n), $3 || '/' || p, 'yellow', md5(t || n || 'h'), now(), now() from unnest($4::int[], $5::text[]) with ordinality as x(p, t, n)`,
        [userId, notebook.id, uuid, pageRows.map((p) => p.id), pageRows.map(() => makeSentence(8, 25))],
      )
    if ((nb + 1) % 50 === 0) process.stdout.write(`  ${tag}: ${Math.min(pages, (nb + 1) * PAGES_PER_NOTEBOOK)} pages\r`)
  }
  process.stdout.write('\n')
}

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
