// A todo's life through reconcileNotebook, on real PostgreSQL with a connected integration: re-reads
// that change only case, punctuation or OCR-confusable letters keep the todo; ticks and edits re-sync;
// a vanished line removes it; a todo on two pages lives on the lowest; an unchanged re-read is silent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { reconcileNotebook } from '../../server/extraction/reconcileNotebook.ts'
import { queueSync, makeRemovedContentHash, makeSyncJobKey, type SyncItemChange } from '../../server/sync/queueSync.ts'
import { fingerprintTodo } from '../../server/text/fingerprints.ts'
import { lockLibrary } from '../../server/lockLibrary.ts'

let app: TestApp
let user: TestUser
let integrationId: number
const notebookIds = new Map<string, number>()

const db = () => app.database.db

async function setNotebook(uuid: string, pageUuids: string[]): Promise<number> {
  const r = await syncNotebookMetadata(db(), user.id, [{ uuid, visibleName: uuid, type: 'NOTEBOOK', pageUuids }])
  notebookIds.set(uuid, r.notebooks[0].id)
  return r.notebooks[0].id
}

/** Page texts as extraction writes them: stored, reconciled and queued in one transaction. */
async function setTexts(notebookUuid: string, texts: Record<string, string>): Promise<SyncItemChange[]> {
  const notebookId = notebookIds.get(notebookUuid)!
  return db().$transaction(async (tx) => {
    await lockLibrary(tx, user.id)
    for (const [uuid, text] of Object.entries(texts)) {
      await tx.page.updateMany({ where: { notebookId, uuid }, data: { ocrText: text, ocrStatus: 'completed', textReadyAt: new Date() } })
    }
    const reconciled = await reconcileNotebook(tx, user.id, notebookId)
    await queueSync(tx, user.id, notebookId, reconciled.changes)
    await tx.$executeRaw`set constraints all immediate`
    return reconciled.changes
  })
}

/** As if the sync ran a while ago: every record delivered, no job waiting. */
async function markAllSynced() {
  const earlier = new Date(Date.now() - 60_000)
  await db().syncRecord.updateMany({ where: { userId: user.id }, data: { status: 'success', syncedAt: earlier, updatedAt: earlier } })
  await app.database.query(`delete from graphile_worker._private_jobs`)
}

async function syncJobKeys(): Promise<string[]> {
  const r = await app.database.query(`select j.key from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'sync_notebook' order by j.key`)
  return r.rows.map((x) => x.key)
}

const todosOf = (notebookUuid: string) => db().todo.findMany({ where: { notebookId: notebookIds.get(notebookUuid) }, orderBy: { id: 'asc' } })
const todoRecord = (todoId: number) => db().syncRecord.findUniqueOrThrow({ where: { userId_targetName_itemType_itemId: { userId: user.id, targetName: 'notion', itemType: 'todo', itemId: String(todoId) } } })
const pendingTodoIds = async () => (await db().syncRecord.findMany({ where: { userId: user.id, itemType: 'todo', status: 'pending' }, orderBy: { id: 'asc' } })).map((r) => Number(r.itemId))
const changedTodoIds = (changes: SyncItemChange[]) => changes.filter((c) => c.itemType === 'todo').map((c) => Number(c.itemId)).sort((a, b) => a - b)
const pageId = async (notebookUuid: string, uuid: string) => (await db().page.findFirstOrThrow({ where: { notebookId: notebookIds.get(notebookUuid), uuid } })).id

beforeAll(async () => {
  app = await startTestApp()
  user = await createTestUser(db(), 'todos@example.com')
  integrationId = (await db().integrationConfig.create({ data: { userId: user.id, targetName: 'notion', configEncrypted: 'not-read-here', isEnabled: true } })).id
})
afterAll(async () => {
  await app?.close()
})

