// No N+1: a notebook view with 200 pages and 300 todos, each with its sync records, is a fixed,
// small number of SQL statements.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { createSession } from '../../server/auth/sessions.ts'

const NotebookView = graphql(`
  query NotebookView($id: ID!) {
    node(id: $id) {
      ... on Notebook {
        id uuid visibleName folderPath tags pageCount
        pages(first: 200) {
          totalCount
          edges { node { id uuid pageNumber ocrStatus ocrError textReadyAt syncRecords { target status errorMessage syncedAt } } }
        }
        todos(first: 300) {
          totalCount
          edges { node { id text completed pageNumber syncRecords { target status errorMessage } } }
        }
      }
    }
  }
`)

const statements: string[] = []
let counting = false
let app: TestApp
let notebookId: string
let token: string

beforeAll(async () => {
  app = await startTestApp({ db: { onQuery: (sql) => counting && statements.push(sql) } })
  const db = app.database.db
  const user = await db.user.create({ data: { email: 'reader@example.com', passwordHash: 'x' } })
  token = await createSession(db, user.id)
  const nb = await db.notebook.create({ data: { userId: user.id, uuid: 'nb-big', visibleName: 'Big', type: 'NOTEBOOK', tags: ['work'] } })
  notebookId = encodeGlobalID('Notebook', nb.id)
  const pageRows = await db.page.createManyAndReturn({
    data: Array.from({ length: 200 }, (_, i) => ({ userId: user.id, notebookId: nb.id, notebookUuid: 'nb-big', uuid: `p-${i}`, ocrStatus: 'completed' as const })),
  })
  await db.notebookPage.createMany({ data: pageRows.map((p, i) => ({ notebookId: nb.id, pageId: p.id, pageNumber: i + 1 })) })
  const todoRows = await db.todo.createManyAndReturn({
    data: Array.from({ length: 300 }, (_, i) => ({
      userId: user.id, notebookId: nb.id, notebookUuid: 'nb-big', pageId: pageRows[i % 200].id, pageNumber: (i % 200) + 1,
      text: `todo ${i}`, contentHash: `c${i}`, fuzzySignature: `todo_${i}`, confusionKey: `todo_${i}`,
    })),
  })
  await db.syncRecord.createMany({
    data: [
      ...pageRows.map((p, i) => ({ userId: user.id, itemType: 'page_text', itemId: String(p.id), contentHash: `p${i}`, targetName: 'notion', status: 'success' as const, notebookUuid: 'nb-big' })),
      ...todoRows.map((t, i) => ({ userId: user.id, itemType: 'todo', itemId: String(t.id), contentHash: `t${i}`, targetName: 'notion', status: 'pending' as const, notebookUuid: 'nb-big' })),
    ],
  })
})
afterAll(async () => {
  await app?.close()
})

describe('notebook view', () => {
  it('loads 200 pages and 300 todos with their sync records in at most 6 SQL statements', async () => {
    // Warm up once (session last-used time, prepared statements), then count a second view.
    await app.gql(NotebookView, { id: notebookId }, token)
    statements.length = 0
    counting = true
    const r = await app.gql(NotebookView, { id: notebookId }, token)
    counting = false
    expect(r.errors).toBeUndefined()
    const nb = r.data?.node as any
    expect(nb.pages.edges).toHaveLength(200)
    expect(nb.pages.edges.map((e: any) => e.node.pageNumber)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    expect(nb.pages.edges[0].node.syncRecords).toEqual([expect.objectContaining({ target: 'NOTION', status: 'success' })])
    expect(nb.todos.edges).toHaveLength(300)
    expect(nb.todos.edges[299].node.syncRecords).toEqual([expect.objectContaining({ target: 'NOTION', status: 'pending' })])
    console.log(`notebook view: ${statements.length} SQL statements`)
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(6)
  })
})
