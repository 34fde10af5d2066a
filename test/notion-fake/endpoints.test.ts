import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isFullBlock, isFullPage } from '@notionhq/client'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { captureError, makeClient, paragraph, plainOf, text, todo } from './helpers.ts'

// Each endpoint's documented example, sent through the real @notionhq/client, answered in Notion's shapes.

let notion: NotionFake
let token: string
let botId: string
let client: ReturnType<typeof makeClient>
let rootId: string

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  ;({ token, botId } = notion.addIntegration({ name: 'Sync bot' }))
  client = makeClient(notion, token)
  rootId = notion.createPage({ title: 'Root', shareWith: token }).id
})

afterAll(async () => {
  await notion.close()
})

describe('users.me', () => {
  it('answers the integration bot user', async () => {
    const me = await client.users.me({})
    expect(me).toMatchObject({ object: 'user', id: botId, type: 'bot', name: 'Sync bot' })
    expect(me).toHaveProperty('bot.owner', { type: 'workspace', workspace: true })
    expect((me as { request_id?: string }).request_id).toMatch(UUID)
  })
})

describe('databases and data sources (2025-09-03)', () => {
  it('creates a database with an initial data source and retrieves it without properties', async () => {
    const db = await client.databases.create({
      parent: { type: 'page_id', page_id: rootId },
      title: text('Grocery List'),
      initial_data_source: {
        properties: {
          Name: { title: {} },
          Description: { rich_text: {} },
          'In stock': { checkbox: {} },
          Price: { number: { format: 'dollar' } },
          'Food group': { select: { options: [{ name: '🥦Vegetable', color: 'green' }] } },
          'Last ordered': { date: {} },
          Photo: { url: {} },
          Tags: { multi_select: {} },
        },
      },
    })
    expect(db).toMatchObject({ object: 'database', parent: { type: 'page_id', page_id: rootId }, in_trash: false })
    const created = db as { id: string; data_sources: { id: string; name: string }[] }
    expect(created.id).toMatch(UUID)
    expect(created.data_sources).toHaveLength(1)
    expect(created.data_sources[0].name).toBe('Grocery List')

    const retrieved = await client.databases.retrieve({ database_id: created.id })
    expect(retrieved).toMatchObject({ object: 'database', data_sources: created.data_sources })
    expect(retrieved).not.toHaveProperty('properties')

    const source = await client.dataSources.retrieve({ data_source_id: created.data_sources[0].id })
    expect(source).toMatchObject({
      object: 'data_source',
      parent: { type: 'database_id', database_id: created.id },
      database_parent: { type: 'page_id', page_id: rootId },
    })
    const properties = (source as { properties: Record<string, { type: string; id: string }> }).properties
    expect(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v.type]))).toEqual({
      Name: 'title', Description: 'rich_text', 'In stock': 'checkbox', Price: 'number', 'Food group': 'select',
      'Last ordered': 'date', Photo: 'url', Tags: 'multi_select',
    })
    expect(properties.Name.id).toBe('title')
    expect(properties).toHaveProperty('Price.number.format', 'dollar')
    expect(properties).toHaveProperty(['Food group', 'select', 'options', 0, 'name'], '🥦Vegetable')
  })

  it('adds, renames and removes properties with dataSources.update', async () => {
    const db = notion.createDatabase({ parentId: rootId, title: 'Notebooks', properties: { Name: { title: {} }, Old: { rich_text: {} } } })
    const updated = await client.dataSources.update({
      data_source_id: db.dataSourceId,
      properties: { UUID: { rich_text: {} }, Pages: { number: {} }, Old: null, Name: { name: 'Title' } },
    })
    const properties = (updated as { properties: Record<string, { type: string }> }).properties
    expect(Object.keys(properties).sort()).toEqual(['Pages', 'Title', 'UUID'])
    expect(properties.Title.type).toBe('title')
  })

  it('rejects a page under a multi-source database with multiple_data_sources_for_database', async () => {
    const db = notion.createDatabase({
      parentId: rootId,
      title: 'Two sources',
      dataSources: [{ title: 'A', properties: { Name: { title: {} } } }, { title: 'B', properties: { Name: { title: {} } } }],
    })
    const error = await captureError(
      client.pages.create({ parent: { database_id: db.id }, properties: { Name: { title: text('x') } } }),
    )
    expect(error).toMatchObject({ status: 400, code: 'validation_error', message: 'Databases with multiple data sources are not supported in this API version.' })
    expect(error.body.additional_data).toEqual({
      error_type: 'multiple_data_sources_for_database',
      database_id: db.id,
      child_data_source_ids: db.dataSourceIds,
      minimum_api_version: '2025-09-03',
    })
  })
})

