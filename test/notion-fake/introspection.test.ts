import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { bullet, captureError, makeClient, paragraph, text, todo } from './helpers.ts'

// What tests read back: full state, a page's tree, counts, the request log, and reset.

let notion: NotionFake
let token: string
let client: ReturnType<typeof makeClient>

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  ;({ token } = notion.addIntegration({ name: 'Reader bot' }))
  client = makeClient(notion, token)
})

afterAll(async () => {
  await notion.close()
})

describe('state and pageTree', () => {
  it('holds databases, data sources and pages with nested block trees in order', async () => {
    notion.reset({ state: true })
    const root = notion.createPage({ title: 'Root', shareWith: token }).id
    const db = notion.createDatabase({ parentId: root, title: 'Notebooks', properties: { Name: { title: {} }, UUID: { rich_text: {} } } })
    const page = await client.pages.create({
      parent: { data_source_id: db.dataSourceId },
      properties: { Name: { title: text('Journal') }, UUID: { rich_text: text('u-1') } },
      children: [paragraph('one'), bullet('two', [todo('three', true)])],
    })
    const [first] = (await client.blocks.children.list({ block_id: page.id })).results
    await client.blocks.delete({ block_id: first.id })

    const state = notion.state()
    expect(state.databases).toEqual([expect.objectContaining({ id: db.id, title: 'Notebooks', dataSourceIds: [db.dataSourceId], in_trash: false })])
    expect(state.dataSources).toEqual([expect.objectContaining({ id: db.dataSourceId, databaseId: db.id, rows: [page.id] })])
    const journal = state.pages.find((p) => p.id === page.id)
    expect(journal).toMatchObject({
      title: 'Journal',
      in_trash: false,
      parent: { type: 'data_source_id', data_source_id: db.dataSourceId, database_id: db.id },
      properties: { UUID: { rich_text: [{ plain_text: 'u-1' }] } },
      blocks: [
        { type: 'paragraph', text: 'one', in_trash: true, children: [] },
        { type: 'bulleted_list_item', text: 'two', in_trash: false, children: [{ type: 'to_do', text: 'three', content: { checked: true } }] },
      ],
    })
    const rootPage = state.pages.find((p) => p.id === root)
    expect(rootPage?.blocks).toEqual([expect.objectContaining({ type: 'child_database', text: 'Notebooks' })])

    expect(notion.pageTree(page.id)).toEqual([
      {
        id: expect.any(String),
        type: 'bulleted_list_item',
        text: 'two',
        content: expect.objectContaining({ color: 'default' }),
        in_trash: false,
        children: [expect.objectContaining({ type: 'to_do', text: 'three', children: [] })],
      },
    ])
  })
})

describe('stats and request log', () => {
  it('counts requests by endpoint and status and logs each one', async () => {
    notion.reset()
    const pageId = notion.createPage({ title: 'counted', shareWith: token }).id
    await client.blocks.children.append({ block_id: pageId, children: [paragraph('a')] })
    await client.blocks.children.append({ block_id: pageId, children: [paragraph('b')] })
    await client.blocks.children.list({ block_id: pageId })
    await captureError(client.pages.retrieve({ page_id: '00000000000000000000000000000000' }))
    await captureError(makeClient(notion, 'ntn_wrong').users.me({}))

    expect(notion.stats()).toEqual({
      requests: 5,
      byEndpoint: { 'PATCH /v1/blocks/:id/children': 2, 'GET /v1/blocks/:id/children': 1, 'GET /v1/pages/:id': 1, 'GET /v1/users/me': 1 },
      byStatus: { 200: 3, 404: 1, 401: 1 },
      rateLimited: 0,
      retryAfterViolations: 0,
    })
    const log = notion.requestLog()
    expect(log).toHaveLength(5)
    expect(log[0]).toMatchObject({
      method: 'PATCH', path: `/v1/blocks/${pageId}/children`, endpoint: 'PATCH /v1/blocks/:id/children', status: 200,
      integration: 'Reader bot', tokenHash: expect.stringMatching(/^[0-9a-f]{12}$/), retryAfterViolation: false,
    })
    expect(log[3]).toMatchObject({ status: 404, code: 'object_not_found' })
    expect(log[4]).toMatchObject({ status: 401, integration: null })
    expect(log[4].tokenHash).not.toBe(log[0].tokenHash)
    expect(log.every((e, i) => i === 0 || e.at >= log[i - 1].at)).toBe(true)
    expect(JSON.stringify(log)).not.toContain(token)
  })

  it('reset clears counts and log, and with state: true every object, keeping tokens valid', async () => {
    const pageId = notion.createPage({ title: 'to forget', shareWith: token }).id
    await client.pages.retrieve({ page_id: pageId })
    notion.reset()
    expect(notion.stats().requests).toBe(0)
    expect(notion.requestLog()).toEqual([])
    expect(notion.state().pages.some((p) => p.id === pageId)).toBe(true)
    notion.reset({ state: true })
    expect(notion.state().pages).toEqual([])
    expect((await captureError(client.pages.retrieve({ page_id: pageId }))).status).toBe(404)
    await expect(client.users.me({})).resolves.toMatchObject({ name: 'Reader bot' })
  })
})
