// What the API rate limit counts: a valid token's requests against that token, anything else
// (anonymous, made-up or revoked tokens) against the caller's address — behind TRUST_PROXY the
// address the proxy saw. Buckets that are full again are deleted, so the table does not grow with
// every key ever seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { makeToken } from '../../server/auth/tokens.ts'
import { takeToken } from '../../server/rateLimit/tokenBucket.ts'

let app: TestApp
let proxied: TestApp
let session: string
beforeAll(async () => {
  // A burst of 3, refilled about once a day: a fourth request in the test is over.
  const env = { API_RATE_LIMIT_PER_SECOND: '0.00001', API_RATE_LIMIT_BURST: '3' }
  app = await startTestApp({ env })
  proxied = await startTestApp({ env: { ...env, TRUST_PROXY: 'true' } })
  const user = await app.database.db.user.create({ data: { email: 'keys@example.com', passwordHash: 'x' } })
  session = await createSession(app.database.db, user.id)
})
afterAll(async () => {
  await app?.close()
  await proxied?.close()
})

async function ask(target: TestApp, headers: Record<string, string>) {
  const res = await fetch(`${target.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) })
  await res.text()
  return res.status
}

describe('API rate limit keys', () => {
  it('counts made-up tokens against the caller’s address, not a fresh bucket each', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push(await ask(app, { authorization: `Bearer ${makeToken('api_token')}` }))
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const rows = await app.database.query(`select count(*)::int as n from rate_limit_buckets where key like 'api:%'`)
    expect(rows.rows[0].n).toBe(0)
    // A valid token has its own bucket, whatever the address did.
    expect(await ask(app, { authorization: `Bearer ${session}` })).toBe(200)
  })

  it('behind TRUST_PROXY, keys anonymous callers on the address the proxy saw (the last hop)', async () => {
    const from = (address: string) => ask(proxied, { 'x-forwarded-for': `10.9.9.9, ${address}` })
    expect([await from('192.0.2.1'), await from('192.0.2.1'), await from('192.0.2.1'), await from('192.0.2.1')]).toEqual([200, 200, 200, 429])
    // Another client behind the same proxy is not held by the first one's requests.
    expect(await from('192.0.2.2')).toBe(200)
    // A forged first hop does not buy a fresh bucket.
    expect(await ask(proxied, { 'x-forwarded-for': `203.0.113.77, 192.0.2.1` })).toBe(429)
  })

  it('deletes buckets once they are full again, so idle keys do not stay forever', async () => {
    const db = app.database.db
    // Refilled within a microsecond: each bucket is full again (as good as absent) right after its take.
    const policy = { perSecond: 1e9, burst: 1 }
    for (let i = 0; i < 200; i++) await takeToken(db, `test:idle:${i}`, policy)
    const rows = await app.database.query(`select count(*)::int as n from rate_limit_buckets where key like 'test:idle:%'`)
    expect(rows.rows[0].n).toBeLessThan(10)
    // A bucket still refilling is kept, and keeps counting.
    const slow = { perSecond: 0.00001, burst: 1 }
    expect((await takeToken(db, 'test:busy', slow)).allowed).toBe(true)
    for (let i = 0; i < 50; i++) await takeToken(db, `test:more:${i}`, policy)
    expect((await takeToken(db, 'test:busy', slow)).allowed).toBe(false)
  })
})
