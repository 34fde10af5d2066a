// Sync state from both ends: a record leads to its item (SyncRecord.item), the viewer's records can be
// listed by target, status and notebook (viewer.syncRecords), and a target is named the same way
// everywhere (the IntegrationTarget enum); an unknown one is a validation error, not an empty answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { createSession } from '../../server/auth/sessions.ts'

const SyncRecordList = graphql(`
  query SyncRecordList($target: IntegrationTarget, $status: [SyncStatus!], $notebookId: ID, $first: Int, $after: String) {
    viewer {
      syncRecords(target: $target, status: $status, notebookId: $notebookId, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id target status errorMessage itemType
            item {
              __typename
              ... on Notebook { visibleName }
              ... on Page { uuid pageNumber }
              ... on Todo { text completed }
              ... on Highlight { text }
            }
          }
        }
      }
    }
  }
`)

const RecordNode = graphql(`query RecordNode($id: ID!) { node(id: $id) { ... on SyncRecord { target item { __typename } } } }`)
const Previews = graphql(`query Previews($notebookId: ID!) { syncPreview(notebookId: $notebookId) { target requestCount } }`)

const statements: string[] = []
let counting = false
let app: TestApp
let token: string
let otherToken: string
let userId: number
const ids: Record<string, number> = {}

async function post(query: string, variables: Record<string, unknown> = {}) {
  const res = await app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })
  return { status: res.status, json: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } }
}

beforeAll(async () => {
  app = await startTestApp({ db: { onQuery: (sql) => counting && statements.push(sql) } })
  const db = app.database.db
  const user = await db.user.create({ data: { email: 'records@example.com', passwordHash: 'x' } })
  const other = await db.user.create({ data: { email: 'someone-else@example.com', passwordHash: 'x' } })
  userId = user.id
  token = await createSession(db, user.id)
  otherToken = await createSession(db, other.id)
  const nb = await db.notebook.create({ data: { userId, uuid: 'nb-a', visibleName: 'Field notes', type: 'NOTEBOOK' } })
  const nb2 = await db.notebook.create({ data: { userId, uuid: 'nb-b', visibleName: 'Second', type: 'NOTEBOOK' } })
  const page = await db.page.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, uuid: 'page-a1', ocrStatus: 'completed' } })
  const gone = await db.page.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, uuid: 'page-a2', ocrStatus: 'completed' } })
  await db.notebookPage.create({ data: { notebookId: nb.id, pageId: page.id, pageNumber: 1 } })
  const todo = await db.todo.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, text: 'Call the vet', completed: true, contentHash: 't', fuzzySignature: 'call_the_vet', confusionKey: 'k' } })
  const hl = await db.highlight.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, originalText: 'a passage', originalTextHash: 'h', sourceFile: 'nb-a/page-a1', color: 'yellow', contentHash: 'hc' } })
  const page2 = await db.page.create({ data: { userId, notebookId: nb2.id, notebookUuid: nb2.uuid, uuid: 'page-b1', ocrStatus: 'completed' } })
  Object.assign(ids, { nb: nb.id, nb2: nb2.id, page: page.id, gone: gone.id, todo: todo.id, hl: hl.id, page2: page2.id })
  // Oldest change first; each record a second apart, so "newest change first" has one answer.
  const rows: [string, number, string, 'pending' | 'success' | 'failed' | 'retry', string | null][] = [
    ['notebook_metadata', nb.id, 'nb-a', 'success', null],
    ['page_text', page.id, 'nb-a', 'failed', 'Notion refused the section'],
    ['todo', todo.id, 'nb-a', 'pending', null],
    ['highlight', hl.id, 'nb-a', 'failed', 'Notion refused the callout'],
    ['page_text', gone.id, 'nb-a', 'retry', 'Notion answered 502'],
    ['page_text', page2.id, 'nb-b', 'failed', 'Notion refused the section'],
  ]
  for (const [i, [itemType, itemId, notebookUuid, status, errorMessage]] of rows.entries()) {
    const r = await db.syncRecord.create({ data: { userId, itemType, itemId: String(itemId), contentHash: `c${i}`, targetName: 'notion', status, errorMessage, notebookUuid, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) } })
    ids[`record${i}`] = r.id
  }
  // A record of a target the API does not name (left by a newer version, say) is not shown.
  await db.syncRecord.create({ data: { userId, itemType: 'highlight', itemId: String(hl.id), contentHash: 'rw', targetName: 'markdown', status: 'failed', notebookUuid: 'nb-a', updatedAt: new Date(Date.UTC(2026, 0, 2)) } })
  // The second page of notebook A is deleted since its record was written: the record's item is null.
  await db.page.delete({ where: { id: gone.id } })
  const integration = await db.integrationConfig.create({ data: { userId, targetName: 'notion', configEncrypted: 'x' } })
  await db.syncPreview.create({ data: { integrationId: integration.id, notebookId: nb.id, requests: [{ method: 'POST', path: '/v1/pages' }] } })
})
afterAll(async () => {
  await app?.close()
})

