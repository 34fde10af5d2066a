import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectAllDataSourceRows, collectPaginatedAPI, type PageObjectResponse } from '@notionhq/client'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { captureError, makeClient, text } from './helpers.ts'

// Data source queries: filters, sorts, pagination, trashed rows left out.

let notion: NotionFake
let token: string
let client: ReturnType<typeof makeClient>
let dataSourceId: string
let clock = Date.parse('2025-05-01T08:00:00.000Z')

const SCHEMA = {
  Name: { title: {} },
  UUID: { rich_text: {} },
  Pages: { number: {} },
  Status: { select: { options: [{ name: 'Synced' }, { name: 'Pending' }] } },
  Tags: { multi_select: {} },
  Done: { checkbox: {} },
  Due: { date: {} },
}

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false, now: () => clock })
  ;({ token } = notion.addIntegration())
  client = makeClient(notion, token)
  const root = notion.createPage({ title: 'root', shareWith: token }).id
  dataSourceId = notion.createDatabase({ parentId: root, title: 'Notebooks', properties: SCHEMA }).dataSourceId
  const rows: [string, string, number, string, string[], boolean, string][] = [
    ['Alpha', 'uuid-a', 3, 'Synced', ['work'], true, '2025-01-10'],
    ['beta', 'uuid-b', 10, 'Pending', ['home', 'work'], false, '2025-02-10'],
    ['Gamma', 'uuid-c', 1, 'Synced', [], false, '2025-03-10'],
    ['Delta', 'UUID-D', 7, 'Pending', ['home'], true, '2025-04-10'],
  ]
  for (const [name, uuid, pages, status, tags, done, due] of rows) {
    clock += 60_000
    await client.pages.create({
      parent: { data_source_id: dataSourceId },
      properties: {
        Name: { title: text(name) },
        UUID: { rich_text: text(uuid) },
        Pages: { number: pages },
        Status: { select: { name: status } },
        Tags: { multi_select: tags.map((t) => ({ name: t })) },
        Done: { checkbox: done },
        Due: { date: { start: due } },
      },
    })
  }
})

afterAll(async () => {
  await notion.close()
})

const names = (results: unknown[]) =>
  results.map((r) => ((r as PageObjectResponse).properties.Name as { title: { plain_text: string }[] }).title[0].plain_text)

async function query(args: Omit<Parameters<typeof client.dataSources.query>[0], 'data_source_id'>) {
  const answer = await client.dataSources.query({ data_source_id: dataSourceId, ...args })
  expect(answer).toMatchObject({ object: 'list', type: 'page_or_data_source', page_or_data_source: {} })
  return names(answer.results)
}

describe('filters', () => {
  it('filters rich_text by equals (exact) and contains (any case)', async () => {
    expect(await query({ filter: { property: 'UUID', rich_text: { equals: 'uuid-b' } } })).toEqual(['beta'])
    expect(await query({ filter: { property: 'UUID', rich_text: { equals: 'uuid-d' } } })).toEqual([])
    expect(await query({ filter: { property: 'UUID', rich_text: { contains: 'uuid-d' } } })).toEqual(['Delta'])
  })

  it('filters title, number, select, checkbox, multi_select and date', async () => {
    expect(await query({ filter: { property: 'Name', title: { starts_with: 'g' } } })).toEqual(['Gamma'])
    expect(await query({ filter: { property: 'Pages', number: { greater_than: 5 } } })).toEqual(['beta', 'Delta'])
    expect(await query({ filter: { property: 'Status', select: { equals: 'Synced' } } })).toEqual(['Alpha', 'Gamma'])
    expect(await query({ filter: { property: 'Done', checkbox: { equals: true } } })).toEqual(['Alpha', 'Delta'])
    expect(await query({ filter: { property: 'Tags', multi_select: { contains: 'home' } } })).toEqual(['beta', 'Delta'])
    expect(await query({ filter: { property: 'Tags', multi_select: { is_empty: true } } })).toEqual(['Gamma'])
    expect(await query({ filter: { property: 'Due', date: { on_or_after: '2025-03-10' } } })).toEqual(['Gamma', 'Delta'])
  })

  it('combines with and / or', async () => {
    expect(
      await query({
        filter: {
          or: [
            { property: 'Status', select: { equals: 'Pending' } },
            { and: [{ property: 'Done', checkbox: { equals: true } }, { property: 'Pages', number: { less_than: 5 } }] },
          ],
        },
      }),
    ).toEqual(['Alpha', 'beta', 'Delta'])
  })

  it('filters on timestamps', async () => {
    const created = await client.dataSources.query({ data_source_id: dataSourceId })
    const third = (created.results[2] as PageObjectResponse).created_time
    expect(await query({ filter: { timestamp: 'created_time', created_time: { on_or_after: third } } })).toEqual(['Gamma', 'Delta'])
  })

  it('refuses unknown properties and filters of the wrong type', async () => {
    const unknown = await captureError(client.dataSources.query({ data_source_id: dataSourceId, filter: { property: 'Nope', rich_text: { equals: 'x' } } }))
    expect(unknown).toMatchObject({ status: 400, code: 'validation_error', message: 'Could not find property with name or id: Nope' })
    const wrong = await captureError(client.dataSources.query({ data_source_id: dataSourceId, filter: { property: 'Pages', rich_text: { equals: 'x' } } }))
    expect(wrong.status).toBe(400)
    const condition = await captureError(client.dataSources.query({ data_source_id: dataSourceId, filter: { property: 'Pages', number: { contains: 3 } as never } }))
    expect(condition.message).toBe('body failed validation: body.filter.number.contains should be not present, instead was `3`.')
  })
})

