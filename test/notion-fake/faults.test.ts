import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Client, LogLevel, RequestTimeoutError } from '@notionhq/client'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { captureError, makeClient, paragraph } from './helpers.ts'

// Failures on demand: scripted, random (seeded), 504 after the write applied, latency.

let notion: NotionFake
let token: string
let client: ReturnType<typeof makeClient>
let pageId: string

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  ;({ token } = notion.addIntegration())
  client = makeClient(notion, token)
})

beforeEach(() => {
  notion.reset()
  pageId = notion.createPage({ title: 'faults', shareWith: token }).id
})

afterAll(async () => {
  await notion.close()
})

describe('scripted faults', () => {
  it('fails the next n matching requests without applying them', async () => {
    notion.faults.failNext(2, { status: 503, endpoint: 'PATCH /v1/blocks/:id/children' })
    const first = await captureError(client.blocks.children.append({ block_id: pageId, children: [paragraph('1')] }))
    expect(first).toMatchObject({ status: 503, code: 'service_unavailable', message: 'Notion is unavailable, please try again later.' })
    // Other endpoints are untouched by the script.
    await expect(client.blocks.children.list({ block_id: pageId })).resolves.toMatchObject({ results: [] })
    expect((await captureError(client.blocks.children.append({ block_id: pageId, children: [paragraph('2')] }))).status).toBe(503)
    await client.blocks.children.append({ block_id: pageId, children: [paragraph('3')] })
    expect(notion.pageTree(pageId).map((b) => b.text)).toEqual(['3'])
    expect(notion.stats().byStatus).toEqual({ 200: 2, 503: 2 })
  })

  it('matches with a predicate and answers the code asked for', async () => {
    notion.faults.failNext(1, { status: 409, match: (r) => r.method === 'GET' })
    await client.blocks.children.append({ block_id: pageId, children: [paragraph('x')] })
    const conflict = await captureError(client.blocks.children.list({ block_id: pageId }))
    expect(conflict).toMatchObject({ status: 409, code: 'conflict_error', message: 'Conflict occurred while saving. Please try again.' })
    notion.faults.failNext(1, { status: 502 })
    const gateway = await captureError(client.users.me({}))
    expect(gateway).toMatchObject({ status: 502, code: 'bad_gateway' })
  })
})

describe('random faults', () => {
  async function runStatuses(n: number): Promise<number[]> {
    const statuses: number[] = []
    for (let i = 0; i < n; i++) {
      statuses.push(await client.users.me({}).then(() => 200, (e: { status: number }) => e.status))
    }
    return statuses
  }

  it('fails a seeded share of requests with 5xx, the same way for the same seed', async () => {
    notion.faults.setRandom5xxRate(0.3, { seed: 42 })
    const first = await runStatuses(60)
    notion.faults.setRandom5xxRate(0.3, { seed: 42 })
    const second = await runStatuses(60)
    expect(second).toEqual(first)
    const failures = first.filter((s) => s !== 200)
    expect(failures.length).toBeGreaterThan(5)
    expect(failures.length).toBeLessThan(40)
    expect(failures.every((s) => [500, 502, 503, 504].includes(s))).toBe(true)
    notion.faults.setRandom5xxRate(0.3, { seed: 7 })
    expect(await runStatuses(60)).not.toEqual(first)
  })

  it('limits random faults to the statuses and endpoint given', async () => {
    notion.faults.setRandom5xxRate(1, { seed: 1, statuses: [500], endpoint: 'GET /v1/users/me' })
    expect((await captureError(client.users.me({}))).status).toBe(500)
    await expect(client.blocks.children.list({ block_id: pageId })).resolves.toMatchObject({ object: 'list' })
  })
})

describe('504 after apply', () => {
  it('applies the write, then answers 504 gateway_timeout', async () => {
    notion.faults.timeoutAfterApply(1, 'PATCH /v1/blocks/:id/children')
    const error = await captureError(client.blocks.children.append({ block_id: pageId, children: [paragraph('landed')] }))
    expect(error).toMatchObject({ status: 504, code: 'gateway_timeout' })
    expect(notion.pageTree(pageId).map((b) => b.text)).toEqual(['landed'])
    const listed = await client.blocks.children.list({ block_id: pageId })
    expect(listed.results).toHaveLength(1)
  })

  it('does the same for pages.create', async () => {
    const db = notion.createDatabase({ parentId: pageId, title: 'db', properties: { Name: { title: {} } } })
    notion.faults.timeoutAfterApply(1, (r) => r.endpoint === 'POST /v1/pages')
    const error = await captureError(
      client.pages.create({ parent: { data_source_id: db.dataSourceId }, properties: { Name: { title: [{ text: { content: 'twice?' } }] } } }),
    )
    expect(error.status).toBe(504)
    const rows = await client.dataSources.query({ data_source_id: db.dataSourceId })
    expect(rows.results).toHaveLength(1)
  })
})

describe('latency', () => {
  it('delays answers past a client timeout, and the request is still applied', async () => {
    notion.faults.setLatency(300)
    const impatient = new Client({ auth: token, baseUrl: notion.url, retry: false, timeoutMs: 20, logLevel: LogLevel.ERROR })
    await expect(impatient.blocks.children.append({ block_id: pageId, children: [paragraph('late')] })).rejects.toBeInstanceOf(
      RequestTimeoutError,
    )
    notion.faults.setLatency(0)
    await expect.poll(() => notion.pageTree(pageId).map((b) => b.text)).toEqual(['late'])
  })
})
