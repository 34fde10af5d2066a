// Each constraint of the data model holds in PostgreSQL itself, whatever the code above it does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'

let t: TestDatabase
let userA: number
let userB: number
let notebook: number
let pages: number[] = []

beforeAll(async () => {
  t = await createTestDatabase()
  userA = (await t.db.user.create({ data: { email: 'a@example.com', passwordHash: 'x' } })).id
  userB = (await t.db.user.create({ data: { email: 'b@example.com', passwordHash: 'x' } })).id
  notebook = (await t.db.notebook.create({ data: { userId: userA, uuid: 'nb-1', visibleName: 'One', type: 'NOTEBOOK' } })).id
  for (let i = 1; i <= 3; i++) {
    const p = await t.db.page.create({ data: { userId: userA, notebookId: notebook, notebookUuid: 'nb-1', uuid: `p-${i}` } })
    pages.push(p.id)
    await t.db.notebookPage.create({ data: { notebookId: notebook, pageId: p.id, pageNumber: i } })
  }
})
afterAll(async () => {
  await t?.drop()
})

const violation = (code: string) => expect.objectContaining({ code })

async function sqlError(sql: string, params: unknown[] = []): Promise<{ code: string; constraint?: string }> {
  try {
    await t.query(sql, params)
  } catch (err: any) {
    return { code: err.code, constraint: err.constraint }
  }
  throw new Error(`expected a constraint violation from: ${sql}`)
}

