import { afterEach, describe, expect, it } from 'vitest'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { captureError, makeClient } from './helpers.ts'

// The token bucket per integration token: 429 rate_limited with an integer Retry-After, and requests
// sent before that Retry-After passed recorded as violations.

let notion: NotionFake | undefined

afterEach(async () => {
  await notion?.close()
  notion = undefined
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('rate limit', () => {
  it('answers 429 with Retry-After past the burst, refuses and records an early retry, then lets the wait through', async () => {
    notion = await startNotionFake({ rateLimit: { requestsPerSecond: 2, burst: 2 } })
    const { token } = notion.addIntegration({ name: 'Hasty' })
    const client = makeClient(notion, token)
    await client.users.me({})
    await client.users.me({})
    const limited = await captureError(client.users.me({}))
    expect(limited).toMatchObject({
      status: 429, code: 'rate_limited', message: 'You have been rate limited. Please try again in a few minutes.',
    })
    const retryAfter = limited.headers.get('retry-after')
    expect(retryAfter).toMatch(/^\d+$/)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)

    const early = await captureError(client.users.me({}))
    expect(early.status).toBe(429)
    expect(notion.stats()).toMatchObject({ requests: 4, rateLimited: 2, retryAfterViolations: 1, byStatus: { 200: 2, 429: 2 } })
    expect(notion.requestLog().map((e) => e.retryAfterViolation)).toEqual([false, false, false, true])

    await sleep(Number(retryAfter) * 1000 + 50)
    await expect(client.users.me({})).resolves.toMatchObject({ object: 'user' })
    expect(notion.stats().retryAfterViolations).toBe(1)
  })

  it('keeps one bucket per token', async () => {
    notion = await startNotionFake({ rateLimit: { requestsPerSecond: 1, burst: 1 } })
    const a = makeClient(notion, notion.addIntegration().token)
    const b = makeClient(notion, notion.addIntegration().token)
    await a.users.me({})
    expect((await captureError(a.users.me({}))).status).toBe(429)
    await expect(b.users.me({})).resolves.toMatchObject({ object: 'user' })
  })

  it('defaults to a burst of 10 at 3 requests/s', async () => {
    notion = await startNotionFake()
    const client = makeClient(notion, notion.addIntegration().token)
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => client.users.me({}).then(() => 200, (e: { status: number }) => e.status)),
    )
    expect(outcomes.filter((s) => s === 200)).toHaveLength(10)
    expect(outcomes.filter((s) => s === 429)).toHaveLength(2)
  })

  it('is off with rateLimit: false', async () => {
    notion = await startNotionFake({ rateLimit: false })
    const client = makeClient(notion, notion.addIntegration().token)
    await Promise.all(Array.from({ length: 40 }, () => client.users.me({})))
    expect(notion.stats()).toMatchObject({ requests: 40, rateLimited: 0, byStatus: { 200: 40 } })
  })

  it('holds a token to the Retry-After of an injected 429 too', async () => {
    notion = await startNotionFake({ rateLimit: false })
    const client = makeClient(notion, notion.addIntegration().token)
    notion.faults.failNext(1, { status: 429 })
    const first = await captureError(client.users.me({}))
    expect(first).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(first.headers.get('retry-after')).toBe('1')
    expect((await captureError(client.users.me({}))).status).toBe(429)
    expect(notion.stats().retryAfterViolations).toBe(1)
  })
})
