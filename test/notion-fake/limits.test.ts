import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BlockObjectRequest } from '@notionhq/client'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { bullet, captureError, makeClient, paragraph, sendRaw, text } from './helpers.ts'

// Every documented request limit, answered with the status, code and message Notion uses.

let notion: NotionFake
let token: string
let client: ReturnType<typeof makeClient>
let pageId: string

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  ;({ token } = notion.addIntegration())
  client = makeClient(notion, token)
  pageId = notion.createPage({ title: 'Limits', shareWith: token }).id
})

afterAll(async () => {
  await notion.close()
})

const paragraphs = (n: number) => Array.from({ length: n }, (_, i) => paragraph(`p${i}`))

/** A page of its own for a request that is meant to succeed, so the refused ones can check pageId stays empty. */
const freshPage = (title: string) => notion.createPage({ title, shareWith: token }).id

function expectNothingAppended() {
  expect(notion.pageTree(pageId)).toEqual([])
}

describe('children per array', () => {
  it('takes 100 children and refuses 101 with Notion\'s message', async () => {
    const error = await captureError(client.blocks.children.append({ block_id: pageId, children: paragraphs(101) }))
    expect(error).toMatchObject({
      status: 400, code: 'validation_error', message: 'body failed validation: body.children.length should be ≤ `100`, instead was `101`.',
    })
    expect(error.body.request_id).toEqual(expect.any(String))
    expectNothingAppended()
    const ok = await client.blocks.children.append({ block_id: freshPage('hundred'), children: paragraphs(100) })
    expect(ok.results).toHaveLength(100)
  })

  it('counts nested arrays too', async () => {
    const error = await captureError(
      client.blocks.children.append({ block_id: pageId, children: [bullet('a', paragraphs(101))] }),
    )
    expect(error.message).toBe(
      'body failed validation: body.children[0].bulleted_list_item.children.length should be ≤ `100`, instead was `101`.',
    )
  })

  it('applies to pages.create children', async () => {
    const error = await captureError(
      client.pages.create({ parent: { page_id: pageId }, properties: { title: { title: text('x') } }, children: paragraphs(101) }),
    )
    expect(error.message).toBe('body failed validation: body.children.length should be ≤ `100`, instead was `101`.')
  })
})

describe('block elements per request', () => {
  it('refuses more than 1,000 blocks in one request, counted over every level', async () => {
    // 100 top-level blocks with 10 children each: every array is within 100, the total is 1,100.
    const children = Array.from({ length: 100 }, (_, i) => bullet(`b${i}`, paragraphs(10)))
    const error = await captureError(client.blocks.children.append({ block_id: pageId, children }))
    expect(error).toMatchObject({ status: 400, code: 'validation_error' })
    expect(error.message).toBe('body failed validation: body.children should contain at most `1000` block elements in total, instead was `1100`.')
    expectNothingAppended()
  })

  it('takes exactly 1,000', async () => {
    const children = Array.from({ length: 100 }, (_, i) => bullet(`b${i}`, paragraphs(9)))
    const target = freshPage('thousand')
    const answer = await client.blocks.children.append({ block_id: target, children })
    expect(answer.results).toHaveLength(100)
  })
})

describe('payload size', () => {
  it('answers 413 above 500 KB', async () => {
    // 60 paragraphs × 5 items × 1,900 characters ≈ 570 KB, each within every other limit.
    const big = Array.from({ length: 60 }, () => ({
      paragraph: { rich_text: Array.from({ length: 5 }, () => ({ text: { content: 'x'.repeat(1900) } })) },
    })) as BlockObjectRequest[]
    const error = await captureError(client.blocks.children.append({ block_id: pageId, children: big }))
    expect(error.status).toBe(413)
    expect(error.code).toBe('validation_error')
    expect(error.message).toMatch(/^Request body too large: \d+ bytes; the limit is 500KB\.$/)
    expectNothingAppended()
  })
})