describe('pages', () => {
  it('creates a page in a data source with properties and children, answering no block ids', async () => {
    const db = notion.createDatabase({
      parentId: rootId,
      title: 'Rows',
      properties: {
        Name: { title: {} }, UUID: { rich_text: {} }, Pages: { number: {} }, Status: { select: {} },
        Tags: { multi_select: {} }, 'Last Synced': { date: {} }, Done: { checkbox: {} }, Link: { url: {} },
      },
    })
    const page = await client.pages.create({
      parent: { type: 'data_source_id', data_source_id: db.dataSourceId },
      properties: {
        Name: { title: text('Tuscan kale') },
        UUID: { rich_text: text('abc-123') },
        Pages: { number: 3 },
        Status: { select: { name: 'Synced' } },
        Tags: { multi_select: [{ name: 'work' }, { name: 'ideas' }] },
        'Last Synced': { date: { start: '2025-01-02T03:04:05.000Z' } },
        Done: { checkbox: true },
        Link: { url: 'https://example.com' },
      },
      children: [paragraph('Lacinato kale is a variety of kale')],
    })
    if (!isFullPage(page)) throw new Error('expected a full page')
    expect(page.parent).toEqual({ type: 'data_source_id', data_source_id: db.dataSourceId, database_id: db.id })
    expect(page.created_time).toMatch(MINUTE)
    expect(page.created_by).toEqual({ object: 'user', id: botId })
    expect(page).toMatchObject({ in_trash: false, archived: false })
    expect(JSON.stringify(page)).not.toContain('Lacinato')
    expect(page.properties.Name).toMatchObject({ id: 'title', type: 'title', title: [{ plain_text: 'Tuscan kale', href: null }] })
    expect(page.properties.Pages).toMatchObject({ type: 'number', number: 3 })
    expect(page.properties.Status).toMatchObject({ type: 'select', select: { name: 'Synced', color: 'default' } })
    expect(page.properties.Tags).toMatchObject({ multi_select: [{ name: 'work' }, { name: 'ideas' }] })
    expect(page.properties['Last Synced']).toMatchObject({ date: { start: '2025-01-02T03:04:05.000Z', end: null, time_zone: null } })
    expect(page.properties.Done).toMatchObject({ checkbox: true })

    // The select option was created in the schema.
    const source = (await client.dataSources.retrieve({ data_source_id: db.dataSourceId })) as { properties: Record<string, unknown> }
    expect(source.properties).toHaveProperty('Status.select.options.0.name', 'Synced')
    expect(notion.pageTree(page.id).map((b) => [b.type, b.text])).toEqual([['paragraph', 'Lacinato kale is a variety of kale']])
  })

  it('creates a page under a single-source database by database_id, answered with the data source parent', async () => {
    const db = notion.createDatabase({ parentId: rootId, title: 'Single', properties: { Name: { title: {} } } })
    const page = await client.pages.create({ parent: { database_id: db.id }, properties: { Name: { title: text('row') } } })
    expect(page).toMatchObject({ parent: { type: 'data_source_id', data_source_id: db.dataSourceId, database_id: db.id } })
  })

  it('creates a page under a page; it appears as a child_page block of its parent', async () => {
    const parent = notion.createPage({ parentId: rootId, title: 'Parent' }).id
    const page = await client.pages.create({
      parent: { page_id: parent.replace(/-/g, '') },
      properties: { title: { title: [{ text: { content: 'Child page' } }] } },
    })
    expect(page).toMatchObject({ parent: { type: 'page_id', page_id: parent } })
    const children = await client.blocks.children.list({ block_id: parent })
    expect(children.results).toEqual([expect.objectContaining({ id: page.id, type: 'child_page', child_page: { title: 'Child page' } })])
  })

  it('rejects an unknown property and a value of the wrong type with Notion\'s messages', async () => {
    const db = notion.createDatabase({ parentId: rootId, title: 'Strict', properties: { Name: { title: {} }, Price: { number: {} } } })
    const unknown = await captureError(
      client.pages.create({ parent: { data_source_id: db.dataSourceId }, properties: { Nope: { rich_text: text('x') } } }),
    )
    expect(unknown).toMatchObject({ status: 400, code: 'validation_error', message: 'Nope is not a property that exists.' })
    const wrongType = await captureError(
      client.pages.create({ parent: { data_source_id: db.dataSourceId }, properties: { Price: { rich_text: text('2') } } }),
    )
    expect(wrongType.message).toBe('Price is expected to be number.')
  })

  it('retrieves, updates properties, trashes and restores a page', async () => {
    const db = notion.createDatabase({ parentId: rootId, title: 'Lifecycle', properties: { Name: { title: {} }, Pages: { number: {} } } })
    const page = await client.pages.create({ parent: { data_source_id: db.dataSourceId }, properties: { Name: { title: text('one') } } })
    const updated = await client.pages.update({ page_id: page.id, properties: { Pages: { number: 7 } } })
    expect(updated).toMatchObject({ properties: { Pages: { number: 7 }, Name: { title: [{ plain_text: 'one' }] } } })
    const trashed = await client.pages.update({ page_id: page.id, in_trash: true })
    expect(trashed).toMatchObject({ in_trash: true, archived: true })
    const retrieved = await client.pages.retrieve({ page_id: page.id })
    expect(retrieved).toMatchObject({ in_trash: true })
    const refused = await captureError(client.pages.update({ page_id: page.id, properties: { Pages: { number: 8 } } }))
    expect(refused).toMatchObject({ status: 400, code: 'validation_error', message: "Can't edit block that is archived. You must unarchive the block before editing." })
    const restored = await client.pages.update({ page_id: page.id, in_trash: false })
    expect(restored).toMatchObject({ in_trash: false, properties: { Pages: { number: 7 } } })
  })
})

