// What one request may ask: depth, aliases, cost and body size are bounded; API tokens are rate
// limited across server processes (HTTP 429 + Retry-After + RATE_LIMITED); unexpected errors are masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { buildApp } from '../../server/app.ts'
import { makeTestConfig, quietLogger } from '../helpers/config.ts'
import { startEventHub } from '../../server/events/listener.ts'

let app: TestApp
let token: string
beforeAll(async () => {
  app = await startTestApp()
  const user = await app.database.db.user.create({ data: { email: 'limits@example.com', passwordHash: 'x' } })
  token = await createSession(app.database.db, user.id)
})
afterAll(async () => {
  await app?.close()
})

async function post(body: unknown, headers: Record<string, string> = {}, base = app.url) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, headers: res.headers, json: (await res.json()) as any }
}

describe('query limits', () => {
  it('refuses queries nested deeper than 12 levels', async () => {
    const deep = `{ viewer { notebooks { edges { node { pages { edges { node { notebook { todos { edges { node { page { notebook { id } } } } } } } } } } } } } }`
    const r = await post({ query: deep })
    expect(r.json.errors[0].extensions.code).toBe('QUERY_TOO_DEEP')
  })

  it('refuses more than 30 aliases', async () => {
    const many = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`
    const r = await post({ query: many })
    expect(r.json.errors[0].extensions.code).toBe('TOO_MANY_ALIASES')
    const ok = await post({ query: `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }` })
    expect(ok.json.errors).toBeUndefined()
  })

  it('refuses queries whose estimated cost multiplies out too far', async () => {
    const costly = `query($n: Int) { viewer { notebooks(first: $n) { edges { node { pages(first: 500) { edges { node { todos { id text } } } } } } } } }`
    const r = await post({ query: costly, variables: { n: 500 } })
    expect(r.json.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY')
    const fine = await post({ query: costly, variables: { n: 2 } })
    expect(fine.json.errors, JSON.stringify(fine.json)).toBeUndefined()
  })

  it('refuses oversized bodies before reading them (413), and bodies without a length (411)', async () => {
    const big = JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(1024 * 1024) } })
    const r = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big })
    expect(r.status).toBe(413)
    expect(((await r.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE')
    const chunked = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('{"query":"{viewer{id}}"}')), c.close()) }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(411)
  })

  it('masks unexpected errors: a generic message to the client, nothing internal', async () => {
    // A database error inside a resolver: the connection string, SQL and stack stay in the log.
    await app.database.query('alter table notebooks rename to notebooks_gone')
    try {
      const r = await post({ query: '{ viewer { notebooks(first: 1) { totalCount } } }' })
      const text = JSON.stringify(r.json)
      expect(r.json.errors[0].message).toBe('Unexpected error.')
      expect(text).not.toMatch(/notebooks_gone|relation|postgres|at .*\.ts/)
    } finally {
      await app.database.query('alter table notebooks_gone rename to notebooks')
    }
  })
})

describe('API rate limit', () => {
  it('answers 429 with Retry-After and RATE_LIMITED once a token’s burst is spent, across server processes', async () => {
    // Two servers on one database share each token's bucket (5/s, burst 5).
    const env = { API_RATE_LIMIT_PER_SECOND: '0.5', API_RATE_LIMIT_BURST: '5' }
    const config = makeTestConfig({ ...env, SERVE_WEB: 'false' })
    const servers = []
    for (let i = 0; i < 2; i++) {
      const events = startEventHub(app.database.url, app.database.db, quietLogger)
      const running = await buildApp({ ...app.services, config, events }).start()
      servers.push({ running, events })
    }
    const user = await app.database.db.user.create({ data: { email: 'limits-burst@example.com', passwordHash: 'x' } })
    const [first, second] = [await createSession(app.database.db, user.id), await createSession(app.database.db, user.id)]
    try {
      const statuses: number[] = []
      let limited: Awaited<ReturnType<typeof post>> | undefined
      for (let i = 0; i < 8; i++) {
        const r = await post({ query: '{ viewer { id } }' }, { authorization: `Bearer ${first}` }, servers[i % 2].running.url)
        statuses.push(r.status)
        if (r.status === 429) limited ??= r
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
      expect(statuses.slice(5)).toEqual([429, 429, 429])
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(limited!.json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' })
      // Another token is not affected.
      const other = await post({ query: '{ viewer { id } }' }, { authorization: `Bearer ${second}` }, servers[0].running.url)
      expect(other.status).toBe(200)
    } finally {
      for (const s of servers) {
        await s.running.stop()
        await s.events.stop()
      }
    }
  })
})
