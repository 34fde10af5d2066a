// A subscription lives no longer than the right that opened it: a token revoked while the server's
// LISTEN connection was down (its notice lost) ends its subscriptions once the connection is back, and
// a session's subscriptions end when the session expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import pg from 'pg'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { hashToken, makeToken } from '../../server/auth/tokens.ts'

let app: TestApp
let userId: number
let pageId: number
const clients: Client[] = []

beforeAll(async () => {
  app = await startTestApp()
  const db = app.database.db
  userId = (await db.user.create({ data: { email: 'rights@example.com', passwordHash: 'x' } })).id
  const nb = await db.notebook.create({ data: { userId, uuid: 'nb', visibleName: 'Rights', type: 'NOTEBOOK' } })
  pageId = (await db.page.create({ data: { userId, notebookId: nb.id, notebookUuid: 'nb', uuid: 'pg' } })).id
})
afterAll(async () => {
  for (const c of clients) await c.dispose()
  await app?.close()
})

function subscribe(token: string) {
  const client = createClient({ url: app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 0 })
  clients.push(client)
  const sub = { received: [] as unknown[], completed: false }
  client.subscribe({ query: 'subscription { pageUpdated { uuid } }' }, { next: (v) => void sub.received.push(v), error: () => (sub.completed = true), complete: () => (sub.completed = true) })
  return sub
}

async function waitUntil(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
}

async function announcePageChange() {
  const c = new pg.Client({ connectionString: app.database.url })
  await c.connect()
  await c.query(`select pg_notify('rmirror_events', $1)`, [JSON.stringify([{ kind: 'page', userId, id: pageId }])])
  await c.end()
}

/** Live: a page change reaches each of them (announced until it does; a subscription has no other signal). */
async function untilLive(...subs: { received: unknown[] }[]) {
  for (let i = 0; i < 30 && subs.some((s) => s.received.length === 0); i++) {
    await announcePageChange()
    await waitUntil(() => subs.every((s) => s.received.length > 0), 500)
  }
  expect(subs.every((s) => s.received.length > 0)).toBe(true)
}

async function makeApiToken(name: string) {
  const token = makeToken('api_token')
  const row = await app.database.db.apiToken.create({ data: { userId, name, scopes: ['read'], tokenHash: hashToken(token), prefix: token.slice(0, 8) } })
  return { token, row }
}

describe('subscriptions end with their right', () => {
  it('a token revoked while the event listener was reconnecting loses its subscription once it is back', async () => {
    const revoked = await makeApiToken('revoked in the gap')
    const kept = await makeApiToken('kept')
    const doomed = subscribe(revoked.token)
    const staying = subscribe(kept.token)
    await untilLive(doomed, staying)

    // The revocation's notice is lost: it is written with nobody listening (as while the server's
    // LISTEN connection is down), then the listener's connection is cut and made again.
    await app.database.db.apiToken.update({ where: { id: revoked.row.id }, data: { revokedAt: new Date() } })
    // (The listener's connection last ran its LISTEN or its keep-alive.)
    const { rowCount } = await app.database.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and (query ilike 'listen %' or query = 'select now() as now')`)
    expect(rowCount).toBe(1)

    await waitUntil(() => doomed.completed)
    expect(doomed.completed).toBe(true)
    // The listener is back, and the other token's subscription still hears changes.
    staying.received.length = 0
    await untilLive(staying)
    expect(staying.completed).toBe(false)
  }, 60_000)

  it("a session's subscriptions end when the session expires", async () => {
    const token = makeToken('session')
    const expiresAt = new Date(Date.now() + 3000)
    await app.database.db.session.create({ data: { userId, tokenHash: hashToken(token), expiresAt } })
    const expiring = subscribe(token)
    const lasting = subscribe(await createSession(app.database.db, userId))
    await untilLive(expiring, lasting)
    expect(expiring.completed).toBe(false)

    await waitUntil(() => expiring.completed)
    expect(expiring.completed).toBe(true)
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime())
    expect(lasting.completed).toBe(false)
  }, 60_000)
})