describe('blocks', () => {
  it('retrieves a block in Notion\'s shape', async () => {
    const pageId = notion.createPage({ parentId: rootId, title: 'Blocks', children: [{ heading_2: { rich_text: text('Lacinato kale') } }] }).id
    const [first] = (await client.blocks.children.list({ block_id: pageId })).results
    const block = await client.blocks.retrieve({ block_id: first.id })
    if (!isFullBlock(block)) throw new Error('expected a full block')
    expect(block).toMatchObject({
      object: 'block',
      parent: { type: 'page_id', page_id: pageId },
      has_children: false,
      archived: false,
      in_trash: false,
      type: 'heading_2',
      heading_2: {
        rich_text: [{
          type: 'text',
          text: { content: 'Lacinato kale', link: null },
          annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' },
          plain_text: 'Lacinato kale',
          href: null,
        }],
        is_toggleable: false,
        color: 'default',
      },
    })
    expect(block.created_time).toMatch(MINUTE)
    expect(block.last_edited_by).toEqual({ object: 'user', id: expect.stringMatching(UUID) })
  })

  it('appends children with nesting, links and annotations, answering only the first level', async () => {
    const pageId = notion.createPage({ parentId: rootId, title: 'Append' }).id
    const answer = await client.blocks.children.append({
      block_id: pageId,
      children: [
        { heading_2: { rich_text: text('Lacinato kale') } },
        {
          paragraph: {
            rich_text: [{
              text: { content: 'Lacinato kale is a variety of kale.', link: { url: 'https://en.wikipedia.org/wiki/Lacinato_kale' } },
              annotations: { bold: true, color: 'green' },
            }],
          },
        },
        { toggle: { rich_text: text('More'), children: [{ to_do: { rich_text: text('buy'), children: [paragraph('leaf')] } }] } },
        { code: { rich_text: text('const x = 1'), language: 'typescript' } },
        { callout: { rich_text: text('Note'), icon: { emoji: '💡' } } },
        { divider: {} },
        { quote: { rich_text: text('q') } },
        { numbered_list_item: { rich_text: text('n') } },
        { heading_1: { rich_text: text('T'), is_toggleable: true, children: [paragraph('inside')] } },
      ],
    })
    expect(answer).toMatchObject({ object: 'list', next_cursor: null, has_more: false, type: 'block', block: {} })
    expect(answer.results.map((b) => (b as { type: string }).type)).toEqual([
      'heading_2', 'paragraph', 'toggle', 'code', 'callout', 'divider', 'quote', 'numbered_list_item', 'heading_1',
    ])
    expect(answer.results[1]).toMatchObject({
      paragraph: { rich_text: [{ href: 'https://en.wikipedia.org/wiki/Lacinato_kale', annotations: { bold: true, italic: false, color: 'green' } }] },
    })
    expect(answer.results[2]).toMatchObject({ has_children: true })
    expect(answer.results[3]).toMatchObject({ code: { caption: [], language: 'typescript', rich_text: [{ plain_text: 'const x = 1' }] } })
    expect(answer.results[4]).toMatchObject({ callout: { icon: { type: 'emoji', emoji: '💡' }, color: 'default' } })
    const tree = notion.pageTree(pageId)
    expect(tree[2]).toMatchObject({ type: 'toggle', children: [{ type: 'to_do', text: 'buy', children: [{ type: 'paragraph', text: 'leaf' }] }] })
    const nested = await client.blocks.children.list({ block_id: answer.results[2].id })
    expect(nested.results.map(plainOf)).toEqual(['buy'])
    expect(nested.results[0]).toMatchObject({ parent: { type: 'block_id', block_id: answer.results[2].id }, has_children: true })
  })

  it('updates only the fields given (to_do checked) and changes last_edited_time', async () => {
    let now = Date.parse('2025-03-01T10:00:30.000Z')
    const timed = await startNotionFake({ rateLimit: false, now: () => now })
    try {
      const { token: t } = timed.addIntegration()
      const c = makeClient(timed, t)
      const pageId = timed.createPage({ title: 'Todos', shareWith: t, children: [todo('buy milk')] }).id
      const [block] = (await c.blocks.children.list({ block_id: pageId })).results
      expect(block).toMatchObject({ created_time: '2025-03-01T10:00:00.000Z', last_edited_time: '2025-03-01T10:00:00.000Z' })
      now += 120_000
      const updated = await c.blocks.update({ block_id: block.id, to_do: { checked: true } })
      expect(updated).toMatchObject({
        to_do: { checked: true, rich_text: [{ plain_text: 'buy milk' }], color: 'default' },
        created_time: '2025-03-01T10:00:00.000Z',
        last_edited_time: '2025-03-01T10:02:00.000Z',
      })
      const renamed = await c.blocks.update({ block_id: block.id, to_do: { rich_text: text('buy oat milk') } })
      expect(renamed).toMatchObject({ to_do: { checked: true, rich_text: [{ plain_text: 'buy oat milk' }] } })
    } finally {
      await timed.close()
    }
  })

  it('deletes to the trash, refuses edits there, restores with in_trash or archived false', async () => {
    const pageId = notion.createPage({ parentId: rootId, title: 'Trash', children: [todo('a'), todo('b')] }).id
    const [a, b] = (await client.blocks.children.list({ block_id: pageId })).results
    const deleted = await client.blocks.delete({ block_id: a.id })
    expect(deleted).toMatchObject({ id: a.id, in_trash: true, archived: true, type: 'to_do' })
    expect((await client.blocks.children.list({ block_id: pageId })).results.map((r) => r.id)).toEqual([b.id])
    const refused = await captureError(client.blocks.update({ block_id: a.id, to_do: { checked: true } }))
    expect(refused).toMatchObject({
      status: 400, code: 'validation_error', message: "Can't edit block that is archived. You must unarchive the block before editing.",
    })
    expect(await client.blocks.update({ block_id: a.id, in_trash: false })).toMatchObject({ in_trash: false })
    await client.blocks.delete({ block_id: a.id })
    expect(await client.blocks.update({ block_id: a.id, archived: false })).toMatchObject({ in_trash: false })
    expect((await client.blocks.children.list({ block_id: pageId })).results.map((r) => r.id)).toEqual([a.id, b.id])
  })

  it('refuses edits to blocks inside a trashed page', async () => {
    const pageId = notion.createPage({ parentId: rootId, title: 'Gone', children: [todo('x')] }).id
    const [block] = (await client.blocks.children.list({ block_id: pageId })).results
    await client.pages.update({ page_id: pageId, in_trash: true })
    const refused = await captureError(client.blocks.update({ block_id: block.id, to_do: { checked: true } }))
    expect(refused.message).toBe("Can't edit block that is archived. You must unarchive the block before editing.")
    const append = await captureError(client.blocks.children.append({ block_id: pageId, children: [paragraph('late')] }))
    expect(append.status).toBe(400)
  })

  it('answers a page as a child_page block through blocks.retrieve', async () => {
    const pageId = notion.createPage({ parentId: rootId, title: 'As block' }).id
    expect(await client.blocks.retrieve({ block_id: pageId })).toMatchObject({
      type: 'child_page', child_page: { title: 'As block' }, parent: { type: 'page_id', page_id: rootId },
    })
  })
})

