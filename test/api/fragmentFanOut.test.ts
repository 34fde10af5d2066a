// Fragment fan-out (issue 15): a chain of fragments each spreading the next twice is measured once
// per fragment, so a 933-byte query that once froze the server for seconds is refused at once,
// over POST, GET and WebSocket alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from 'graphql-ws'
import WebSocket from 'ws'
import { parse } from 'graphql'
import { schema } from '../../server/schema/index.ts'
import { measureOperations } from '../../server/http/queryLimits.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'

/** `{ viewer { ...F0 } }` with F0 spreading F1 twice, F1 spreading F2 twice … F(levels-1) { id }. */
function fragmentChain(levels: number): string {
  let query = '{ viewer { ...F0 } }\n'
  for (let i = 0; i < levels - 1; i++) query += `fragment F${i} on Viewer { ...F${i + 1} ...F${i + 1} }\n`
  return query + `fragment F${levels - 1} on Viewer { id }\n`
}

describe('measuring fragments', () => {
  it('walks each fragment once however often it is spread', () => {
    const [measure] = measureOperations(schema, parse(fragmentChain(22)), undefined, {})
    // Old code walked 2^22 spreads; each fragment holds two selections here.
    expect(measure.selectionsWalked).toBeLessThanOrEqual(2 * 22 + 1)
    expect(measure.cost).toBe(2 ** 21 + 1)
    expect(measure.depth).toBe(2)
  })

  it('still counts a fragment’s cost, depth and aliases at every use', () => {
    const query = `{ viewer { a: notebooks(first: 10) { edges { node { ...N } } } b: notebooks(first: 10) { edges { node { ...N } } } } }
      fragment N on Notebook { x: id pages(first: 7) { edges { node { id } } } }`
    const [measure] = measureOperations(schema, parse(query), undefined, {})
    // Per use: notebooks 1 + edges 10 + node 10 + (x 10 + pages 10 + edges 70 + node 70 + id 70).
    expect(measure.cost).toBe(1 + 2 * (1 + 10 + 10 + 10 + 10 + 70 + 70 + 70))
    expect(measure.aliases).toBe(4)
    expect(measure.depth).toBe(8)
  })
})

describe('the fan-out query over every transport', () => {
  let app: TestApp
  let token: string
  // 40 levels: 2^40 spreads for the old walk, which would never answer.
  const query = fragmentChain(40)
  beforeAll(async () => {
    app = await startTestApp()
    const user = await app.database.db.user.create({ data: { email: 'fanout@example.com', passwordHash: 'x' } })
    token = await createSession(app.database.db, user.id)
  })
  afterAll(async () => {
    await app?.close()
  })

  it('is refused as too costly over POST', async () => {
    const res = await app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
    const json = (await res.json()) as any
    expect(json.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY')
  })

  it('is refused as too costly over GET', async () => {
    const res = await app.fetch(`/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json' } })
    const json = (await res.json()) as any
    expect(json.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY')
  })

  it('is refused as too costly over WebSocket', async () => {
    const client = createClient({ url: app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 })
    try {
      const errors = await new Promise<any[]>((resolve, reject) => {
        client.subscribe({ query }, { next: (v) => resolve((v.errors ?? []) as any[]), error: (e) => resolve(Array.isArray(e) ? e : [e]), complete: () => reject(new Error('completed without an answer')) })
      })
      expect(errors[0].extensions?.code).toBe('QUERY_TOO_COSTLY')
    } finally {
      await client.dispose()
    }
  })
})