describe('nesting', () => {
  it('takes two levels below the top-level children and refuses a third', async () => {
    const target = freshPage('nesting')
    const ok = await client.blocks.children.append({ block_id: target, children: [bullet('1', [bullet('2', [bullet('3')])])] })
    expect(ok.results).toHaveLength(1)
    const deep = { bulleted_list_item: { rich_text: text('3'), children: [bullet('4')] } } as unknown as BlockObjectRequest
    const error = await captureError(
      client.blocks.children.append({ block_id: target, children: [bullet('1', [bullet('2', [deep])])] }),
    )
    expect(error).toMatchObject({ status: 400, code: 'validation_error' })
    expect(error.message).toBe(
      'body failed validation: body.children[0].bulleted_list_item.children[0].bulleted_list_item.children[0].bulleted_list_item.children should be not present, instead was `[{"type":"bulleted_list_item","bulleted_list_item":{"rich_text":[{"type":"text","text":{"content":"4"}}]}}]`.',
    )
  })

  it('lets headings have children only when toggleable', async () => {
    const plain = { heading_3: { rich_text: text('h'), children: [paragraph('x')] } } as BlockObjectRequest
    const error = await captureError(client.blocks.children.append({ block_id: pageId, children: [plain] }))
    expect(error.message).toMatch(/^body failed validation: body\.children\[0\]\.heading_3\.children should be not present/)
    const toggleable = { heading_3: { rich_text: text('h'), is_toggleable: true, children: [paragraph('x')] } } as BlockObjectRequest
    const target = freshPage('headings')
    const ok = await client.blocks.children.append({ block_id: target, children: [toggleable] })
    expect(ok.results[0]).toMatchObject({ has_children: true, heading_3: { is_toggleable: true } })
  })
})

describe('rich text', () => {
  it('refuses 2,001 characters in one text item with Notion\'s exact message', async () => {
    const error = await captureError(
      client.blocks.children.append({
        block_id: pageId,
        children: [paragraph('ok'), { paragraph: { rich_text: text('x'.repeat(2001)) } }],
      }),
    )
    expect(error.message).toBe(
      'body failed validation: body.children[1].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.',
    )
    expectNothingAppended()
  })

  it('refuses more than 100 rich-text items in an array', async () => {
    const items = Array.from({ length: 101 }, () => ({ text: { content: 'a' } }))
    const error = await captureError(client.blocks.children.append({ block_id: pageId, children: [{ paragraph: { rich_text: items } }] }))
    expect(error.message).toBe('body failed validation: body.children[0].paragraph.rich_text.length should be ≤ `100`, instead was `101`.')
  })

  it('refuses link URLs over 2,000 and equations over 1,000 characters', async () => {
    const link = await captureError(
      client.blocks.children.append({
        block_id: pageId,
        children: [{ paragraph: { rich_text: [{ text: { content: 'l', link: { url: `https://e.com/${'a'.repeat(2000)}` } } }] } }],
      }),
    )
    expect(link.message).toBe('body failed validation: body.children[0].paragraph.rich_text[0].text.link.url.length should be ≤ `2000`, instead was `2014`.')
    const equation = await captureError(
      client.blocks.children.append({
        block_id: pageId,
        children: [{ paragraph: { rich_text: [{ equation: { expression: 'x'.repeat(1001) } }] } }],
      }),
    )
    expect(equation.message).toBe('body failed validation: body.children[0].paragraph.rich_text[0].equation.expression.length should be ≤ `1000`, instead was `1001`.')
  })

  it('applies to page properties', async () => {
    const db = notion.createDatabase({ parentId: freshPage('db'), title: 'rt', properties: { Name: { title: {} } } })
    const error = await captureError(
      client.pages.create({ parent: { data_source_id: db.dataSourceId }, properties: { Name: { title: text('x'.repeat(2001)) } } }),
    )
    expect(error.message).toBe('body failed validation: body.properties.Name.title[0].text.content.length should be ≤ `2000`, instead was `2001`.')
  })
})

