// graphql-ws has limits like HTTP's: messages of at most 1 MB, so many operations per connection per
// second, so many open subscriptions per token, and a connection without a valid token is closed
// after a short window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createSession } from '../../server/auth/sessions.ts'

let app: TestApp
let token: string
const clients: Client[] = []
const sockets: WebSocket[] = []

beforeAll(async () => {
  app = await startTestApp({
    env: { WS_OPERATIONS_PER_SECOND: '0.00001', WS_OPERATION_BURST: '5', WS_SUBSCRIPTIONS_PER_TOKEN: '2', WS_UNAUTHENTICATED_WINDOW_MS: '300' },
  })
  const user = await app.database.db.user.create({ data: { email: 'ws-limits@example.com', passwordHash: 'x' } })
  token = await createSession(app.database.db, user.id)
})
afterAll(async () => {
  for (const c of clients) await c.dispose()
  for (const s of sockets) s.terminate()
  await app?.close()
})

const wsUrl = () => app.url.replace('http', 'ws') + '/graphql'

/** A raw graphql-transport-ws connection: init sent with `params`, acknowledged. */
async function openSocket(params: Record<string, unknown>) {
  const socket = new WebSocket(wsUrl(), 'graphql-transport-ws')
  sockets.push(socket)
  const messages: any[] = []
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())))
  await new Promise((resolve) => socket.once('open', resolve))
  socket.send(JSON.stringify({ type: 'connection_init', payload: params }))
  while (!messages.some((m) => m.type === 'connection_ack')) await new Promise((r) => setTimeout(r, 10))
  return { socket, messages, closed }
}

function client(): Client {
  const c = createClient({ url: wsUrl(), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 0 })
  clients.push(c)
  return c
}

function subscribe(c: Client, query: string) {
  const events: any[] = []
  let resolveEnd!: () => void
  const ended = new Promise<void>((r) => (resolveEnd = r))
  const stop = c.subscribe({ query }, { next: (v) => void events.push(v), error: (e) => (events.push({ error: e }), resolveEnd()), complete: () => resolveEnd() })
  return { events, ended, stop }
}

describe('graphql-ws limits', () => {
  it('closes a connection that sends a message over 1 MB, unread (1009)', async () => {
    const { socket, closed } = await openSocket({ authorization: `Bearer ${token}` })
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ __typename }', variables: { pad: 'x'.repeat(1024 * 1024 + 1) } } }))
    expect((await closed).code).toBe(1009)
  })

  it('answers operations over the per-connection rate RATE_LIMITED, without running them', async () => {
    const { socket, messages } = await openSocket({ authorization: `Bearer ${token}` })
    for (let i = 1; i <= 8; i++) socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: '{ __typename }' } }))
    const answered = () => new Set(messages.filter((m) => m.type === 'next' || m.type === 'error').map((m) => m.id)).size
    while (answered() < 8) await new Promise((r) => setTimeout(r, 10))
    const results = messages.filter((m) => m.type === 'next').map((m) => m.id)
    const refused = messages.filter((m) => m.type === 'error')
    expect(results).toHaveLength(5)
    expect(refused).toHaveLength(3)
    for (const r of refused) expect(r.payload[0].extensions.code).toBe('RATE_LIMITED')
  })

  it('refuses a token’s subscriptions over the limit, and takes one again once another ends', async () => {
    const c = client()
    const first = subscribe(c, 'subscription { pageUpdated { id } }')
    const second = subscribe(c, 'subscription { todoUpdated { id } }')
    const third = subscribe(c, 'subscription { highlightUpdated { id } }')
    await third.ended
    expect(JSON.stringify(third.events)).toContain('RATE_LIMITED')
    // The limit is per token: another connection with the same token is refused too.
    const other = subscribe(client(), 'subscription { pageUpdated { id } }')
    await other.ended
    expect(JSON.stringify(other.events)).toContain('RATE_LIMITED')
    first.stop()
    await first.ended
    const fourth = subscribe(c, 'subscription { notebookUpdated { id } }')
    // Accepted: it stays open (a refusal ends at once). A query on the same connection proves the
    // server has handled the subscribe before it.
    await new Promise<void>((resolve, reject) => c.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve }))
    expect(fourth.events).toEqual([])
    second.stop()
    fourth.stop()
  })

  it('closes a connection without a valid token after the window, and keeps one with a token', async () => {
    const authenticated = await openSocket({ authorization: `Bearer ${token}` })
    const anonymous = await openSocket({})
    const madeUp = await openSocket({ authorization: 'Bearer rmt_madeup' })
    expect((await anonymous.closed).code).toBe(4401)
    expect((await madeUp.closed).code).toBe(4401)
    // Opened first, still open after the others were closed.
    expect(authenticated.socket.readyState).toBe(WebSocket.OPEN)
  })
})
