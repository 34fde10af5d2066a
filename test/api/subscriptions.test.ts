// Live status: a change announced by any process (NOTIFY, ids only) reaches the owner's subscribers
// over graphql-ws and SSE, never another user's; revoking the token ends its subscriptions.
import { waitUntil as waitUntilFor } from '../helpers/waitUntil.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import pg from 'pg'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { hashToken, makeToken } from '../../server/auth/tokens.ts'
import { notifyEvents } from '../../server/events/appEvent.ts'

let app: TestApp
let tokenA: string
let tokenB: string
let userA: number
let pageId: number
const clients: Client[] = []

beforeAll(async () => {
  app = await startTestApp()
  const db = app.database.db
  const a = await db.user.create({ data: { email: 'live-a@example.com', passwordHash: 'x' } })
  const b = await db.user.create({ data: { email: 'live-b@example.com', passwordHash: 'x' } })
  userA = a.id
  tokenA = await createSession(db, a.id)
  tokenB = await createSession(db, b.id)
  const nb = await db.notebook.create({ data: { userId: a.id, uuid: 'nb', visibleName: 'Live', type: 'NOTEBOOK' } })
  pageId = (await db.page.create({ data: { userId: a.id, notebookId: nb.id, notebookUuid: 'nb', uuid: 'pg' } })).id
})
afterAll(async () => {
  for (const c of clients) await c.dispose()
  await app?.close()
})

function wsClient(token: string): Client {
  const client = createClient({ url: app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 0 })
  clients.push(client)
  return client
}

function collect(client: Client, query: string) {
  const received: any[] = []
  let completed = false
  let error: unknown
  const ready = new Promise<void>((resolve) => setTimeout(resolve, 300))
  client.subscribe({ query }, { next: (v) => void received.push(v), error: (e) => ((error = e), (completed = true)), complete: () => (completed = true) })
  return { received, ready, isCompleted: () => completed, error: () => error }
}

/** Another process announces a change, as the worker does: its own connection, inside a transaction. */
async function announceFromAnotherProcess(change: string) {
  const c = new pg.Client({ connectionString: app.database.url })
  await c.connect()
  await c.query('begin')
  await c.query(`update pages set ocr_status = $1 where id = $2`, [change, pageId])
  await c.query(`select pg_notify('rmirror_events', $1)`, [JSON.stringify([{ kind: 'page', userId: userA, id: pageId }])])
  await c.query('commit')
  await c.end()
}

const waitUntil = (check: () => boolean, ms = 5000) => waitUntilFor(check, ms)

/**
 * A subscription is live some time after the client sent it, with no signal a test can wait on: the
 * change is announced again until it arrives, so a loaded machine makes the test slower, never wrong.
 */
async function announceUntil(change: string, arrived: () => boolean) {
  for (let i = 0; i < 20 && !arrived(); i++) {
    await announceFromAnotherProcess(change)
    await waitUntil(arrived, 500)
  }
}

describe('subscriptions', () => {
  it('delivers a page change announced by another process to its owner over graphql-ws, not to others', async () => {
    const mine = collect(wsClient(tokenA), 'subscription { pageUpdated { uuid ocrStatus } }')
    const theirs = collect(wsClient(tokenB), 'subscription { pageUpdated { uuid ocrStatus } }')
    await Promise.all([mine.ready, theirs.ready])
    await announceUntil('processing', () => mine.received.length > 0)
    expect(mine.received.length).toBeGreaterThan(0)
    for (const r of mine.received) expect(r).toEqual({ data: { pageUpdated: { uuid: 'pg', ocrStatus: 'processing' } } })
    await new Promise((r) => setTimeout(r, 200))
    expect(theirs.received).toEqual([])
  })

  it('delivers over SSE too', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${tokenA}` },
      body: JSON.stringify({ query: 'subscription { pageUpdated { ocrStatus } }' }),
    })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    let text = ''
    let ended = false
    const reading = (async () => {
      while (!text.includes('"completed"')) {
        const { value, done } = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
      }
      ended = true
    })()
    await announceUntil('completed', () => ended)
    await reader.cancel()
    await reading
    expect(text).toContain('{"data":{"pageUpdated":{"ocrStatus":"completed"}}}')
  })

  it('refuses anonymous subscribers', async () => {
    const anon = createClient({ url: app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 })
    clients.push(anon)
    const r = collect(anon, 'subscription { pageUpdated { uuid } }')
    await waitUntil(() => r.isCompleted() || r.received.length > 0)
    expect(JSON.stringify(r.received.length ? r.received : r.error())).toContain('NOT_AUTHENTICATED')
  })

  it('ends a subscription the moment its API token is revoked', async () => {
    const token = makeToken('api_token')
    const row = await app.database.db.apiToken.create({ data: { userId: userA, name: 'live', scopes: ['read'], tokenHash: hashToken(token), prefix: token.slice(0, 8) } })
    const sub = collect(wsClient(token), 'subscription { pageUpdated { uuid } }')
    await sub.ready
    expect(sub.isCompleted()).toBe(false)
    await app.database.db.$transaction(async (tx) => {
      await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } })
      await notifyEvents(tx, [{ kind: 'token_revoked', tokenHash: row.tokenHash }])
    })
    await waitUntil(() => sub.isCompleted())
    expect(sub.isCompleted()).toBe(true)
    await announceFromAnotherProcess('failed')
    await new Promise((r) => setTimeout(r, 200))
    expect(sub.received).toEqual([])
  })
})
