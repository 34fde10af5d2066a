// Per-row aggregates (issue 15 item 5): Notebook.pageCount asked under every page of a list is
// counted once per notebook, not once per row, and priced in the query limiter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'graphql'
import { schema } from '../../server/schema/index.ts'
import { measureOperations } from '../../server/http/queryLimits.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'

const QUERY = `{ viewer { notebooks(first: 1) { edges { node { pages(first: 20) { edges { node { notebook { pageCount } } } } } } } } }`

let app: TestApp
let token: string
const statements: string[] = []
beforeAll(async () => {
  app = await startTestApp({ db: { onQuery: (sql) => void statements.push(sql) } })
  const user = await app.database.db.user.create({ data: { email: 'aggregate@example.com', passwordHash: 'x' } })
  token = await createSession(app.database.db, user.id)
  const pageUuids = Array.from({ length: 2000 }, (_, i) => `p-${i}`)
  await syncNotebookMetadata(app.database.db, user.id, [{ uuid: 'big', visibleName: 'Big', type: 'NOTEBOOK', pageUuids }])
})
afterAll(async () => {
  await app?.close()
})

describe('Notebook.pageCount under a list of pages', () => {
  it('counts the notebook’s pages once, not once per page row', async () => {
    statements.length = 0
    const res = await app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY }) })
    const json = (await res.json()) as any
    expect(json.errors).toBeUndefined()
    const rows = json.data.viewer.notebooks.edges[0].node.pages.edges
    expect(rows).toHaveLength(20)
    for (const row of rows) expect(row.node.notebook.pageCount).toBe(2000)
    // One grouped count for the notebook; before, a count per page row inside the list's statement
    // (every page of the notebook read once per page: 4 million rows here, 100 million at 10,000 pages).
    const counting = statements.filter((sql) => /count\(/i.test(sql) && /notebook_pages/i.test(sql))
    expect(counting).toHaveLength(1)
    expect(counting[0]).toMatch(/group by/i)
  })

  it('is priced as an aggregate in the limiter, more than a plain field', () => {
    const [withCount] = measureOperations(schema, parse(QUERY), undefined, {})
    const [withId] = measureOperations(schema, parse(QUERY.replace('pageCount', 'id')), undefined, {})
    expect(withCount.cost).toBeGreaterThan(withId.cost)
  })
})
