// One event, many subscribers: the row is read once, and each distinct operation is resolved once for
// all the subscribers that asked it, its reads batched — a thousand subscribers selecting todos and
// their sync records cost a handful of SQL statements per event, not one (or more) per subscriber.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import pg from 'pg'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'

const SUBSCRIBERS = 1000
const CONNECTIONS = 10

let app: TestApp
let token: string
let userId: number
let todoId: number
let recordId: number
let notebookGlobalId: string
const statements: string[] = []
const clients: Client[] = []

beforeAll(async () => {
  app = await startTestApp({
    db: { onQuery: (sql) => void statements.push(sql) },
    // 1,000 subscriptions of one session: the per-token and per-connection socket limits are lifted.
    env: { WS_SUBSCRIPTIONS_PER_TOKEN: '100000', WS_OPERATIONS_PER_SECOND: '100000', WS_OPERATION_BURST: '100000' },
  })
  const db = app.database.db
  const user = await db.user.create({ data: { email: 'fanout@example.com', passwordHash: 'x' } })
  userId = user.id
  token = await createSession(db, user.id)
  const nb = await db.notebook.create({ data: { userId, uuid: 'nb-fan', visibleName: 'Fan', type: 'NOTEBOOK' } })
  notebookGlobalId = encodeGlobalID('Notebook', nb.id)
  const page = await db.page.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, uuid: 'page-fan', ocrStatus: 'completed' } })
  const todo = await db.todo.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, text: 'call back', contentHash: 'tf', fuzzySignature: 'call_back', confusionKey: 'call_back' } })
  todoId = todo.id
  recordId = (await db.syncRecord.create({ data: { userId, itemType: 'todo', itemId: String(todo.id), contentHash: 'c', targetName: 'notion', status: 'pending', notebookUuid: nb.uuid } })).id
})
afterAll(async () => {
  for (const c of clients) await c.dispose()
  await app?.close()
})

// What a dashboard and an agent ask, in a few shapes: with and without the notebook filter, and the
// records themselves with their item.
const OPERATIONS = [
  { query: 'subscription { todoUpdated { text completed syncRecords { target status } } }' },
  { query: 'subscription($nb: ID) { todoUpdated(notebookId: $nb) { text syncRecords { status errorMessage } } }', variables: () => ({ nb: notebookGlobalId }) },
  { query: 'subscription { syncRecordUpdated { status target item { ... on Todo { text completed } } } }' },
  { query: 'subscription($nb: ID) { syncRecordUpdated(notebookId: $nb) { status } }', variables: () => ({ nb: notebookGlobalId }) },
]

/** Another process's change, as the worker makes it: in its own transaction, then the id announced. */
async function announce(sql: string, params: unknown[], event: object) {
  const c = new pg.Client({ connectionString: app.database.url })
  await c.connect()
  await c.query('begin')
  await c.query(sql, params)
  await c.query(`select pg_notify('rmirror_events', $1)`, [JSON.stringify([event])])
  await c.query('commit')
  await c.end()
}

async function waitUntil(check: () => boolean, ms = 30_000) {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
}

describe('fan-out of one event to a thousand subscribers', () => {
  const received: unknown[][] = OPERATIONS.map(() => [])
  const heard = new Set<number>()

  beforeAll(async () => {
    for (let c = 0; c < CONNECTIONS; c++) {
      const client = createClient({ url: app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 0 })
      clients.push(client)
      for (let i = 0; i < SUBSCRIBERS / CONNECTIONS; i++) {
        const k = (c * SUBSCRIBERS) / CONNECTIONS + i
        const op = OPERATIONS[k % OPERATIONS.length]
        client.subscribe({ query: op.query, variables: op.variables?.() }, { next: (v) => void (heard.add(k), received[k % OPERATIONS.length].push(v)), error: (e) => void received[k % OPERATIONS.length].push({ error: e }), complete: () => {} })
      }
    }
    // A subscription is live some time after it was sent, with no signal to wait on: a record's change
    // is announced until every subscriber has heard one.
    for (let i = 0; i < 30 && heard.size < SUBSCRIBERS; i++) {
      await announce(`update sync_records set updated_at = now() where id = $1`, [recordId], { kind: 'sync_record', userId, id: recordId })
      await waitUntil(() => heard.size === SUBSCRIBERS, 1000)
    }
    expect(heard.size).toBe(SUBSCRIBERS)
    // The last announcements may still be arriving: wait until nothing moves.
    for (let before = -1; before !== total(); ) {
      before = total()
      await new Promise((r) => setTimeout(r, 400))
    }
  }, 60_000)

  const total = () => received.reduce((n, r) => n + r.length, 0)

  it('a ticked todo reaches every todo subscriber, in a few SQL statements', async () => {
    for (const r of received) r.length = 0
    statements.length = 0
    await announce('update todos set completed = true where id = $1', [todoId], { kind: 'todo', userId, id: todoId })
    await waitUntil(() => total() >= SUBSCRIBERS / 2)
    await new Promise((r) => setTimeout(r, 300))
    expect(received[0]).toHaveLength(SUBSCRIBERS / 4)
    expect(received[1]).toHaveLength(SUBSCRIBERS / 4)
    expect(received[0][0]).toEqual({ data: { todoUpdated: { text: 'call back', completed: true, syncRecords: [{ target: 'NOTION', status: 'pending' }] } } })
    expect(received[1][0]).toEqual({ data: { todoUpdated: { text: 'call back', syncRecords: [{ status: 'pending', errorMessage: null }] } } })
    expect(received[2]).toEqual([])
    console.log(`${statements.length} SQL statements for one event to ${SUBSCRIBERS} subscribers`)
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(5)
  }, 60_000)

  it('a sync record changing status reaches every subscriber, in at most five SQL statements', async () => {
    for (const r of received) r.length = 0
    statements.length = 0
    await announce(`update sync_records set status = 'success', updated_at = now() where id = $1`, [recordId], { kind: 'sync_record', userId, id: recordId })
    await waitUntil(() => total() >= SUBSCRIBERS)
    await new Promise((r) => setTimeout(r, 300))
    for (const r of received) expect(r).toHaveLength(SUBSCRIBERS / 4)
    expect(received[0][0]).toEqual({ data: { todoUpdated: { text: 'call back', completed: true, syncRecords: [{ target: 'NOTION', status: 'success' }] } } })
    expect(received[2][0]).toEqual({ data: { syncRecordUpdated: { status: 'success', target: 'NOTION', item: { text: 'call back', completed: true } } } })
    expect(received[3][0]).toEqual({ data: { syncRecordUpdated: { status: 'success' } } })
    console.log(`${statements.length} SQL statements for one event to ${SUBSCRIBERS} subscribers`)
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(5)
  }, 60_000)
})
