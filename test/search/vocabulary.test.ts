// The search vocabulary (search_words, each user's words for OCR-variant matching) is kept by
// statement-level triggers: a statement writing many rows adds their words in one go, and an update
// adds only the words its new text brings, all in the writing transaction.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'

let database: TestDatabase
let client: pg.Client
let userId: number
let otherId: number
let notebookId: number

beforeAll(async () => {
  database = await createTestDatabase()
  client = new pg.Client({ connectionString: database.url })
  await client.connect()
  const users = await client.query<{ id: number }>(`insert into users (email, password_hash) values ('v@example.com', 'x'), ('w@example.com', 'x') returning id`)
  ;[userId, otherId] = users.rows.map((r) => r.id)
  const nb = await client.query<{ id: number }>(`insert into notebooks (user_id, uuid, visible_name, type, updated_at) values ($1, 'nb', 'Field notes', 'NOTEBOOK', now()) returning id`, [userId])
  notebookId = nb.rows[0].id
})
afterAll(async () => {
  await client?.end()
  await database?.drop()
})

async function wordsOf(user: number): Promise<string[]> {
  const { rows } = await client.query<{ word: string }>(`select word from search_words where user_id = $1 order by word`, [user])
  return rows.map((r) => r.word)
}

/** Runs `write` in a transaction with function statistics on: the vocabulary triggers' calls in it. */
async function countTriggerCalls(write: () => Promise<unknown>): Promise<number> {
  await client.query('begin')
  try {
    await client.query(`set local track_functions = 'pl'`)
    // Counts not yet flushed to the statistics carry over from earlier transactions: take the difference.
    const read = async () => (await client.query<{ calls: number }>(`
      select coalesce(sum(pg_stat_get_xact_function_calls(p.oid)), 0)::int as calls
      from pg_proc p where p.proname like 'search_words_collect%'`)).rows[0].calls
    const before = await read()
    await write()
    const calls = (await read()) - before
    await client.query('commit')
    return calls
  } catch (err) {
    await client.query('rollback')
    throw err
  }
}

describe('search vocabulary', () => {
  it('adds the words of every row a statement writes, with one trigger call for the statement', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `Walrus census number${i} near the fjord`)
    const calls = await countTriggerCalls(() =>
      client.query(
        `insert into pages (user_id, notebook_id, notebook_uuid, uuid, ocr_text, ocr_status)
         select $1, $2, 'nb', 'p' || n, t, 'completed' from unnest($3::text[]) with ordinality as x(t, n)`,
        [userId, notebookId, texts],
      ),
    )
    expect(calls).toBe(1)
    const words = await wordsOf(userId)
    expect(words).toEqual(expect.arrayContaining(['walrus', 'census', 'near', 'the', 'fjord', 'number0', 'number39']))
    // Lowercase words as written, three letters or more, each once; nothing for another user.
    expect(words).not.toContain('Walrus')
    expect(new Set(words).size).toBe(words.length)
    expect(await wordsOf(otherId)).toEqual([])
  })

  it('adds what a re-read brings, nothing for an update that leaves the text alone, and keeps words that left the text', async () => {
    const { rows: [page] } = await client.query<{ id: number }>(`select id from pages where uuid = 'p1'`)
    const before = await wordsOf(userId)
    await client.query(`update pages set ocr_status = 'completed', updated_at = now() where id = $1`, [page.id])
    await client.query(`update pages set ocr_text = ocr_text where id = $1`, [page.id])
    expect(await wordsOf(userId)).toEqual(before)

    await client.query(`update pages set ocr_text = 'Walrus census near the glacier' where id = $1`, [page.id])
    const after = await wordsOf(userId)
    expect(after.filter((w) => !before.includes(w))).toEqual(['glacier'])
    expect(after).toContain('number0') // never removed: a stale word only widens a query to nothing
  })

  it('keeps todos and highlights, inserted and edited, in the same vocabulary', async () => {
    const { rows: [page] } = await client.query<{ id: number }>(`select id from pages where uuid = 'p2'`)
    const calls = await countTriggerCalls(async () => {
      await client.query(
        `insert into todos (user_id, notebook_id, notebook_uuid, page_id, page_number, text, completed, content_hash, fuzzy_signature, confusion_key)
         values ($1, $2, 'nb', $3, 2, 'Order crampons', false, 'a', 'a', 'a'), ($1, $2, 'nb', $3, 2, 'Pack the thermos', false, 'b', 'b', 'b')`,
        [userId, notebookId, page.id],
      )
      await client.query(
        `insert into highlights (user_id, notebook_id, notebook_uuid, page_id, page_number, original_text, original_text_hash, source_file, color, content_hash)
         values ($1, $2, 'nb', $3, 2, 'the auroral oval', 'h', 'f', 'yellow', 'h')`,
        [userId, notebookId, page.id],
      )
    })
    expect(calls).toBe(2)
    await client.query(`update todos set completed = true where text = 'Order crampons'`)
    await client.query(`update highlights set corrected_text = 'the aurora oval' where original_text = 'the auroral oval'`)
    expect(await wordsOf(userId)).toEqual(expect.arrayContaining(['order', 'crampons', 'pack', 'thermos', 'auroral', 'aurora', 'oval']))
  })

  it('compares words byte by byte (a vocabulary needs no linguistic order)', async () => {
    const { rows: [row] } = await client.query<{ collation: string }>(`
      select coalesce(c.collname, 'default') as collation from pg_attribute a left join pg_collation c on c.oid = a.attcollation
      where a.attrelid = 'search_words'::regclass and a.attname = 'word'`)
    expect(row.collation).toBe('C')
  })
})
