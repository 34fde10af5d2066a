import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { queueCatchUp } from '../../server/sync/catchUp.ts'
import { makeRemovedContentHash } from '../../server/sync/queueSync.ts'
import { fingerprintNotebookMetadata, fingerprintPageText, fingerprintTodo } from '../../server/text/fingerprints.ts'
import { makeFuzzySignature } from '../../server/text/fuzzySignature.ts'
import { seedHighlight, seedNotebook, seedPage, seedTodo } from './seedLibrary.ts'

// Catch-up after an integration was off: every item not delivered is marked pending and each affected
// notebook gets one sync_notebook job, in the caller's transaction.

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

async function makeUser(email: string) {
  const user = await database.db.user.create({ data: { email, passwordHash: 'x' } })
  const integration = await database.db.integrationConfig.create({ data: { userId: user.id, targetName: 'notion', configEncrypted: 'gAAAAA-not-used-here', isEnabled: false } })
  return { userId: user.id, integrationId: integration.id }
}

async function readJobs() {
  const r = await database.query(`
    select t.identifier as task_identifier, j.key, j.payload
    from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id order by j.key`)
  return r.rows
}

async function readRecords(userId: number) {
  const r = await database.query(
    `select item_type, item_id, status::text as status, content_hash, page_number, page_uuid, notebook_uuid, retry_count, removed_at is not null as removed
     from sync_records where user_id = $1 order by item_type, item_id::int`,
    [userId],
  )
  return r.rows
}

const catchUp = (userId: number, target = 'notion') => database.db.$transaction((tx) => queueCatchUp(tx, userId, target))