describe('search', () => {
  it('finds pages and data sources by title, case-insensitively, filtered by object', async () => {
    const fresh = await startNotionFake({ rateLimit: false })
    try {
      const { token: t } = fresh.addIntegration()
      const { token: other } = fresh.addIntegration()
      const c = makeClient(fresh, t)
      const root = fresh.createPage({ title: 'Workspace root', shareWith: t }).id
      fresh.createPage({ parentId: root, title: 'Meeting notes' })
      fresh.createPage({ parentId: root, title: 'Shopping' })
      fresh.createDatabase({ parentId: root, title: 'Notes database', properties: { Name: { title: {} } } })
      fresh.createPage({ title: 'Private notes', shareWith: other })

      const all = await c.search({ query: 'NOTES' })
      expect(all).toMatchObject({ object: 'list', type: 'page_or_data_source', page_or_data_source: {} })
      expect(all.results.map((r) => r.object).sort()).toEqual(['data_source', 'page'])

      const pages = await c.search({ query: 'notes', filter: { property: 'object', value: 'page' } })
      expect(pages.results.map((r) => (r as unknown as { properties: { title: { title: { plain_text: string }[] } } }).properties.title.title[0].plain_text)).toEqual(['Meeting notes'])

      const sources = await c.search({ filter: { property: 'object', value: 'data_source' } })
      expect(sources.results).toHaveLength(1)
      expect(sources.results[0]).toMatchObject({ object: 'data_source', title: [{ plain_text: 'Notes database' }] })

      const database = await captureError(
        c.search({ filter: { property: 'object', value: 'database' as 'page' } }),
      )
      expect(database).toMatchObject({
        status: 400, code: 'validation_error',
        message: 'body failed validation: body.filter.value should be `"page"` or `"data_source"`, instead was `"database"`.',
      })
    } finally {
      await fresh.close()
    }
  })
})
