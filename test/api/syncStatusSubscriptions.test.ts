// A live badge needs no join: when an item's sync record changes status (the worker writes it and
// announces the record's id), pageUpdated / todoUpdated / highlightUpdated deliver the item with its
// current syncRecords, notebookUpdated delivers its notebook, and syncRecordUpdated the record — each
// narrowed by the notebook's global id, `notebookId`, on every per-notebook subscription.
import { waitUntil as waitUntilFor } from '../helpers/waitUntil.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import pg from 'pg'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'

let app: TestApp
let token: string
let userId: number
const ids: Record<string, number> = {}
const clients: Client[] = []

beforeAll(async () => {
  app = await startTestApp()
  const db = app.database.db
  const user = await db.user.create({ data: { email: 'badges@example.com', passwordHash: 'x' } })
  userId = user.id
  token = await createSession(db, user.id)
  for (const name of ['a', 'b']) {
    const nb = await db.notebook.create({ data: { userId, uuid: `nb-${name}`, visibleName: `Notebook ${name}`, type: 'NOTEBOOK' } })
    const page = await db.page.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, uuid: `page-${name}`, ocrStatus: 'completed' } })
    const todo = await db.todo.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, text: `todo ${name}`, contentHash: `t${name}`, fuzzySignature: `todo_${name}`, confusionKey: `todo_${name}` } })
    const hl = await db.highlight.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, originalText: `passage ${name}`, originalTextHash: `h${name}`, sourceFile: `${nb.uuid}/${page.uuid}`, color: 'yellow', contentHash: `hc${name}` } })
    const records = await Promise.all(
      ([['page_text', page.id], ['todo', todo.id], ['highlight', hl.id]] as const).map(([itemType, itemId]) =>
        db.syncRecord.create({ data: { userId, itemType, itemId: String(itemId), contentHash: `${itemType}-${name}`, targetName: 'notion', status: 'pending', notebookUuid: nb.uuid } }),
      ),
    )
    Object.assign(ids, { [`nb_${name}`]: nb.id, [`page_${name}`]: page.id, [`todo_${name}`]: todo.id, [`pageRecord_${name}`]: records[0].id, [`todoRecord_${name}`]: records[1].id, [`highlightRecord_${name}`]: records[2].id })
  }
})
afterAll(async () => {
  for (const c of clients) await c.dispose()
  await app?.close()
})

function subscribe(query: string) {
  const client = createClient({ url: app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 0 })
  clients.push(client)
  const received: any[] = []
  client.subscribe({ query }, { next: (v) => void received.push(v), error: (e) => void received.push({ error: e }), complete: () => {} })
  return received
}

/** The worker's way: the record changes in its own transaction, then its id is announced. */
async function setRecordStatus(recordId: number, status: string, errorMessage: string | null) {
  const c = new pg.Client({ connectionString: app.database.url })
  await c.connect()
  await c.query('begin')
  await c.query(`update sync_records set status = $1::text::"SyncStatus", error_message = $2, synced_at = case when $1::text = 'success' then now() else synced_at end, updated_at = now() where id = $3`, [status, errorMessage, recordId])
  await c.query(`select pg_notify('rmirror_events', $1)`, [JSON.stringify([{ kind: 'sync_record', userId, id: recordId }])])
  await c.query('commit')
  await c.end()
}

const waitUntil = (check: () => boolean, ms = 500) => waitUntilFor(check, ms)

/** A subscription is live some time after it is sent, with no signal to wait on: announce again until it arrives. */
async function announceUntil(recordId: number, status: string, errorMessage: string | null, arrived: () => boolean) {
  for (let i = 0; i < 20 && !arrived(); i++) {
    await setRecordStatus(recordId, status, errorMessage)
    await waitUntil(arrived)
  }
  expect(arrived(), `no event after ${status}`).toBe(true)
}

const last = (events: any[], field: string) => events.at(-1)?.data?.[field]