describe('queueCatchUp', () => {
  it('marks every live page, todo, highlight and notebook pending and queues one job per notebook', async () => {
    const { userId, integrationId } = await makeUser('fresh@example.com')
    const work = await seedNotebook(database.db, userId, { name: 'Work', folderPath: 'Jobs', tags: ['b', 'a'] })
    const p1 = await seedPage(database.db, userId, work, 1, '  Meeting notes\n[ ] call Ana  ')
    await seedPage(database.db, userId, work, 2, null) // no text yet: nothing to sync
    const todo = await seedTodo(database.db, userId, work, p1, 1, 'call Ana')
    await seedTodo(database.db, userId, work, p1, 1, 'old thing', true) // removed before: not live
    const highlight = await seedHighlight(database.db, userId, work, p1, 1, 'important')
    const empty = await seedNotebook(database.db, userId, { name: 'Empty' })
    await seedNotebook(database.db, userId, { name: 'Folder', type: 'FOLDER' })
    await seedNotebook(database.db, userId, { name: 'Trashed', deleted: true })
    // Someone else's library is not touched.
    const other = await makeUser('other@example.com')
    await seedNotebook(database.db, other.userId, { name: 'Theirs' })

    const result = await catchUp(userId)
    expect(result).toEqual({ notebooks: 2, items: 5, cleanups: 0 })
    const records = await readRecords(userId)
    expect(records).toEqual([
      expect.objectContaining({ item_type: 'highlight', item_id: String(highlight.id), status: 'pending', page_number: 1, page_uuid: p1.uuid }),
      expect.objectContaining({ item_type: 'notebook_metadata', item_id: String(work.id), status: 'pending', page_number: null,
        content_hash: fingerprintNotebookMetadata({ notebookUuid: work.uuid, visibleName: 'Work', folderPath: 'Jobs', tags: ['a', 'b'] }) }),
      expect.objectContaining({ item_type: 'notebook_metadata', item_id: String(empty.id), status: 'pending' }),
      expect.objectContaining({ item_type: 'page_text', item_id: String(p1.id), status: 'pending', page_number: 1, notebook_uuid: work.uuid,
        content_hash: fingerprintPageText({ notebookUuid: work.uuid, pageNumber: 1, text: 'Meeting notes\n[ ] call Ana' }) }),
      expect.objectContaining({ item_type: 'todo', item_id: String(todo.id), status: 'pending',
        content_hash: fingerprintTodo({ fuzzySignature: makeFuzzySignature('call Ana'), notebookUuid: work.uuid, pageNumber: 1 }) }),
    ])
    const jobs = (await readJobs()).filter((j) => j.payload.integrationId === integrationId)
    expect(jobs).toEqual(
      [work, empty]
        .map((n) => ({ task_identifier: 'sync_notebook', key: `sync_notebook:${integrationId}:${n.id}`, payload: { integrationId, notebookId: n.id } }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    )
    expect(await readRecords(other.userId)).toEqual([])

    // Running again changes nothing and adds no job: the job keys collapse.
    expect(await catchUp(userId)).toEqual({ notebooks: 2, items: 5, cleanups: 0 })
    expect((await readJobs()).filter((j) => j.payload.integrationId === integrationId)).toHaveLength(2)
  })

  it('leaves delivered items alone and takes what changed, failed or went away while the integration was off', async () => {
    const { userId, integrationId } = await makeUser('back@example.com')
    const nb = await seedNotebook(database.db, userId, { name: 'Diary' })
    const quiet = await seedNotebook(database.db, userId, { name: 'Quiet' })
    const p1 = await seedPage(database.db, userId, nb, 1, 'same text')
    const p2 = await seedPage(database.db, userId, nb, 2, 'edited text')
    const gone = await seedTodo(database.db, userId, nb, p1, 1, 'was here', true)
    const failed = await seedTodo(database.db, userId, nb, p1, 1, 'try again')
    const delivered = (itemType: string, itemId: number, contentHash: string, extra: object = {}) =>
      database.db.syncRecord.create({ data: { userId, targetName: 'notion', itemType, itemId: String(itemId), contentHash, status: 'success', externalId: `ext-${itemType}-${itemId}`, ...extra } })
    await delivered('page_text', p1.id, fingerprintPageText({ notebookUuid: nb.uuid, pageNumber: 1, text: 'same text' }))
    await delivered('page_text', p2.id, fingerprintPageText({ notebookUuid: nb.uuid, pageNumber: 2, text: 'text before the edit' }))
    await delivered('todo', gone.id, fingerprintTodo({ fuzzySignature: makeFuzzySignature('was here'), notebookUuid: nb.uuid, pageNumber: 1 }), { notebookUuid: nb.uuid })
    await database.db.syncRecord.create({
      data: { userId, targetName: 'notion', itemType: 'todo', itemId: String(failed.id), contentHash: 'f'.repeat(64), status: 'failed', retryCount: 5, errorMessage: 'Notion said no' },
    })
    for (const n of [nb, quiet]) {
      const meta = await database.db.notebook.findUniqueOrThrow({ where: { id: n.id } })
      await delivered('notebook_metadata', n.id, fingerprintNotebookMetadata({ notebookUuid: n.uuid, visibleName: meta.visibleName, folderPath: meta.folderPath, tags: meta.tags }))
    }

    const result = await catchUp(userId)
    expect(result).toEqual({ notebooks: 1, items: 3, cleanups: 0 })
    const byKey = new Map((await readRecords(userId)).map((r) => [`${r.item_type}:${r.item_id}`, r]))
    expect(byKey.get(`page_text:${p1.id}`)).toMatchObject({ status: 'success' })
    expect(byKey.get(`page_text:${p2.id}`)).toMatchObject({
      status: 'pending',
      content_hash: fingerprintPageText({ notebookUuid: nb.uuid, pageNumber: 2, text: 'edited text' }),
    })
    expect(byKey.get(`todo:${failed.id}`)).toMatchObject({ status: 'pending', retry_count: 0 })
    expect(byKey.get(`todo:${gone.id}`)).toMatchObject({ status: 'pending', removed: true, content_hash: makeRemovedContentHash('todo', String(gone.id)) })
    expect(byKey.get(`notebook_metadata:${quiet.id}`)).toMatchObject({ status: 'success' })
    const jobs = (await readJobs()).filter((j) => j.payload.integrationId === integrationId)
    expect(jobs.map((j) => j.key)).toEqual([`sync_notebook:${integrationId}:${nb.id}`])
  })

  it('queues the clean-up of a notebook deleted while the integration was off', async () => {
    const { userId, integrationId } = await makeUser('cleanup@example.com')
    const uuid = '11111111-2222-3333-4444-555555555555'
    await database.db.syncRecord.create({
      data: { userId, targetName: 'notion', itemType: 'notebook_metadata', itemId: '999999', notebookUuid: uuid, contentHash: makeRemovedContentHash('notebook_metadata', '999999'), status: 'pending', removedAt: new Date(), externalId: 'page-1' },
    })
    expect(await catchUp(userId)).toEqual({ notebooks: 0, items: 0, cleanups: 1 })
    const jobs = (await readJobs()).filter((j) => j.payload.integrationId === integrationId)
    expect(jobs).toEqual([{ task_identifier: 'cleanup_notebook', key: `cleanup_notebook:${integrationId}:${uuid}`, payload: { integrationId, notebookUuid: uuid } }])
  })

  it('takes only the item types the target takes, and nothing without an integration', async () => {
    const { userId } = await makeUser('readwise@example.com')
    await database.db.integrationConfig.create({ data: { userId, targetName: 'readwise', configEncrypted: 'x' } })
    const nb = await seedNotebook(database.db, userId)
    const page = await seedPage(database.db, userId, nb, 1, 'text')
    await seedTodo(database.db, userId, nb, page, 1, 'a todo')
    const h = await seedHighlight(database.db, userId, nb, page, 1, 'a highlight')
    // Readwise: the highlight and the notebook (its book); page texts only with sendPageNotes, never todos.
    expect(await catchUp(userId, 'readwise')).toEqual({ notebooks: 1, items: 2, cleanups: 0 })
    const rows = await database.query(`select item_type, item_id from sync_records where user_id = $1 and target_name = 'readwise' order by item_type`, [userId])
    expect(rows.rows).toEqual([{ item_type: 'highlight', item_id: String(h.id) }, { item_type: 'notebook_metadata', item_id: String(nb.id) }])
    expect(await catchUp(userId, 'markdown')).toEqual({ notebooks: 0, items: 0, cleanups: 0 })
  })
})