const list = (variables: Parameters<typeof app.gql<any, any>>[1] = {}, as = token) => app.gql(SyncRecordList, variables as any, as)
const nodesOf = (r: Awaited<ReturnType<typeof list>>) => (r.data as any).viewer.syncRecords.edges.map((e: any) => e.node)

describe('viewer.syncRecords', () => {
  it('lists every record of the caller, newest change first, each with its item (null once the item is gone)', async () => {
    const r = await list({ first: 10 })
    expect(r.errors).toBeUndefined()
    const nodes = nodesOf(r)
    expect((r.data as any).viewer.syncRecords.totalCount).toBe(6)
    expect(nodes.map((n: any) => [n.itemType, n.status, n.target, n.item])).toEqual([
      ['page_text', 'failed', 'NOTION', { __typename: 'Page', uuid: 'page-b1', pageNumber: null }],
      ['page_text', 'retry', 'NOTION', null],
      ['highlight', 'failed', 'NOTION', { __typename: 'Highlight', text: 'a passage' }],
      ['todo', 'pending', 'NOTION', { __typename: 'Todo', text: 'Call the vet', completed: true }],
      ['page_text', 'failed', 'NOTION', { __typename: 'Page', uuid: 'page-a1', pageNumber: 1 }],
      ['notebook_metadata', 'success', 'NOTION', { __typename: 'Notebook', visibleName: 'Field notes' }],
    ])
  })

  it('filters by status, by notebook and by target, and counts what it filters', async () => {
    const failed = await list({ status: ['failed'] })
    expect((failed.data as any).viewer.syncRecords.totalCount).toBe(3)
    expect(nodesOf(failed).map((n: any) => n.errorMessage)).toEqual(['Notion refused the section', 'Notion refused the callout', 'Notion refused the section'])
    const inA = await list({ status: ['failed', 'retry'], notebookId: encodeGlobalID('Notebook', ids.nb) })
    expect((inA.data as any).viewer.syncRecords.totalCount).toBe(3)
    expect(nodesOf(inA).map((n: any) => n.itemType)).toEqual(['page_text', 'highlight', 'page_text'])
    const notion = await list({ target: 'NOTION' })
    expect((notion.data as any).viewer.syncRecords.totalCount).toBe(6)
  })

  it('pages through with first / after', async () => {
    const first = await list({ first: 4 })
    const page1 = (first.data as any).viewer.syncRecords
    expect(page1.pageInfo.hasNextPage).toBe(true)
    const second = await list({ first: 4, after: page1.pageInfo.endCursor })
    const page2 = (second.data as any).viewer.syncRecords
    expect(page2.pageInfo.hasNextPage).toBe(false)
    expect([...page1.edges, ...page2.edges].map((e: any) => e.node.id)).toEqual(nodesOf(await list({ first: 10 })).map((n: any) => n.id))
  })

  it("answers nothing for another user's notebook, a malformed id, or another caller", async () => {
    expect((await list({ notebookId: encodeGlobalID('Notebook', ids.nb) }, otherToken)).data).toMatchObject({ viewer: { syncRecords: { totalCount: 0, edges: [] } } })
    expect((await list({ notebookId: 'not-an-id' })).data).toMatchObject({ viewer: { syncRecords: { totalCount: 0, edges: [] } } })
    expect((await list({}, otherToken)).data).toMatchObject({ viewer: { syncRecords: { totalCount: 0, edges: [] } } })
  })

  it('loads the items of 100 records of every kind in a fixed, small number of SQL statements', async () => {
    const db = app.database.db
    const nb = await db.notebook.create({ data: { userId, uuid: 'nb-many', visibleName: 'Many', type: 'NOTEBOOK' } })
    const pages = await db.page.createManyAndReturn({ data: Array.from({ length: 25 }, (_, i) => ({ userId, notebookId: nb.id, notebookUuid: nb.uuid, uuid: `many-${i}` })) })
    await db.notebookPage.createMany({ data: pages.map((p, i) => ({ notebookId: nb.id, pageId: p.id, pageNumber: i + 1 })) })
    const todos = await db.todo.createManyAndReturn({ data: pages.map((p, i) => ({ userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: p.id, pageNumber: i + 1, text: `todo ${i}`, contentHash: `mt${i}`, fuzzySignature: `todo_${i}`, confusionKey: `todo_${i}` })) })
    const hls = await db.highlight.createManyAndReturn({ data: pages.map((p, i) => ({ userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: p.id, pageNumber: i + 1, originalText: `passage ${i}`, originalTextHash: `mh${i}`, sourceFile: `nb-many/${p.uuid}`, color: 'yellow', contentHash: `mhc${i}` })) })
    const nbs = await db.notebook.createManyAndReturn({ data: Array.from({ length: 25 }, (_, i) => ({ userId, uuid: `nb-many-${i}`, visibleName: `Many ${i}`, type: 'NOTEBOOK' as const })) })
    // Interleaved, so any page of the list holds items of all four kinds.
    const items = pages.flatMap((p, i): [string, number][] => [['page_text', p.id], ['todo', todos[i].id], ['highlight', hls[i].id], ['notebook_metadata', nbs[i].id]])
    await db.syncRecord.createMany({ data: items.map(([itemType, itemId], i) => ({ userId, itemType, itemId: String(itemId), contentHash: `many${i}`, targetName: 'notion', status: 'failed' as const, notebookUuid: 'nb-many' })) })

    const count = async (first: number) => {
      await list({ first, status: ['failed'], notebookId: encodeGlobalID('Notebook', nb.id) }) // warm up (session last-used time)
      statements.length = 0
      counting = true
      const r = await list({ first, status: ['failed'], notebookId: encodeGlobalID('Notebook', nb.id) })
      counting = false
      expect(r.errors).toBeUndefined()
      expect(nodesOf(r)).toHaveLength(first)
      expect(nodesOf(r).every((n: any) => n.item !== null)).toBe(true)
      return statements.length
    }
    const forEight = await count(8)
    const forHundred = await count(100)
    console.log(`viewer.syncRecords with items: ${forEight} SQL statements for 8 records, ${forHundred} for 100`)
    expect(forHundred).toBe(forEight)
    // Request bookkeeping (rate limit, session, viewer) 3, the notebook 1, list and count 2, the
    // items 4 (one per table), the page numbers of the pages 1.
    expect(forHundred, statements.join('\n')).toBeLessThanOrEqual(11)
  })
})