describe('subscriptions follow sync status', () => {
  it('pageUpdated delivers the page each time its sync record changes status, with its current syncRecords', async () => {
    const events = subscribe(`subscription { pageUpdated(notebookId: "${encodeGlobalID('Notebook', ids.nb_a)}") { uuid syncRecords { target status errorMessage syncedAt } } }`)
    const everyPage = subscribe('subscription { pageUpdated { uuid } }')
    await announceUntil(ids.pageRecord_a, 'success', null, () => last(events, 'pageUpdated')?.syncRecords[0].status === 'success')
    expect(last(events, 'pageUpdated')).toEqual({ uuid: 'page-a', syncRecords: [{ target: 'NOTION', status: 'success', errorMessage: null, syncedAt: expect.any(String) }] })
    // And again: each event reads the state as it is now, not as the subscription first saw it.
    await announceUntil(ids.pageRecord_a, 'failed', 'Notion refused the section', () => last(events, 'pageUpdated')?.syncRecords[0].status === 'failed')
    expect(last(events, 'pageUpdated').syncRecords[0]).toMatchObject({ status: 'failed', errorMessage: 'Notion refused the section' })
    // Notebook b's page reaches a subscriber to every page, not one to notebook a.
    await announceUntil(ids.pageRecord_b, 'success', null, () => everyPage.some((e) => e.data?.pageUpdated.uuid === 'page-b'))
    expect(events.map((e) => e.data?.pageUpdated.uuid)).not.toContain('page-b')
    expect(events.every((e) => !e.error)).toBe(true)
  })

  it('todoUpdated and highlightUpdated do the same for todos and highlights', async () => {
    const todos = subscribe(`subscription { todoUpdated(notebookId: "${encodeGlobalID('Notebook', ids.nb_a)}") { text syncRecords { target status } } }`)
    const highlights = subscribe(`subscription { highlightUpdated(notebookId: "${encodeGlobalID('Notebook', ids.nb_a)}") { text syncRecords { status } } }`)
    await announceUntil(ids.todoRecord_a, 'retry', 'Notion answered 502', () => last(todos, 'todoUpdated')?.syncRecords[0].status === 'retry')
    expect(last(todos, 'todoUpdated')).toEqual({ text: 'todo a', syncRecords: [{ target: 'NOTION', status: 'retry' }] })
    await announceUntil(ids.highlightRecord_a, 'success', null, () => last(highlights, 'highlightUpdated')?.syncRecords[0].status === 'success')
    expect(last(highlights, 'highlightUpdated')).toEqual({ text: 'passage a', syncRecords: [{ status: 'success' }] })
  })

  it('notebookUpdated(notebookId) fires when one of the notebook’s sync records changes, and only for that notebook', async () => {
    const a = subscribe(`subscription { notebookUpdated(notebookId: "${encodeGlobalID('Notebook', ids.nb_a)}") { visibleName } }`)
    const b = subscribe(`subscription { notebookUpdated(notebookId: "${encodeGlobalID('Notebook', ids.nb_b)}") { visibleName } }`)
    await announceUntil(ids.todoRecord_a, 'success', null, () => a.length > 0)
    expect(a.at(-1)).toEqual({ data: { notebookUpdated: { visibleName: 'Notebook a' } } })
    expect(b).toEqual([])
  })

  it('syncRecordUpdated(notebookId) delivers the records of that notebook only', async () => {
    const a = subscribe(`subscription { syncRecordUpdated(notebookId: "${encodeGlobalID('Notebook', ids.nb_a)}") { target status item { __typename ... on Todo { text } } } }`)
    const every = subscribe('subscription { syncRecordUpdated { notebookUuid } }')
    await announceUntil(ids.todoRecord_b, 'failed', 'x', () => every.length > 0)
    expect(a).toEqual([])
    await announceUntil(ids.todoRecord_a, 'pending', null, () => a.length > 0)
    expect(a.at(-1)).toEqual({ data: { syncRecordUpdated: { target: 'NOTION', status: 'pending', item: { __typename: 'Todo', text: 'todo a' } } } })
  })
})