describe('todo lifecycle through reconcileNotebook', () => {
  it('a re-read with other case and punctuation updates the same todo and queues it again', async () => {
    const nb = await setNotebook('nb-case', ['p1'])
    await setTexts('nb-case', { p1: 'Notes\n- [ ] Review chapter 3' })
    const [first] = await todosOf('nb-case')
    expect(first).toMatchObject({ text: 'Review chapter 3', fuzzySignature: '3_chapter_review', completed: false, pageNumber: 1, removedAt: null })
    await markAllSynced()
    const before = await todoRecord(first.id)
    expect(before.status).toBe('success')

    const changes = await setTexts('nb-case', { p1: 'Notes\n- [ ] review Chapter 3.' })
    const todos = await todosOf('nb-case')
    expect(todos).toHaveLength(1)
    expect(todos[0]).toMatchObject({ id: first.id, text: 'review Chapter 3.', fuzzySignature: '3_chapter_review', contentHash: first.contentHash })
    expect(changedTodoIds(changes)).toEqual([first.id])
    const after = await todoRecord(first.id)
    expect(after).toMatchObject({ id: before.id, status: 'pending', contentHash: first.contentHash })
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime())
    expect(await syncJobKeys()).toEqual([makeSyncJobKey(integrationId, nb)])
  })

  it('OCR confusions (rn/m, cl/d, l/1/I, O/0) keep the same todo id', async () => {
    await setNotebook('nb-ocr', ['p1'])
    const clean = ['Call Mom', 'Read docs', 'File taxes', 'Email Bill', 'Book Oslo trip']
    const misread = ['Call Morn', 'Read clocs', 'Fi1e taxes', 'Email BiII', 'Book 0slo trip']
    await setTexts('nb-ocr', { p1: clean.map((t) => `- [ ] ${t}`).join('\n') })
    const before = await todosOf('nb-ocr')
    expect(before.map((t) => t.text)).toEqual(clean)
    await markAllSynced()

    const changes = await setTexts('nb-ocr', { p1: misread.map((t) => `- [ ] ${t}`).join('\n') })
    const after = await todosOf('nb-ocr')
    expect(after.map((t) => [t.id, t.text, t.removedAt])).toEqual(before.map((t, i) => [t.id, misread[i], null]))
    expect(after.map((t) => t.fuzzySignature)).toEqual(['call_morn', 'clocs_read', 'fi1e_taxes', 'biii_email', '0slo_book_trip'])
    // The fingerprint follows the signature, so each record is queued with its new one.
    expect(changedTodoIds(changes)).toEqual(before.map((t) => t.id))
    for (const t of after) {
      expect(await todoRecord(t.id)).toMatchObject({ status: 'pending', contentHash: fingerprintTodo({ fuzzySignature: t.fuzzySignature, notebookUuid: 'nb-ocr', pageNumber: 1 }) })
    }
    // And back: still the same todos.
    await setTexts('nb-ocr', { p1: clean.map((t) => `- [ ] ${t}`).join('\n') })
    expect((await todosOf('nb-ocr')).map((t) => [t.id, t.text])).toEqual(before.map((t) => [t.id, t.text]))
  })

  it('a todo that disappears is removed, its record marked removed; when it comes back it is the same todo', async () => {
    await setNotebook('nb-gone', ['p1'])
    await setTexts('nb-gone', { p1: '- [ ] Stays\n- [ ] Goes away' })
    const [stays, goes] = await todosOf('nb-gone')
    await markAllSynced()

    const changes = await setTexts('nb-gone', { p1: '- [ ] Stays' })
    expect(changedTodoIds(changes)).toEqual([goes.id])
    const gone = await db().todo.findUniqueOrThrow({ where: { id: goes.id } })
    expect(gone.removedAt).toBeInstanceOf(Date)
    expect(await todoRecord(goes.id)).toMatchObject({ status: 'pending', removedAt: expect.any(Date), contentHash: makeRemovedContentHash('todo', String(goes.id)) })
    expect(await todoRecord(stays.id)).toMatchObject({ status: 'success', removedAt: null })
    expect((await db().todo.findUniqueOrThrow({ where: { id: stays.id } })).removedAt).toBeNull()

    await markAllSynced()
    await setTexts('nb-gone', { p1: '- [ ] Stays\n- [ ] Goes away' })
    expect(await db().todo.findUniqueOrThrow({ where: { id: goes.id } })).toMatchObject({ removedAt: null, contentHash: goes.contentHash })
    expect(await todoRecord(goes.id)).toMatchObject({ status: 'pending', removedAt: null, contentHash: goes.contentHash })
    expect(await db().todo.count({ where: { notebookId: notebookIds.get('nb-gone') } })).toBe(2)
  })

  it('a todo ticked on the tablet becomes completed and re-syncs; unticked, it re-syncs again', async () => {
    const nb = await setNotebook('nb-tick', ['p1'])
    await setTexts('nb-tick', { p1: '- [ ] Send the report\n- [ ] Book the room' })
    const [report, room] = await todosOf('nb-tick')
    await markAllSynced()

    await setTexts('nb-tick', { p1: '- [x] Send the report\n- [ ] Book the room' })
    expect(await db().todo.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({ completed: true, contentHash: report.contentHash })
    expect(await todoRecord(report.id)).toMatchObject({ status: 'pending', contentHash: report.contentHash })
    expect(await todoRecord(room.id)).toMatchObject({ status: 'success' })
    expect(await syncJobKeys()).toEqual([makeSyncJobKey(integrationId, nb)])

    await markAllSynced()
    await setTexts('nb-tick', { p1: '- [ ] Send the report\n- [ ] Book the room' })
    expect(await db().todo.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({ completed: false })
    expect(await pendingTodoIds()).toEqual([report.id])
  })

  it('an edited todo re-syncs: a punctuation edit keeps the todo, a changed word replaces it', async () => {
    await setNotebook('nb-edit', ['p1'])
    await setTexts('nb-edit', { p1: '- [ ] Buy milk' })
    const [milk] = await todosOf('nb-edit')
    await markAllSynced()

    await setTexts('nb-edit', { p1: '- [ ] Buy milk!' })
    expect(await todosOf('nb-edit')).toEqual([expect.objectContaining({ id: milk.id, text: 'Buy milk!', removedAt: null })])
    expect(await pendingTodoIds()).toEqual([milk.id])

    await markAllSynced()
    await setTexts('nb-edit', { p1: '- [ ] Buy oat milk' })
    const [old, replacement] = await todosOf('nb-edit')
    expect(old).toMatchObject({ id: milk.id, text: 'Buy milk!', removedAt: expect.any(Date) })
    expect(replacement).toMatchObject({ text: 'Buy oat milk', fuzzySignature: 'buy_milk_oat', removedAt: null })
    expect(await pendingTodoIds()).toEqual([milk.id, replacement.id])
    expect(await todoRecord(milk.id)).toMatchObject({ removedAt: expect.any(Date) })
  })

  it('the same todo on two pages is one todo, living on the lowest page number', async () => {
    await setNotebook('nb-two', ['p1', 'p2', 'p3'])
    await setTexts('nb-two', { p1: 'Monday\n- [ ] Water plants', p2: 'Nothing to do', p3: 'Friday\n- [x] water plants' })
    const p1 = await pageId('nb-two', 'p1')
    const p3 = await pageId('nb-two', 'p3')
    let todos = await todosOf('nb-two')
    // One todo, on page 1; done only when every copy is ticked.
    expect(todos).toEqual([expect.objectContaining({ text: 'Water plants', pageId: p1, pageNumber: 1, completed: false })])
    const id = todos[0].id
    expect(await todoRecord(id)).toMatchObject({ pageNumber: 1, pageUuid: 'p1', contentHash: fingerprintTodo({ fuzzySignature: 'plants_water', notebookUuid: 'nb-two', pageNumber: 1 }) })
    await markAllSynced()

    // The notebook reordered on the tablet: page 3 comes first, so the todo moves there.
    await setNotebook('nb-two', ['p3', 'p1', 'p2'])
    todos = await todosOf('nb-two')
    expect(todos).toEqual([expect.objectContaining({ id, text: 'water plants', pageId: p3, pageNumber: 1 })])
    expect(await todoRecord(id)).toMatchObject({ status: 'pending', pageUuid: 'p3', pageNumber: 1 })
    await markAllSynced()

    // Gone from page 3 (now page 1): it lives on page 1 (now page 2), same id, new fingerprint.
    await setTexts('nb-two', { p3: 'Friday' })
    todos = await todosOf('nb-two')
    expect(todos).toEqual([expect.objectContaining({ id, text: 'Water plants', pageId: p1, pageNumber: 2, removedAt: null })])
    expect(await todoRecord(id)).toMatchObject({ status: 'pending', pageUuid: 'p1', pageNumber: 2, contentHash: fingerprintTodo({ fuzzySignature: 'plants_water', notebookUuid: 'nb-two', pageNumber: 2 }) })
  })

  it('an unchanged re-extraction changes and queues nothing', async () => {
    await setNotebook('nb-same', ['p1', 'p2'])
    const texts = { p1: '# Plan\n- [ ] One\n- [x] Two', p2: '- [ ] Three\n- [ ] one' }
    await setTexts('nb-same', texts)
    await markAllSynced()
    const records = await db().syncRecord.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } })
    const todos = await db().todo.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } })

    const changes = await setTexts('nb-same', texts)
    expect(changes).toEqual([])
    expect(await db().syncRecord.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } })).toEqual(records)
    expect(await db().todo.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } })).toEqual(todos)
    expect(await syncJobKeys()).toEqual([])
  })

  it('German, French and emoji todo lines become todos with Unicode fuzzy signatures', async () => {
    await setNotebook('nb-intl', ['p1', 'p2'])
    const lines = [
      '- [ ] Rechnungen zählen',
      '- [ ] Straße fegen',
      '- [ ] Écrire à Zoé',
      '- [x] Préparer le dîner',
      '- [ ] 🛒 Einkaufen gehen',
      '☐ 🎉 Fête planen!',
      '- [ ] 🎉🎉', // no letter: not a todo
    ]
    // Page 2 repeats one line in decomposed form (e + U+0301): the same todo after NFC.
    await setTexts('nb-intl', { p1: lines.join('\n'), p2: '- [ ] E\u0301crire a\u0300 Zoe\u0301' })
    const todos = await todosOf('nb-intl')
    expect(todos.map((t) => [t.text, t.fuzzySignature, t.completed, t.pageNumber])).toEqual([
      ['Rechnungen zählen', 'rechnungen_zählen', false, 1],
      ['Straße fegen', 'fegen_straße', false, 1],
      ['Écrire à Zoé', 'zoé_à_écrire', false, 1],
      ['Préparer le dîner', 'dîner_le_préparer', true, 1],
      ['🛒 Einkaufen gehen', 'einkaufen_gehen', false, 1],
      ['🎉 Fête planen!', 'fête_planen', false, 1],
    ])
    // Accents are not confusions: "zählen" and "zahlen" stay two todos.
    await setTexts('nb-intl', { p1: [...lines, '- [ ] Rechnungen zahlen'].join('\n') })
    const withZahlen = await todosOf('nb-intl')
    expect(withZahlen.map((t) => t.fuzzySignature)).toContain('rechnungen_zahlen')
    expect(withZahlen.filter((t) => t.removedAt === null)).toHaveLength(7)
  })

  it('PostgreSQL refuses a second todo with the same fuzzy signature in a notebook, not in another', async () => {
    const [todo] = await todosOf('nb-intl')
    const insert = (notebookId: number, notebookUuid: string) =>
      app.database.query(
        `insert into todos (user_id, notebook_id, notebook_uuid, text, content_hash, fuzzy_signature, confusion_key, updated_at) values ($1, $2, $3, 'zählen Rechnungen', 'x', $4, 'k', now())`,
        [user.id, notebookId, notebookUuid, todo.fuzzySignature],
      )
    await expect(insert(notebookIds.get('nb-intl')!, 'nb-intl')).rejects.toMatchObject({ code: '23505', constraint: 'unique_fuzzy_todo' })
    const other = await setNotebook('nb-intl-2', ['p1'])
    await expect(insert(other, 'nb-intl-2')).resolves.toMatchObject({ rowCount: 1 })
  })
})