describe('IntegrationTarget everywhere', () => {
  it('names the target of a record, a dry-run plan and a node the same way', async () => {
    const record = await app.gql(RecordNode, { id: encodeGlobalID('SyncRecord', ids.record1) }, token)
    expect(record.data?.node).toEqual({ target: 'NOTION', item: { __typename: 'Page' } })
    const previews = await app.gql(Previews, { notebookId: encodeGlobalID('Notebook', ids.nb) }, token)
    expect(previews.data?.syncPreview).toEqual([{ target: 'NOTION', requestCount: 1 }])
  })

  it('refuses an unknown target with a validation error, never an empty answer', async () => {
    for (const query of [
      'subscription { syncProgress(target: "NOTION") { total } }',
      'subscription { syncProgress(target: "notion") { total } }',
      'subscription { syncProgress(target: MARKDOWN) { total } }',
      'query { viewer { syncRecords(target: MARKDOWN) { totalCount } } }',
    ]) {
      const r = await post(query)
      expect(r.json.data, query).toBeUndefined()
      expect(r.json.errors?.[0].extensions?.code, query).toBe('GRAPHQL_VALIDATION_FAILED')
    }
    // Through a variable, the same: a request error that says what is wrong.
    const byVariable = await post('query($t: IntegrationTarget) { viewer { syncRecords(target: $t) { totalCount } } }', { t: 'notion' })
    expect(byVariable.json.data).toBeUndefined()
    expect(byVariable.json.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/Value "notion" does not exist in "IntegrationTarget" enum/), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })])
  })
})
