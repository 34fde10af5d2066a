import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApiClient, type RetryNotice } from '../../agent/api.ts'
import { computeBackoffMs, DEFAULT_RETRY, parseRetryAfterMs } from '../../agent/retryPolicy.ts'
import { STUB_TOKEN, startGraphqlStub, type GraphqlStub } from './graphqlStub.ts'

let stub: GraphqlStub
beforeEach(async () => {
  stub = await startGraphqlStub()
})
afterEach(async () => {
  await stub.close()
})

const fastRetry = { baseDelayMs: 5, maxDelayMs: 20 }
const client = (extra: Partial<Parameters<typeof createApiClient>[0]> = {}) => createApiClient({ url: stub.url, token: STUB_TOKEN, retry: fastRetry, ...extra })
const rateLimited = (retryAfter: string) => ({ status: 429, headers: { 'retry-after': retryAfter }, body: { errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] } })

describe('the agent API client', () => {
  it('waits the Retry-After of a 429 before trying again', async () => {
    stub.faults.push(rateLimited('1'))
    const notices: RetryNotice[] = []
    const result = await client({ onRetry: (n) => notices.push(n) }).fetchViewer()
    expect(result).toEqual({ ok: true, value: { id: 'VXNlcjox', email: 'ada@example.com' } })
    const [first, second] = stub.callsOf('Viewer')
    expect(first.answer).toBe('HTTP 429')
    expect(second.answer).toBe('User')
    expect(second.at - first.at).toBeGreaterThanOrEqual(900)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ operation: 'Viewer', attempt: 1, reason: 'HTTP 429 (rate limited)' })
  })

  it('holds back every request of the client while rate limited, not just the refused one', async () => {
    stub.faults.push({ ...rateLimited('1'), operationName: 'Viewer' })
    let refusedSeen: () => void = () => {}
    const refusalHandled = new Promise<void>((resolve) => (refusedSeen = resolve))
    const api = client({ onRetry: () => refusedSeen() })
    const viewer = api.fetchViewer()
    await refusalHandled // the client has read the 429; a request started now must wait too
    const other = api.deleteNotebook('nope')
    await Promise.all([viewer, other])
    const [refused] = stub.callsOf('Viewer')
    const [deleteCall] = stub.callsOf('DeleteNotebook')
    expect(deleteCall.at - refused.at).toBeGreaterThanOrEqual(900)
  })

  it('retries 5xx answers with backoff', async () => {
    stub.faults.push({ status: 502, body: 'bad gateway' }, { status: 503 })
    const result = await client().fetchViewer()
    expect(result.ok).toBe(true)
    expect(stub.callsOf('Viewer').map((call) => call.answer)).toEqual(['HTTP 502', 'HTTP 503', 'User'])
  })

  it('retries a dropped connection', async () => {
    stub.faults.push({ drop: true })
    const result = await client().deleteNotebook('nope')
    expect(stub.callsOf('DeleteNotebook').map((call) => call.answer)).toEqual(['dropped', 'NotFoundError'])
    expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no such notebook' } })
  })

  it('retries when nothing listens, then gives up with NETWORK_ERROR', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const notices: RetryNotice[] = []
    const api = createApiClient({ url: `http://127.0.0.1:${port}`, token: STUB_TOKEN, retry: { ...fastRetry, maxAttempts: 3 }, onRetry: (n) => notices.push(n) })
    const result = await api.fetchViewer()
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('NETWORK_ERROR')
    expect(notices.map((n) => n.attempt)).toEqual([1, 2])
    expect(notices[0].reason).toContain('ECONNREFUSED')
  })

  it('gives up on a server that keeps failing, with SERVER_ERROR', async () => {
    for (let i = 0; i < 3; i++) stub.faults.push({ status: 500 })
    const result = await client({ retry: { ...fastRetry, maxAttempts: 3 } }).fetchViewer()
    expect(result).toEqual({ ok: false, error: { code: 'SERVER_ERROR', message: 'HTTP 500 (gave up after 3 attempts)' } })
    expect(stub.callsOf('Viewer')).toHaveLength(3)
  })

  it('does not retry expected failures: they come back typed', async () => {
    const refused = await createApiClient({ url: stub.url, token: 'rmc_wrong', retry: fastRetry }).syncNotebookMetadata([])
    expect(refused).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED', message: 'Sign in, or send an API token' } })
    expect(await createApiClient({ url: stub.url, token: 'rmc_wrong', retry: fastRetry }).fetchViewer()).toEqual({ ok: true, value: null })
    const unknown = await client().uploadPage({ notebookUuid: 'nope', pageUuid: 'p', bytes: new Uint8Array([1]) })
    expect(unknown).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'notebook unknown: sync metadata first' } })
    expect(stub.calls).toHaveLength(3)
  })

  it('treats a 401 as a refused token and other GraphQL errors as typed errors', async () => {
    stub.faults.push({ status: 401, body: { errors: [{ message: 'bad token', extensions: { code: 'UNAUTHENTICATED' } }] } })
    expect(await client().fetchViewer()).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'bad token' } })
    stub.faults.push({ status: 400, body: { errors: [{ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] } })
    expect(await client().fetchViewer()).toEqual({ ok: false, error: { code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field' } })
  })
})

describe('retry timing rules', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfterMs('3')).toBe(3000)
    expect(parseRetryAfterMs('0.5')).toBe(500)
    expect(parseRetryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000)
    expect(parseRetryAfterMs(null)).toBeNull()
    expect(parseRetryAfterMs('soon')).toBeNull()
  })

  it('backs off exponentially, within [ceiling/2, ceiling], capped', () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 }
    expect([1, 2, 3, 4, 5].map((attempt) => computeBackoffMs(attempt, options, () => 0))).toEqual([50, 100, 200, 400, 500])
    expect([1, 2, 3, 4, 5].map((attempt) => computeBackoffMs(attempt, options, () => 1))).toEqual([100, 200, 400, 800, 1000])
  })
})
