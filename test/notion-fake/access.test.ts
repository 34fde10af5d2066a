import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APIResponseError } from '@notionhq/client'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { captureError, makeClient, paragraph, sendRaw, text } from './helpers.ts'

// Authentication, the Notion-Version header, sharing and capabilities, and malformed requests.

let notion: NotionFake
let token: string
let pageId: string

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  ;({ token } = notion.addIntegration({ name: 'Main' }))
  pageId = notion.createPage({ title: 'Shared', shareWith: token, children: [paragraph('hello')] }).id
})

afterAll(async () => {
  await notion.close()
})

describe('authentication and version', () => {
  it('answers 401 unauthorized for an unknown token', async () => {
    const error = await captureError(makeClient(notion, 'ntn_not_a_token').users.me({}))
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'API token is invalid.' })
    const none = await sendRaw(notion, { method: 'GET', path: '/v1/users/me' })
    expect(none.status).toBe(401)
    expect(none.body).toMatchObject({ object: 'error', status: 401, code: 'unauthorized' })
  })

  it('answers 400 missing_version without a Notion-Version header', async () => {
    const answer = await sendRaw(notion, { method: 'GET', path: '/v1/users/me', token, version: null })
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({
      object: 'error',
      status: 400,
      code: 'missing_version',
      message: 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
      request_id: answer.headers.get('x-notion-request-id'),
    })
  })

  it('refuses versions other than 2025-09-03, saying the fake serves only that one', async () => {
    const answer = await sendRaw(notion, { method: 'GET', path: '/v1/users/me', token, version: '2022-06-28' })
    expect(answer.status).toBe(400)
    expect(answer.body.message).toContain('2025-09-03')
  })
})

describe('sharing', () => {
  it('answers 404 object_not_found for objects not shared with the integration', async () => {
    const { token: other } = notion.addIntegration({ name: 'Other' })
    const error = await captureError(makeClient(notion, other).blocks.children.list({ block_id: pageId }))
    expect(error).toMatchObject({
      status: 404,
      code: 'object_not_found',
      message: `Could not find block with ID: ${pageId}. Make sure the relevant pages and databases are shared with your integration.`,
    })
    const page = await captureError(makeClient(notion, other).pages.retrieve({ page_id: pageId }))
    expect(page.message).toBe(`Could not find page with ID: ${pageId}. Make sure the relevant pages and databases are shared with your integration.`)
    expect(page.body.request_id).toBe(page.headers.get('x-notion-request-id'))
  })

  it('reaches descendants of a shared page, and share() opens an object later', async () => {
    const { token: later } = notion.addIntegration({ name: 'Later' })
    const client = makeClient(notion, later)
    const child = notion.createPage({ parentId: pageId, title: 'Child' }).id
    expect((await captureError(client.pages.retrieve({ page_id: child }))).status).toBe(404)
    notion.share(pageId, later)
    expect(await client.pages.retrieve({ page_id: child })).toMatchObject({ id: child })
  })

  it('shares pages an integration creates with it', async () => {
    const client = makeClient(notion, token)
    const created = await client.pages.create({ parent: { page_id: pageId }, properties: { title: { title: text('Mine') } } })
    expect(notion.state().integrations.find((i) => i.name === 'Main')?.shared).toContain(created.id)
  })

  it('finds a database for its data source parent only when shared', async () => {
    const db = notion.createDatabase({ title: 'Hidden', properties: { Name: { title: {} } } })
    const error = await captureError(makeClient(notion, token).dataSources.query({ data_source_id: db.dataSourceId }))
    expect(error).toMatchObject({ status: 404, code: 'object_not_found' })
  })
})

describe('capabilities', () => {
  it('answers 403 restricted_resource when a read-only integration writes', async () => {
    const { token: reader } = notion.addIntegration({ name: 'Reader', capabilities: { read: true, insert: false, update: false } })
    notion.share(pageId, reader)
    const client = makeClient(notion, reader)
    const before = (await client.blocks.children.list({ block_id: pageId })).results
    expect(before[0]).toMatchObject({ type: 'paragraph' })
    const append = await captureError(client.blocks.children.append({ block_id: pageId, children: [paragraph('x')] }))
    expect(append).toMatchObject({ status: 403, code: 'restricted_resource', message: 'Insufficient permissions for this endpoint.' })
    const update = await captureError(client.pages.update({ page_id: pageId, in_trash: true }))
    expect(update.status).toBe(403)
    expect((await client.blocks.children.list({ block_id: pageId })).results).toEqual(before)
    expect(await client.pages.retrieve({ page_id: pageId })).toMatchObject({ in_trash: false })
  })

  it('answers writes of an integration without read content with only { object, id }', async () => {
    const { token: writer } = notion.addIntegration({ name: 'Writer', capabilities: { read: false, insert: true, update: true } })
    notion.share(pageId, writer)
    const client = makeClient(notion, writer)
    const page = await client.pages.create({ parent: { page_id: pageId }, properties: { title: { title: text('blind') } } })
    expect(Object.keys(page).sort()).toEqual(['id', 'object', 'request_id'])
    const read = await captureError(client.pages.retrieve({ page_id: page.id }))
    expect(read.status).toBe(403)
  })
})

describe('malformed requests', () => {
  it('accepts ids without dashes in paths and answers them dashed', async () => {
    const block = await makeClient(notion, token).blocks.retrieve({ block_id: pageId.replace(/-/g, '') })
    expect(block.id).toBe(pageId)
  })

  it('refuses a path id that is no UUID', async () => {
    const error = await captureError(makeClient(notion, token).blocks.retrieve({ block_id: 'not-an-id' }))
    expect(error).toMatchObject({
      status: 400, code: 'validation_error', message: 'path failed validation: path.block_id should be a valid uuid, instead was `"not-an-id"`.',
    })
  })

  it('answers invalid_json, invalid_request_url and invalid_request', async () => {
    const json = await sendRaw(notion, { method: 'POST', path: '/v1/search', token, body: '{"query":' })
    expect(json.body).toMatchObject({ status: 400, code: 'invalid_json', message: 'Error parsing JSON body.' })
    const url = await sendRaw(notion, { method: 'GET', path: '/v1/nothing/here', token })
    expect(url.body).toMatchObject({ status: 400, code: 'invalid_request_url', message: 'Invalid request URL' })
    const method = await sendRaw(notion, { method: 'DELETE', path: '/v1/search', token })
    expect(method.body).toMatchObject({ status: 400, code: 'invalid_request', message: 'Unsupported request: DELETE /v1/search.' })
  })

  it('surfaces codes the SDK knows as APIResponseError with the request id', async () => {
    try {
      await makeClient(notion, token).pages.retrieve({ page_id: '00000000-0000-0000-0000-000000000000' })
      throw new Error('expected a 404')
    } catch (error) {
      expect(APIResponseError.isAPIResponseError(error)).toBe(true)
      expect((error as APIResponseError).code).toBe('object_not_found')
      expect((error as APIResponseError).request_id).toMatch(/^[0-9a-f-]{36}$/)
    }
  })
})
