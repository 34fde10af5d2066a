// Writes Notion applied but whose answer never came back (a 504, a crash): the next run finds them
// instead of writing them again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSyncHarness, flattenTree, type SyncHarness } from './syncHarness.ts'

let h: SyncHarness
beforeAll(async () => {
  h = await startSyncHarness()
})
afterAll(async () => {
  await h?.close()
})

describe('crash recovery', () => {
  it('a notebook page created but answered 504 is found again by its UUID: one page, not two', async () => {
    const nb = await h.setNotebook('nb-504-page', ['a', 'b'], 'Created once')
    await h.setTexts('nb-504-page', { a: 'Page one', b: 'Page two' })
    h.notion.faults.timeoutAfterApply(1, 'POST /v1/pages')
    expect(await h.sync(nb)).toMatchObject({ kind: 'retry' })
    expect(h.notion.state().pages.filter((p: any) => p.title === 'Created once')).toHaveLength(1)
    h.notion.reset()
    expect(await h.sync(nb)).toMatchObject({ kind: 'done', failed: 0 })
    expect(h.notion.stats().byEndpoint['POST /v1/data_sources/:id/query']).toBe(1)
    expect(h.notion.stats().byEndpoint['POST /v1/pages']).toBeUndefined()
    const pages = h.notion.state().pages.filter((p: any) => p.title === 'Created once')
    expect(pages).toHaveLength(1)
    expect(flattenTree(h.notion.pageTree(pages[0].id)).slice(1)).toEqual(['heading_1: Page 1', 'paragraph: Page one', 'heading_1: Page 2', 'paragraph: Page two'])
  })

  it('blocks appended but answered 504 are adopted: no block twice', async () => {
    const nb = await h.setNotebook('nb-504-append', ['a', 'b', 'c'], 'Appended once')
    await h.setTexts('nb-504-append', { a: 'Alpha\n- [ ] Task alpha', b: 'Beta', c: 'Gamma' })
    h.notion.faults.timeoutAfterApply(1, 'PATCH /v1/blocks/:id/children')
    expect(await h.sync(nb)).toMatchObject({ kind: 'retry' })
    h.notion.reset()
    expect(await h.sync(nb)).toMatchObject({ kind: 'done', failed: 0 })
    // Recovery read the page once and appended nothing again.
    expect(h.notion.stats().byEndpoint['PATCH /v1/blocks/:id/children']).toBeUndefined()
    const pageId = await h.notebookPageId(nb)
    expect(flattenTree(h.notion.pageTree(pageId)).slice(1)).toEqual([
      'heading_1: Page 1', 'paragraph: Alpha', 'to_do: [ ] Task alpha', 'heading_1: Page 2', 'paragraph: Beta', 'heading_1: Page 3', 'paragraph: Gamma',
    ])
    const todo = await h.app.database.db.syncRecord.findFirstOrThrow({ where: { notebookUuid: 'nb-504-append', itemType: 'todo' } })
    expect(h.notion.pageTree(pageId).find((b: any) => b.type === 'to_do')!.id).toBe(todo.externalId)
  })
})