describe('sorts and pagination', () => {
  it('sorts by property and by timestamp', async () => {
    expect(await query({ sorts: [{ property: 'Pages', direction: 'descending' }] })).toEqual(['beta', 'Delta', 'Alpha', 'Gamma'])
    expect(await query({ sorts: [{ property: 'Status', direction: 'ascending' }, { property: 'Pages', direction: 'ascending' }] })).toEqual([
      'Delta', 'beta', 'Gamma', 'Alpha',
    ])
    expect(await query({ sorts: [{ timestamp: 'created_time', direction: 'descending' }] })).toEqual(['Delta', 'Gamma', 'beta', 'Alpha'])
    const error = await captureError(client.dataSources.query({ data_source_id: dataSourceId, sorts: [{ property: 'Nope', direction: 'ascending' }] }))
    expect(error.message).toBe('Could not find sort property with name or id: Nope')
  })

  it('paginates with page_size and cursors', async () => {
    const first = await client.dataSources.query({ data_source_id: dataSourceId, page_size: 3 })
    expect(first).toMatchObject({ has_more: true })
    expect(first.results).toHaveLength(3)
    const all = await collectPaginatedAPI(client.dataSources.query, { data_source_id: dataSourceId, page_size: 1 })
    expect(names(all)).toEqual(['Alpha', 'beta', 'Gamma', 'Delta'])
  })

  it('leaves trashed pages out', async () => {
    const rows = await client.dataSources.query({ data_source_id: dataSourceId, filter: { property: 'Name', title: { equals: 'Gamma' } } })
    await client.pages.update({ page_id: rows.results[0].id, in_trash: true })
    expect(await query({})).toEqual(['Alpha', 'beta', 'Delta'])
    await client.pages.update({ page_id: rows.results[0].id, in_trash: false })
    expect(await query({})).toEqual(['Alpha', 'beta', 'Gamma', 'Delta'])
  })
})

describe('the per-query row limit', () => {
  it('marks the answer incomplete past the limit, and the SDK helper still gets every row', async () => {
    // Notion's limit is 10,000 rows; a limit of 5 exercises the same path in a few requests.
    let now = Date.parse('2025-06-01T00:00:00.000Z')
    const small = await startNotionFake({ rateLimit: false, queryResultLimit: 5, now: () => now })
    try {
      const { token: t } = small.addIntegration()
      const c = makeClient(small, t)
      const db = small.createDatabase({ title: 'big', properties: { Name: { title: {} } }, shareWith: t })
      for (let i = 0; i < 12; i++) {
        now += 60_000
        small.createPage({ parentId: db.dataSourceId, title: `row ${i}` })
      }
      const rows = await collectPaginatedAPI(c.dataSources.query, { data_source_id: db.dataSourceId, page_size: 2 })
      expect(rows).toHaveLength(5)
      const last = await c.dataSources.query({ data_source_id: db.dataSourceId, start_cursor: rows[4].id })
      expect(last).toMatchObject({ has_more: false, request_status: { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' } })
      const everything = await collectAllDataSourceRows(c, { data_source_id: db.dataSourceId })
      expect(names(everything)).toEqual(Array.from({ length: 12 }, (_, i) => `row ${i}`))
    } finally {
      await small.close()
    }
  })
})
