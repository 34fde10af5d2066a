/**
 * What the search index costs a write. Every page, todo and highlight write also writes its search
 * vector (a generated column, GIN-indexed) and adds its new words to the user's vocabulary
 * (search_words, by triggers), in the same transaction. This bench measures writes with the
 * vocabulary triggers disabled and enabled, on a fresh database each time:
 *   bulk   — the search bench's library loaded 100 pages per statement (with todos and highlights)
 *   single — then, one statement each in one transaction (p50/p99): W new pages inserted with their text, W pages re-read
 *            with a line more (`update pages set ocr_text`, as extract_page does), W todos inserted
 * The difference between the two runs is the vocabulary's cost.
 * Run: npm run bench:search-writes [-- pages (10000) writes (500)]
 *      (DATABASE_URL optional: throwaway databases are made on it, else on an embedded PostgreSQL)
 */
import pg from 'pg'
import { createBenchDatabase, machineLine, percentile } from './lib/benchDatabase.ts'
import { generateLibrary, makePage, makeSentence } from './lib/searchLibrary.ts'

const PAGES = Number(process.argv[2] ?? 10_000)
const WRITES = Number(process.argv[3] ?? 500)

interface Run {
  bulkSeconds: number
  pageInserts: number[]
  pageWrites: number[]
  todoWrites: number[]
  words: number
  /** Time spent inside the vocabulary trigger functions (pg_stat_user_functions), bulk then single writes. */
  triggerMs: { bulk: number; single: number }
}

/** Milliseconds this database has spent in the vocabulary trigger functions so far (track_functions). */
async function readTriggerMs(client: pg.Client): Promise<number> {
  await client.query('select pg_stat_force_next_flush()')
  await client.query('select 1') // the flush happens at the end of a transaction
  await client.query('select pg_stat_clear_snapshot()')
  const { rows: [row] } = await client.query<{ ms: number }>(`select coalesce(sum(total_time), 0)::float8 as ms from pg_stat_user_functions where funcname like 'search_words_collect%'`)
  return row.ms
}

async function measure(vocabulary: boolean): Promise<Run> {
  const database = await createBenchDatabase()
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  try {
    const { rows: triggers } = await client.query<{ table: string; name: string }>(
      `select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid where not t.tgisinternal and t.tgname like '%search_words%'`,
    )
    if (!vocabulary) for (const t of triggers) await client.query(`alter table "${t.table}" disable trigger "${t.name}"`)
    await client.query(`set track_functions = 'pl'`)
    const { rows: [user] } = await client.query<{ id: number }>(`insert into users (email, password_hash) values ('bench@example.com', 'x') returning id`)

    const bulkStart = performance.now()
    await generateLibrary(client, user.id, PAGES, 'w')
    const bulkSeconds = (performance.now() - bulkStart) / 1000
    const bulkTriggerMs = await readTriggerMs(client)
    await client.query('vacuum analyze')

    const { rows: pages } = await client.query<{ id: number; notebook_id: number; notebook_uuid: string }>(
      `select id, notebook_id, notebook_uuid from pages where user_id = $1 order by random() limit $2`, [user.id, WRITES])
    // One transaction around the single writes: what is timed is the statement, not the commit's fsync.
    await client.query('begin')
    const pageInserts: number[] = []
    for (const [i, p] of pages.entries()) {
      const text = makePage().text
      const started = performance.now()
      await client.query(`insert into pages (user_id, notebook_id, notebook_uuid, uuid, ocr_text, ocr_status) values ($1, $2, $3, $4, $5, 'completed')`,
        [user.id, p.notebook_id, p.notebook_uuid, `bench-new-${i}`, text])
      pageInserts.push(performance.now() - started)
    }
    const pageWrites: number[] = []
    for (const p of pages) {
      const line = `${makeSentence(6, 14)}.`
      const started = performance.now()
      await client.query(`update pages set ocr_text = ocr_text || E'\\n' || $2, updated_at = now() where id = $1`, [p.id, line])
      pageWrites.push(performance.now() - started)
    }
    const todoWrites: number[] = []
    for (const [i, p] of pages.entries()) {
      const text = makeSentence(3, 9)
      const started = performance.now()
      await client.query(
        `insert into todos (user_id, notebook_id, notebook_uuid, page_id, page_number, text, completed, content_hash, fuzzy_signature, confusion_key)
         values ($1, $2, $3, $4, 1, $5, false, $6, $6, $6)`, [user.id, p.notebook_id, p.notebook_uuid, p.id, text, `bench-${i}`])
      todoWrites.push(performance.now() - started)
    }
    await client.query('commit')
    const singleTriggerMs = (await readTriggerMs(client)) - bulkTriggerMs
    const { rows: [{ words }] } = await client.query<{ words: number }>(`select count(*)::int as words from search_words`)
    return { bulkSeconds, pageInserts, pageWrites, todoWrites, words, triggerMs: { bulk: bulkTriggerMs, single: singleTriggerMs } }
  } finally {
    await client.end()
    await database.close()
  }
}

function print(label: string, run: Run) {
  const ms = (v: number[]) => `p50 ${percentile(v, 50).toFixed(2)} ms  p99 ${percentile(v, 99).toFixed(2)} ms`
  console.log(`${label}:`)
  console.log(`  bulk load   ${run.bulkSeconds.toFixed(1)} s (${Math.round(PAGES / run.bulkSeconds)} pages/s, ${(run.bulkSeconds * 1000 / PAGES).toFixed(2)} ms a page with its todos and highlights)`)
  console.log(`  page insert, one a statement    ${ms(run.pageInserts)}`)
  console.log(`  page re-read with a line more   ${ms(run.pageWrites)}`)
  console.log(`  todo insert, one a statement    ${ms(run.todoWrites)}`)
  console.log(`  vocabulary words                ${run.words}`)
  console.log(`  in the vocabulary triggers      bulk ${(run.triggerMs.bulk / 1000).toFixed(1)} s (${(run.triggerMs.bulk / PAGES).toFixed(3)} ms a page), single writes ${(run.triggerMs.single / (3 * WRITES)).toFixed(3)} ms a statement`)
}

async function main() {
  console.log(`search write bench · ${machineLine()}`)
  console.log(`${PAGES} pages loaded 100 a statement, then ${WRITES} page re-reads and ${WRITES} todo inserts one a statement`)
  print('vocabulary triggers disabled (vectors only)', await measure(false))
  print('vocabulary triggers enabled', await measure(true))
  console.log(`machine after: ${machineLine()}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