describe('unknown and response-only keys', () => {
  it('refuses archived inside appended children (as Notion now does)', async () => {
    const error = await captureError(
      client.blocks.children.append({
        block_id: pageId,
        children: [{ paragraph: { rich_text: text('x') }, archived: false } as unknown as BlockObjectRequest],
      }),
    )
    expect(error.message).toBe('body failed validation: body.children[0].archived should be not present, instead was `false`.')
  })

  it('refuses response-only keys copied from an answer (id, has_children, plain_text)', async () => {
    const withId = await captureError(
      client.blocks.children.append({
        block_id: pageId,
        children: [{ id: '59833787-2cf9-4fdf-8782-e53db20768a5', paragraph: { rich_text: text('x') } } as unknown as BlockObjectRequest],
      }),
    )
    expect(withId.message).toBe('body failed validation: body.children[0].id should be not present, instead was `"59833787-2cf9-4fdf-8782-e53db20768a5"`.')
    const plain = await captureError(
      client.blocks.children.append({
        block_id: pageId,
        children: [{ paragraph: { rich_text: [{ text: { content: 'x' }, plain_text: 'x' }] } } as unknown as BlockObjectRequest],
      }),
    )
    expect(plain.message).toBe('body failed validation: body.children[0].paragraph.rich_text[0].plain_text should be not present, instead was `"x"`.')
  })

  it('refuses unknown keys in a type object and at the top level of a body', async () => {
    const inner = await captureError(
      client.blocks.children.append({
        block_id: pageId,
        children: [{ to_do: { rich_text: text('x'), done: true } } as unknown as BlockObjectRequest],
      }),
    )
    expect(inner.message).toBe('body failed validation: body.children[0].to_do.done should be not present, instead was `true`.')
    // The SDK drops unknown top-level params, so this one goes out raw.
    const raw = await sendRaw(notion, {
      method: 'PATCH', path: `/v1/blocks/${pageId}/children`, token, body: { children: [paragraph('x')], extra: 1 },
    })
    expect(raw.status).toBe(400)
    expect(raw.body).toMatchObject({ code: 'validation_error', message: 'body failed validation: body.extra should be not present, instead was `1`.' })
  })

  it('refuses unknown block types, listing what it would accept', async () => {
    const error = await captureError(
      client.blocks.children.append({ block_id: pageId, children: [{ type: 'sparkle', sparkle: {} } as unknown as BlockObjectRequest] }),
    )
    expect(error.code).toBe('validation_error')
    expect(error.message.startsWith('body failed validation. Fix one:\nbody.children[0].paragraph should be defined, instead was `undefined`.\n')).toBe(true)
    expect(error.message).toContain('body.children[0].to_do should be defined, instead was `undefined`.')
  })

  it('refuses a code block without a valid language and children of a divider', async () => {
    const language = await captureError(
      client.blocks.children.append({
        block_id: pageId, children: [{ code: { rich_text: text('x'), language: 'klingon' } } as unknown as BlockObjectRequest],
      }),
    )
    expect(language.message).toMatch(/^body failed validation: body\.children\[0\]\.code\.language should be `"abap"`, .* instead was `"klingon"`\.$/)
    const divider = await captureError(
      client.blocks.children.append({ block_id: pageId, children: [{ divider: { children: [] } } as unknown as BlockObjectRequest] }),
    )
    expect(divider.message).toBe('body failed validation: body.children[0].divider.children should be not present, instead was `[]`.')
  })

  it('requires properties on pages.create (Notion\'s documented example message)', async () => {
    const raw = await sendRaw(notion, { method: 'POST', path: '/v1/pages', token, body: { parent: { page_id: pageId } } })
    expect(raw.status).toBe(400)
    expect(raw.body.message).toBe('body failed validation: body.properties should be defined, instead was `undefined`.')
  })
})

describe('list page size', () => {
  it('refuses page_size over 100', async () => {
    const error = await captureError(client.blocks.children.list({ block_id: pageId, page_size: 101 }))
    expect(error).toMatchObject({ status: 400, code: 'validation_error', message: 'query failed validation: query.page_size should be ≤ `100`, instead was `101`.' })
    const db = notion.createDatabase({ parentId: freshPage('db'), title: 'ps', properties: { Name: { title: {} } } })
    const query = await captureError(client.dataSources.query({ data_source_id: db.dataSourceId, page_size: 500 }))
    expect(query.message).toBe('body failed validation: body.page_size should be ≤ `100`, instead was `500`.')
  })
})
