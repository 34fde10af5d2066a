// Notion updates in place: a changed page touches only its own section, with as few requests as the
// change needs; moved, inserted and removed pages; renames; todo ticks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSyncHarness, flattenTree, type SyncHarness } from './syncHarness.ts'

let h: SyncHarness
let nb: number
let pageId: string
const uuids = Array.from({ length: 30 }, (_, i) => `inc-${i + 1}`)
const textOf = (i: number) => [`## Topic ${i}`, `First line of page ${i}.`, '', `Second paragraph of page ${i}.`, '', `- [ ] Task ${i}`, '- point', '  - detail'].join('\n')

beforeAll(async () => {
  h = await startSyncHarness()
  nb = await h.setNotebook('nb-inc', uuids, 'Incremental')
  await h.setTexts('nb-inc', Object.fromEntries(uuids.map((u, i) => [u, textOf(i + 1)])))
  await h.sync(nb)
  pageId = await h.notebookPageId(nb)
})
afterAll(async () => {
  await h?.close()
})

async function measure(change: () => Promise<unknown>) {
  await change()
  h.notion.reset()
  const outcome = await h.sync(nb)
  expect(outcome).toMatchObject({ kind: 'done', failed: 0 })
  return h.notion.stats()
}

const tree = () => flattenTree(h.notion.pageTree(pageId))

describe('incremental sync', () => {
  it('a one-line edit costs at most 2 requests and touches only that block', async () => {
    const before = h.notion.pageTree(pageId)
    const stats = await measure(() => h.setTexts('nb-inc', { 'inc-5': textOf(5).replace('First line of page 5.', 'First line of page 5, edited.') }))
    console.log('one-line edit:', stats.requests, stats.byEndpoint)
    expect(stats.requests).toBeLessThanOrEqual(2)
    expect(tree()).toContain('paragraph: First line of page 5, edited.')
    // Every other block kept its id (comments on them stay).
    const after = h.notion.pageTree(pageId)
    const changed = after.filter((b: any, i: number) => b.id !== before[i].id)
    expect(changed).toHaveLength(0)
  })

  it('a todo ticked on the tablet flips its to_do with one update (≤ 2 requests)', async () => {
    const todo = await h.app.database.db.todo.findFirstOrThrow({ where: { notebookId: nb, text: 'Task 7' } })
    const record = await h.app.database.db.syncRecord.findFirstOrThrow({ where: { itemType: 'todo', itemId: String(todo.id) } })
    const stats = await measure(() => h.setTexts('nb-inc', { 'inc-7': textOf(7).replace('- [ ] Task 7', '- [x] Task 7') }))
    console.log('todo tick:', stats.requests, stats.byEndpoint)
    expect(stats.requests).toBeLessThanOrEqual(2)
    const block = h.notion.pageTree(pageId).find((b: any) => b.id === record.externalId) as any
    expect(block.content.checked).toBe(true)
    const after = await h.app.database.db.syncRecord.findFirstOrThrow({ where: { id: record.id } })
    expect(after).toMatchObject({ status: 'success', externalId: record.externalId })
  })

  it('a page inserted in the middle lands at its place, later headings renumbered', async () => {
    const order = [...uuids.slice(0, 15), 'inc-new', ...uuids.slice(15)]
    const stats = await measure(async () => {
      await h.setNotebook('nb-inc', order, 'Incremental')
      await h.setTexts('nb-inc', { 'inc-new': 'A page inserted in the middle\n- [ ] New task' })
    })
    console.log('page inserted in the middle of 30:', stats.requests, stats.byEndpoint)
    const headings = tree().filter((l) => l.startsWith('heading_1: Page '))
    expect(headings).toEqual(Array.from({ length: 31 }, (_, i) => `heading_1: Page ${i + 1}`))
    const lines = tree()
    const at = lines.indexOf('heading_1: Page 16')
    expect(lines[at + 1]).toBe('paragraph: A page inserted in the middle')
    expect(lines[at - 1]).toMatch(/detail/)
  })

  it('a page removed from the notebook: its section goes', async () => {
    const order = uuids.filter((u) => u !== 'inc-2')
    await measure(() => h.setNotebook('nb-inc', [...order.slice(0, 14), 'inc-new', ...order.slice(14)], 'Incremental'))
    const lines = tree()
    expect(lines.filter((l) => l.startsWith('heading_1: Page '))).toHaveLength(30)
    expect(lines.some((l) => l.includes('page 2.'))).toBe(false)
    expect(lines.filter((l) => l === 'paragraph: First line of page 3.')).toHaveLength(1)
  })

  it('a page moved to another place is rewritten there, once', async () => {
    const current = (await h.app.database.db.page.findMany({ where: { notebookId: nb, notebookPage: { isNot: null } }, include: { notebookPage: true } }))
      .sort((a, b) => a.notebookPage!.pageNumber - b.notebookPage!.pageNumber)
      .map((p) => p.uuid)
    const moved = [current[9], ...current.filter((_, i) => i !== 9)]
    await measure(() => h.setNotebook('nb-inc', moved, 'Incremental'))
    const lines = tree()
    expect(lines[1]).toBe('heading_1: Page 1')
    expect(lines[3]).toBe(`paragraph: First line of page ${current[9].replace('inc-', '')}.`)
    for (const i of [1, 3, 4, 11, 30]) expect(lines.filter((l) => l === `paragraph: First line of page ${i}.`)).toHaveLength(1)
  })

  it('a rename or move updates properties only (1 request)', async () => {
    const current = (await h.app.database.db.page.findMany({ where: { notebookId: nb, notebookPage: { isNot: null } }, include: { notebookPage: true } }))
      .sort((a, b) => a.notebookPage!.pageNumber - b.notebookPage!.pageNumber)
      .map((p) => p.uuid)
    const stats = await measure(() => h.setNotebook('nb-inc', current, 'Renamed notebook'))
    console.log('rename:', stats.requests, stats.byEndpoint)
    expect(stats.requests).toBe(1)
    const page = h.notion.state().pages.find((p: any) => p.id === pageId) as any
    expect(page.title).toBe('Renamed notebook')
  })
})
