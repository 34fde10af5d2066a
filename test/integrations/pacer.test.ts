import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '@notionhq/client'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { makeDb, type Db } from '../../server/db.ts'
import { hashNotionToken, makeNotionPacer, NotionPacerWaitError } from '../../server/notion/pacer.ts'
import { makeNotionClient } from '../../server/notion/notionClient.ts'

// One pacer per Notion token, shared through PostgreSQL: two pacer instances over two connection
// pools stand for two processes. Judged by the strict Notion fake, which answers 429 above its own
// bucket (3 requests/s) and records every request sent before a Retry-After it gave had passed.

let database: TestDatabase
let dbA: Db
let dbB: Db
let notion: NotionFake | undefined

beforeAll(async () => {
  database = await createTestDatabase()
  dbA = makeDb(database.url, { poolSize: 3 })
  dbB = makeDb(database.url, { poolSize: 3 })
})
afterAll(async () => {
  await dbA?.$disconnect()
  await dbB?.$disconnect()
  await database?.drop()
})
afterEach(async () => {
  await notion?.close()
  notion = undefined
})

function makeTwoProcessClients(fake: NotionFake, token: string) {
  const pace = { requestsPerSecond: 3, burst: 3 }
  return [
    makeNotionClient({ token, baseUrl: fake.url, pacer: makeNotionPacer(dbA, pace) }),
    makeNotionClient({ token, baseUrl: fake.url, pacer: makeNotionPacer(dbB, pace) }),
  ]
}

describe('Notion pacer shared through PostgreSQL', () => {
  it('keeps 30 concurrent requests from two processes within Notion’s rate: no 429, no early retry', async () => {
    // The fake: 3/s with "some bursts" (10, its default). Two unshared pacers (3/s + burst 3 each)
    // would send 6/s and overrun it within 2 s; one shared pacer never does. Its bucket starts at the
    // token's first request, so a warm-up with another token keeps that first request from being a
    // slow, cold one (a late first request shifts the fake's clock against ours).
    notion = await startNotionFake({ rateLimit: { requestsPerSecond: 3, burst: 10 } })
    const warmUp = notion.addIntegration({ name: 'Warm-up' })
    await Promise.all(makeTwoProcessClients(notion, warmUp.token).map((c) => c.users.me({})))
    notion.reset()
    const { token } = notion.addIntegration({ name: 'Shared token' })
    const [a, b] = makeTwoProcessClients(notion, token)
    const calls = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).users.me({}))
    await Promise.all(calls)
    expect(notion.stats()).toMatchObject({ requests: 30, rateLimited: 0, retryAfterViolations: 0, byStatus: { 200: 30 } })
    // The bucket is keyed by a hash of the token; the token itself is nowhere in the table.
    const rows = await database.query(`select key from rate_limit_buckets where key like 'notion:%'`)
    expect(rows.rows).toContainEqual({ key: `notion:${hashNotionToken(token)}` })
    for (const r of rows.rows) expect(r.key).toMatch(/^notion:[0-9a-f]{64}$/)
    expect(JSON.stringify((await database.query('select * from rate_limit_buckets')).rows)).not.toContain(token)
  })

  it('(control) the same 30 requests unpaced are refused by the fake', async () => {
    notion = await startNotionFake({ rateLimit: { requestsPerSecond: 3, burst: 10 } })
    const { token } = notion.addIntegration({ name: 'Unpaced' })
    const client = new Client({ auth: token, baseUrl: notion.url, retry: false, logger: () => {} })
    await Promise.allSettled(Array.from({ length: 30 }, () => client.users.me({})))
    expect(notion.stats().rateLimited).toBeGreaterThan(0)
  })

  it('holds every process back after a 429 until its Retry-After has passed', async () => {
    notion = await startNotionFake({ rateLimit: { requestsPerSecond: 3, burst: 10 } })
    const { token } = notion.addIntegration({ name: 'Told to wait' })
    const [a, b] = makeTwoProcessClients(notion, token)
    notion.faults.failNext(1, { status: 429 }) // answered with Retry-After: 1
    await expect(a.users.me({})).rejects.toMatchObject({ status: 429, code: 'rate_limited' })
    // The other "process" goes next: its pacer must hold it for the second.
    await expect(b.users.me({})).resolves.toMatchObject({ object: 'user' })
    await expect(a.users.me({})).resolves.toMatchObject({ object: 'user' })
    expect(notion.stats()).toMatchObject({ requests: 3, byStatus: { 200: 2, 429: 1 }, retryAfterViolations: 0 })
    const [limited, next] = notion.requestLog()
    expect(limited.status).toBe(429)
    expect(next.retryAfterViolation).toBe(false)
  })

  it('lets a burst through at once, then makes the next request wait (and gives up past maxWaitMs)', async () => {
    const pacer = makeNotionPacer(dbA, { requestsPerSecond: 0.01, burst: 3 })
    const other = makeNotionPacer(dbB, { requestsPerSecond: 0.01, burst: 3 })
    const tokenHash = hashNotionToken('ntn_burst_test_token')
    await pacer.acquire(tokenHash, { maxWaitMs: 0 })
    await other.acquire(tokenHash, { maxWaitMs: 0 })
    await pacer.acquire(tokenHash, { maxWaitMs: 0 })
    const refused = await other.acquire(tokenHash, { maxWaitMs: 1000 }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(NotionPacerWaitError)
    // One slot at 0.01/s is ~100 s away.
    expect((refused as NotionPacerWaitError).retryAfterMs).toBeGreaterThan(50_000)
  })

  it('makes an acquire wait out a recorded Retry-After even with slots in the bucket', async () => {
    const pacer = makeNotionPacer(dbA, { requestsPerSecond: 100, burst: 100 })
    const tokenHash = hashNotionToken('ntn_blocked_test_token')
    await pacer.blockUntil(tokenHash, new Date(Date.now() + 30_000))
    const refused = await makeNotionPacer(dbB).acquire(tokenHash, { maxWaitMs: 1000 }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(NotionPacerWaitError)
    expect((refused as NotionPacerWaitError).retryAfterMs).toBeGreaterThan(20_000)
  })

  it('stops waiting when its signal is aborted, and refuses a raw token as key', async () => {
    const pacer = makeNotionPacer(dbA, { requestsPerSecond: 0.01, burst: 1 })
    const tokenHash = hashNotionToken('ntn_abort_test_token')
    await pacer.acquire(tokenHash)
    const controller = new AbortController()
    const waiting = pacer.acquire(tokenHash, { signal: controller.signal })
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' })
    await expect(pacer.acquire('ntn_a_raw_token')).rejects.toBeInstanceOf(TypeError)
  })
})
