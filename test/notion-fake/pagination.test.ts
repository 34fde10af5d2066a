import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectPaginatedAPI } from '@notionhq/client'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { captureError, makeClient, paragraph, plainOf } from './helpers.ts'

// Listing children with cursors, and `after` / `position` placing appended blocks where they say.

let notion: NotionFake
let token: string
let client: ReturnType<typeof makeClient>

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  ;({ token } = notion.addIntegration())
  client = makeClient(notion, token)
})

afterAll(async () => {
  await notion.close()
})

const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

async function appendTexts(blockId: string, all: string[]) {
  for (let i = 0; i < all.length; i += 100) {
    await client.blocks.children.append({ block_id: blockId, children: all.slice(i, i + 100).map(paragraph) })
  }
}

describe('block children pagination', () => {
  it('pages through 250 children: 100, 100, 50, with opaque cursors', async () => {
    const pageId = notion.createPage({ title: '250', shareWith: token }).id
    const all = texts('line ', 250)
    await appendTexts(pageId, all)

    const first = await client.blocks.children.list({ block_id: pageId })
    expect(first).toMatchObject({ object: 'list', type: 'block', block: {}, has_more: true })
    expect(first.results).toHaveLength(100)
    expect(first.next_cursor).toEqual(expect.any(String))
    const second = await client.blocks.children.list({ block_id: pageId, start_cursor: first.next_cursor ?? undefined })
    expect(second.results).toHaveLength(100)
    expect(second.has_more).toBe(true)
    const third = await client.blocks.children.list({ block_id: pageId, start_cursor: second.next_cursor ?? undefined })
    expect(third.results).toHaveLength(50)
    expect(third).toMatchObject({ has_more: false, next_cursor: null })
    expect([...first.results, ...second.results, ...third.results].map(plainOf)).toEqual(all)

    const small = await collectPaginatedAPI(client.blocks.children.list, { block_id: pageId, page_size: 7 })
    expect(small.map(plainOf)).toEqual(all)
    expect(notion.stats().byEndpoint['GET /v1/blocks/:id/children']).toBe(3 + Math.ceil(250 / 7))
  })

  it('leaves trashed children out of lists and pages', async () => {
    const pageId = notion.createPage({ title: 'trash', shareWith: token, children: texts('t', 5).map(paragraph) }).id
    const listed = await client.blocks.children.list({ block_id: pageId })
    await client.blocks.delete({ block_id: listed.results[1].id })
    await client.blocks.delete({ block_id: listed.results[3].id })
    const pages = await collectPaginatedAPI(client.blocks.children.list, { block_id: pageId, page_size: 2 })
    expect(pages.map(plainOf)).toEqual(['t0', 't2', 't4'])
  })

  it('refuses a cursor that is not one', async () => {
    const pageId = notion.createPage({ title: 'cursor', shareWith: token, children: [paragraph('x')] }).id
    const error = await captureError(client.blocks.children.list({ block_id: pageId, start_cursor: 'bogus' }))
    expect(error).toMatchObject({ status: 400, code: 'validation_error' })
    expect(error.message).toBe('query failed validation: query.start_cursor should be a cursor from a previous response, instead was `"bogus"`.')
  })
})

describe('append placement', () => {
  it('inserts after the given sibling, keeping the rest in order', async () => {
    const pageId = notion.createPage({ title: 'after', shareWith: token, children: ['a', 'b', 'c'].map(paragraph) }).id
    const [, b] = (await client.blocks.children.list({ block_id: pageId })).results
    const answer = await client.blocks.children.append({ block_id: pageId, after: b.id, children: [paragraph('b1'), paragraph('b2')] })
    expect(answer.results.map(plainOf)).toEqual(['b1', 'b2'])
    const listed = await client.blocks.children.list({ block_id: pageId })
    expect(listed.results.map(plainOf)).toEqual(['a', 'b', 'b1', 'b2', 'c'])
    expect(notion.pageTree(pageId).map((n) => n.text)).toEqual(['a', 'b', 'b1', 'b2', 'c'])
  })

  it('inserts after the last child, and after a block given without dashes', async () => {
    const pageId = notion.createPage({ title: 'after-last', shareWith: token, children: ['a', 'b'].map(paragraph) }).id
    const [a, b] = (await client.blocks.children.list({ block_id: pageId })).results
    await client.blocks.children.append({ block_id: pageId, after: b.id, children: [paragraph('z')] })
    await client.blocks.children.append({ block_id: pageId, after: a.id.replace(/-/g, ''), children: [paragraph('a1')] })
    expect(notion.pageTree(pageId).map((n) => n.text)).toEqual(['a', 'a1', 'b', 'z'])
  })

  it('refuses an `after` that is not a child of the parent', async () => {
    const pageId = notion.createPage({ title: 'p1', shareWith: token, children: [paragraph('a')] }).id
    const otherId = notion.createPage({ title: 'p2', shareWith: token, children: [paragraph('elsewhere')] }).id
    const [foreign] = (await client.blocks.children.list({ block_id: otherId })).results
    const error = await captureError(client.blocks.children.append({ block_id: pageId, after: foreign.id, children: [paragraph('x')] }))
    expect(error).toMatchObject({ status: 400, code: 'validation_error' })
    expect(error.message).toBe(`body failed validation: body.after should be the id of a child of block ${pageId}, instead was \`"${foreign.id}"\`.`)
    expect(notion.pageTree(pageId).map((n) => n.text)).toEqual(['a'])
  })

  it('takes position start / after_block / end, not together with after', async () => {
    const pageId = notion.createPage({ title: 'position', shareWith: token, children: ['m'].map(paragraph) }).id
    const [m] = (await client.blocks.children.list({ block_id: pageId })).results
    await client.blocks.children.append({ block_id: pageId, position: { type: 'start' }, children: [paragraph('first')] })
    await client.blocks.children.append({ block_id: pageId, position: { type: 'end' }, children: [paragraph('last')] })
    await client.blocks.children.append({ block_id: pageId, position: { type: 'after_block', after_block: { id: m.id } }, children: [paragraph('m1')] })
    expect(notion.pageTree(pageId).map((n) => n.text)).toEqual(['first', 'm', 'm1', 'last'])
    const both = await captureError(
      client.blocks.children.append({ block_id: pageId, after: m.id, position: { type: 'end' }, children: [paragraph('x')] }),
    )
    expect(both.message).toBe('body failed validation: body.after and body.position cannot both be present.')
  })

  it('appends into a nested block and reports it in has_children', async () => {
    const pageId = notion.createPage({ title: 'nested', shareWith: token, children: [{ toggle: { rich_text: [{ text: { content: 'T' } }] } }] }).id
    const [toggle] = (await client.blocks.children.list({ block_id: pageId })).results
    expect(toggle).toMatchObject({ has_children: false })
    await client.blocks.children.append({ block_id: toggle.id, children: [paragraph('inside')] })
    expect(await client.blocks.retrieve({ block_id: toggle.id })).toMatchObject({ has_children: true })
    expect(notion.pageTree(pageId)).toMatchObject([{ type: 'toggle', children: [{ type: 'paragraph', text: 'inside' }] }])
  })

  it('refuses children for blocks that take none', async () => {
    const pageId = notion.createPage({ title: 'divider', shareWith: token, children: [{ divider: {} }] }).id
    const [divider] = (await client.blocks.children.list({ block_id: pageId })).results
    const error = await captureError(client.blocks.children.append({ block_id: divider.id, children: [paragraph('x')] }))
    expect(error).toMatchObject({ status: 400, code: 'validation_error', message: 'Block type divider does not support children.' })
  })
})