describe('constraints', () => {
  it('users: unique, lowercase email', async () => {
    expect(await sqlError(`insert into users (email, password_hash) values ('a@example.com', 'x')`)).toEqual(violation('23505'))
    expect(await sqlError(`insert into users (email, password_hash) values ('Upper@example.com', 'x')`)).toMatchObject({ code: '23514', constraint: 'users_email_lowercase_check' })
  })

  it('notebooks: one per user and uuid; another user may hold the same uuid', async () => {
    expect(await sqlError(`insert into notebooks (user_id, uuid, visible_name, type, updated_at) values ($1, 'nb-1', 'dup', 'NOTEBOOK', now())`, [userA])).toEqual(violation('23505'))
    await t.query(`insert into notebooks (user_id, uuid, visible_name, type, updated_at) values ($1, 'nb-1', 'B''s', 'NOTEBOOK', now())`, [userB])
  })

  it('pages: one per notebook and uuid; file hashes are sha256 hex', async () => {
    expect(await sqlError(`insert into pages (user_id, notebook_id, notebook_uuid, uuid, updated_at) values ($1, $2, 'nb-1', 'p-1', now())`, [userA, notebook])).toEqual(violation('23505'))
    expect(await sqlError(`update pages set file_sha256 = 'not-a-hash' where id = $1`, [pages[0]])).toMatchObject({ code: '23514' })
  })

  it('page order: page numbers unique per notebook at commit, so a whole re-order in one transaction works', async () => {
    // Reverse the order: every intermediate state has duplicates, the committed one has none.
    await t.db.$transaction(async (tx) => {
      for (const [i, pageId] of pages.entries()) await tx.notebookPage.update({ where: { pageId }, data: { pageNumber: pages.length - i } })
    })
    const order = await t.query('select page_id from notebook_pages where notebook_id = $1 order by page_number', [notebook])
    expect(order.rows.map((r) => r.page_id)).toEqual([...pages].reverse())
    // A duplicate that survives to commit is refused at COMMIT (plain SQL: Prisma's adapter leaks the
    // connection when COMMIT itself fails, so our code checks with SET CONSTRAINTS ALL IMMEDIATE first).
    expect(
      await sqlError(`begin; update notebook_pages set page_number = 1 where page_id = ${pages[0]}; update notebook_pages set page_number = 1 where page_id = ${pages[1]}; commit;`),
    ).toMatchObject({ code: '23505', constraint: 'notebook_pages_notebook_id_page_number_key' })
    await t.query('rollback').catch(() => {})
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.notebookPage.update({ where: { pageId: pages[0] }, data: { pageNumber: 1 } })
        await tx.notebookPage.update({ where: { pageId: pages[1] }, data: { pageNumber: 1 } })
        await tx.$executeRaw`set constraints all immediate`
      }),
    ).rejects.toThrow()
    expect(await sqlError(`update notebook_pages set page_number = 0 where page_id = $1`, [pages[0]])).toMatchObject({ code: '23514' })
    expect(await sqlError(`insert into notebook_pages (notebook_id, page_id, page_number) values ($1, $2, 9)`, [notebook, pages[0]])).toEqual(violation('23505'))
  })

  it('todos: fuzzy_signature NOT NULL and non-empty, UNIQUE(fuzzy_signature, notebook_uuid, user_id)', async () => {
    const insert = `insert into todos (user_id, notebook_id, notebook_uuid, text, content_hash, fuzzy_signature, confusion_key, updated_at) values ($1, $2, $3, 'Review chapter 3', 'h', $4, 'k', now())`
    await t.query(insert, [userA, notebook, 'nb-1', '3_chapter_review'])
    expect(await sqlError(insert, [userA, notebook, 'nb-1', '3_chapter_review'])).toMatchObject({ code: '23505', constraint: 'unique_fuzzy_todo' })
    expect(await sqlError(insert, [userA, notebook, 'nb-1', null])).toMatchObject({ code: '23502' })
    expect(await sqlError(insert, [userA, notebook, 'nb-1', ''])).toMatchObject({ code: '23514' })
    // Same signature in another notebook, or for another user, is another todo.
    await t.query(insert, [userA, notebook, 'nb-2', '3_chapter_review'])
  })

  it('highlights: one per page file and text', async () => {
    const insert = `insert into highlights (user_id, notebook_id, notebook_uuid, original_text, original_text_hash, source_file, color, content_hash, updated_at) values ($1, $2, 'nb-1', 'Some passage', 'th', 'nb-1/p-1', 'yellow', $3, now())`
    await t.query(insert, [userA, notebook, 'c1'])
    expect(await sqlError(insert, [userA, notebook, 'c2'])).toEqual(violation('23505'))
  })

  it('sync_records: one row per (user, target, item), the seed’s unique content hash, known item types, and the five indexes', async () => {
    const insert = `insert into sync_records (user_id, item_type, item_id, content_hash, target_name, status, updated_at) values ($1, $2, $3, $4, 'notion', 'pending', now())`
    await t.query(insert, [userA, 'page_text', '1', 'hash-1'])
    expect(await sqlError(insert, [userA, 'page_text', '1', 'hash-2'])).toMatchObject({ code: '23505', constraint: 'unique_item_target' })
    expect(await sqlError(insert, [userA, 'todo', '9', 'hash-1'])).toMatchObject({ code: '23505', constraint: 'unique_content_target' })
    expect(await sqlError(insert, [userA, 'comment', '2', 'hash-3'])).toMatchObject({ code: '23514', constraint: 'sync_records_item_type_check' })
    expect(await sqlError(`insert into sync_records (user_id, item_type, item_id, content_hash, target_name, status, updated_at) values ($1, 'todo', '5', 'h5', 'notion', 'done', now())`, [userA])).toMatchObject({ code: '22P02' })
    await t.query(insert, [userB, 'page_text', '1', 'hash-1']) // another user: no clash
    const indexes = await t.query(`select indexname from pg_indexes where tablename = 'sync_records'`)
    expect(indexes.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['idx_sync_user', 'idx_sync_status', 'idx_sync_item', 'idx_sync_notebook_page', 'idx_sync_page_uuid', 'unique_item_target', 'unique_content_target']),
    )
  })

  it('integration_configs: one per user and target, credentials only encrypted', async () => {
    const insert = `insert into integration_configs (user_id, target_name, config_encrypted, updated_at) values ($1, 'notion', 'gAAAA', now())`
    await t.query(insert, [userA])
    expect(await sqlError(insert, [userA])).toMatchObject({ code: '23505', constraint: 'unique_user_target' })
    const cols = await t.query(`select column_name from information_schema.columns where table_name = 'integration_configs'`)
    expect(cols.rows.map((r) => r.column_name)).not.toContain('config')
  })

  it('quota_usage: one per user and type, never negative', async () => {
    const insert = `insert into quota_usage (user_id, quota_type, used, "limit", updated_at) values ($1, 'ocr_pages', $2, 30, now())`
    await t.query(insert, [userA, 0])
    expect(await sqlError(insert, [userA, 0])).toEqual(violation('23505'))
    expect(await sqlError(`update quota_usage set used = -1 where user_id = $1`, [userA])).toMatchObject({ code: '23514' })
  })

  it('api tokens: known scopes only, at least one', async () => {
    const insert = `insert into api_tokens (user_id, name, token_hash, prefix, scopes) values ($1, 'x', $2, 'rmc_', $3)`
    expect(await sqlError(insert, [userA, 'h1', ['admin']])).toMatchObject({ code: '23514' })
    expect(await sqlError(insert, [userA, 'h2', []])).toMatchObject({ code: '23514' })
    await t.query(insert, [userA, 'h3', ['agent', 'read']])
  })

  it('deleting a user removes everything of theirs', async () => {
    await t.query('delete from users where id = $1', [userA])
    for (const table of ['notebooks', 'pages', 'notebook_pages', 'todos', 'highlights', 'sync_records', 'integration_configs', 'quota_usage', 'api_tokens']) {
      const r = await t.query(`select count(*)::int as n from ${table} where ${table === 'notebook_pages' ? 'notebook_id' : 'user_id'} = $1`, [table === 'notebook_pages' ? notebook : userA])
      expect(r.rows[0].n, table).toBe(0)
    }
  })
})
