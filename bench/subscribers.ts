/**
 * Live subscribers on one server: N graphql-ws connections (default 10,000), each with one
 * `pageUpdated` subscription of the same user, then E page changes (default 5) announced as the
 * worker does (UPDATE + NOTIFY in one transaction), one at a time. Prints the server's CPU time to
 * connect them all, its RSS with them open, and per event the latency to each subscriber (from just
 * before COMMIT to the message arriving): p50 / p99 / max. The server runs in a process of its own, so
 * its CPU and memory are its alone.
 * Run: npm run bench:subscribers [-- N (10000) events (5)]
 *      (DATABASE_URL optional: a throwaway database is made on it, else on an embedded PostgreSQL)
 */
import pg from 'pg'
import WebSocket from 'ws'
import { createBenchDatabase, machineLine, percentile } from './lib/benchDatabase.ts'
import { startBenchServer } from './lib/benchServer.ts'
import { hashToken, makeToken } from '../server/auth/tokens.ts'

const N = Number(process.argv[2] ?? 10_000)
const EVENTS = Number(process.argv[3] ?? 5)
const CONNECTING_AT_ONCE = 200
const QUERY = 'subscription { pageUpdated { id uuid ocrStatus } }'

interface Subscriber {
  socket: WebSocket
  /** When the current event reached it (performance.now()), or undefined. */
  heardAt?: number
}

/** Opens a graphql-ws connection and one subscription; resolves once the server acknowledged it. */
function connect(url: string, token: string, onNext: (s: Subscriber) => void): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws')
    const s: Subscriber = { socket }
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })))
    socket.on('message', (data) => {
      const text = data.toString()
      if (text.startsWith('{"id":"1","type":"next"')) return onNext(s)
      if (text.includes('"connection_ack"')) {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }))
        resolve(s)
      } else if (text.includes('"error"') || text.includes('"complete"')) reject(new Error(text))
    })
    socket.on('error', reject)
  })
}

async function main() {
  console.log(`subscribers bench · ${machineLine()}`)
  console.log(`${N} graphql-ws connections, one \`${QUERY}\` each, one user; ${EVENTS} events`)
  const database = await createBenchDatabase()
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  const server = await startBenchServer(database.url)
  const subscribers: Subscriber[] = []
  try {
    const { rows: [user] } = await client.query<{ id: number }>(`insert into users (email, password_hash) values ('bench@example.com', 'x') returning id`)
    const token = makeToken('session')
    await client.query(`insert into sessions (user_id, token_hash, expires_at) values ($1, $2, now() + interval '1 day')`, [user.id, hashToken(token)])
    const { rows: [nb] } = await client.query<{ id: number }>(`insert into notebooks (user_id, uuid, visible_name, type, updated_at) values ($1, 'nb', 'Bench', 'NOTEBOOK', now()) returning id`, [user.id])
    const { rows: [page] } = await client.query<{ id: number }>(`insert into pages (user_id, notebook_id, notebook_uuid, uuid, updated_at) values ($1, $2, 'nb', 'page', now()) returning id`, [user.id, nb.id])

    let pending = 0
    let allHeard: () => void = () => {}
    const onNext = (s: Subscriber) => {
      if (s.heardAt !== undefined) return
      s.heardAt = performance.now()
      if (--pending === 0) allHeard()
    }
    const wsUrl = server.url.replace('http', 'ws') + '/graphql'
    // Warm-up: a few subscribers and one event, so the first connections do not pay for loading code.
    const warm = await Promise.all(Array.from({ length: 10 }, () => connect(wsUrl, token, () => {})))
    for (const s of warm) s.socket.close()
    await new Promise((r) => setTimeout(r, 500))

    const stopProfile = await server.profile('subscribers-connect')
    const before = await server.stats()
    const connectStarted = performance.now()
    for (let i = 0; i < N; i += CONNECTING_AT_ONCE)
      subscribers.push(...(await Promise.all(Array.from({ length: Math.min(CONNECTING_AT_ONCE, N - i) }, () => connect(wsUrl, token, onNext)))))
    // Acknowledged is not yet subscribed: wait until the server holds them all.
    let stats = await server.stats()
    while (stats.subscriptions < N) {
      await new Promise((r) => setTimeout(r, 100))
      stats = await server.stats()
    }
    const connectSeconds = (performance.now() - connectStarted) / 1000
    await stopProfile()
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`
    console.log(`connect: ${N} subscribed in ${connectSeconds.toFixed(1)} s wall · server CPU ${((stats.cpuMs - before.cpuMs) / 1000).toFixed(2)} s (${((stats.cpuMs - before.cpuMs) * 1000 / N).toFixed(0)} µs each)`)
    console.log(`memory with ${N} open: server RSS ${mb(stats.rssBytes)} (before connecting ${mb(before.rssBytes)}), heap used ${mb(stats.heapUsedBytes)}`)

    const all: number[] = []
    for (let e = 0; e < EVENTS; e++) {
      for (const s of subscribers) s.heardAt = undefined
      pending = subscribers.length
      const heard = new Promise<void>((r) => (allHeard = r))
      const stopEventProfile = e === EVENTS - 1 ? await server.profile('subscribers-event') : async () => {}
      const cpuBefore = (await server.stats()).cpuMs
      await client.query('begin')
      await client.query(`update pages set ocr_status = $1, updated_at = now() where id = $2`, [e % 2 ? 'completed' : 'processing', page.id])
      await client.query(`select pg_notify('rmirror_events', $1)`, [JSON.stringify([{ kind: 'page', userId: user.id, id: page.id }])])
      const sent = performance.now()
      await client.query('commit')
      const timeout = setTimeout(() => allHeard(), 30_000)
      await heard
      clearTimeout(timeout)
      const latencies = subscribers.map((s) => (s.heardAt ?? Infinity) - sent)
      const missing = latencies.filter((l) => l === Infinity).length
      all.push(...latencies)
      const cpu = (await server.stats()).cpuMs - cpuBefore
      await stopEventProfile()
      console.log(`event ${e + 1}: to ${N - missing}/${N} · p50 ${percentile(latencies, 50).toFixed(0)} ms · p99 ${percentile(latencies, 99).toFixed(0)} ms · max ${Math.max(...latencies.filter(Number.isFinite)).toFixed(0)} ms · server CPU ${cpu.toFixed(0)} ms`)
      await new Promise((r) => setTimeout(r, 300))
    }
    console.log(`all events: p50 ${percentile(all, 50).toFixed(0)} ms · p99 ${percentile(all, 99).toFixed(0)} ms`)
  } finally {
    for (const s of subscribers) s.socket.terminate()
    await server.stop()
    await client.end()
    await database.close()
  }
}

await main()
