// Notion's first sync: every page, todo and highlight lands as real blocks, in order, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSyncHarness, flattenTree, type SyncHarness } from './syncHarness.ts'

let h: SyncHarness
beforeAll(async () => {
  h = await startSyncHarness()
})
afterAll(async () => {
  await h?.close()
})

const longLine = 'A very long line of handwriting that keeps going. '.repeat(90).trim() // ~4,500 characters

const VARIED = [
  '# Meeting notes',
  'Paragraph with **bold** and *italic* and a [link](https://example.com).',
  'A second line of the same paragraph.',
  '',
  '- first bullet',
  '  - nested bullet',
  '    - deeper bullet',
  '      - deepest bullet',
  '- second bullet',
  '',
  '1. one',
  '2. two',
  '',
  '- [ ] Call Bob about the budget',
  '- [x] Send the report',
  '',
  '> a quoted line',
  '',
  '```js',
  'const x = 1',
  '```',
  '',
  '---',
  '',
  longLine,
].join('\n')

describe('first sync to Notion', () => {
  it('writes one page per notebook with its properties, each reMarkable page a section of real blocks in order', async () => {
    const nb = await h.setNotebook('nb-varied', ['p1', 'p2'], 'Varied notebook', { tags: ['work', 'ideas'] })
    await h.setTexts('nb-varied', { p1: VARIED, p2: 'Second page\n- [ ] Buy milk' })
    h.notion.reset()
    const outcome = await h.sync(nb)
    expect(outcome).toMatchObject({ kind: 'done', failed: 0 })

    const pageId = await h.notebookPageId(nb)
    const page = h.notion.state().pages.find((p: any) => p.id === pageId) as any
    expect(page.title).toBe('Varied notebook')
    expect(page.properties.UUID.rich_text[0].plain_text).toBe('nb-varied')
    expect(page.properties.Pages.number).toBe(2)
    expect(page.properties.Status.select.name).toBe('Synced')
    expect(page.properties.Tags.multi_select.map((t: any) => t.name).sort()).toEqual(['ideas', 'work'])

    const lines = flattenTree(h.notion.pageTree(pageId))
    expect(lines).toEqual([
      expect.stringMatching(/^paragraph: Mirrored from reMarkable/),
      'heading_1: Page 1',
      'heading_1: Meeting notes',
      'paragraph: Paragraph with bold and italic and a link.\nA second line of the same paragraph.',
      'bulleted_list_item: first bullet',
      '  bulleted_list_item: nested bullet',
      '    bulleted_list_item: deeper bullet',
      '      bulleted_list_item: deepest bullet',
      'bulleted_list_item: second bullet',
      'numbered_list_item: one',
      'numbered_list_item: two',
      'to_do: [ ] Call Bob about the budget',
      'to_do: [x] Send the report',
      'quote: a quoted line',
      'code: const x = 1',
      'divider: ',
      `paragraph: ${longLine}`,
      'heading_1: Page 2',
      'paragraph: Second page',
      'to_do: [ ] Buy milk',
    ])
    // Long lines are whole: split across rich-text items, never cut.
    const tree = h.notion.pageTree(pageId)
    const long = tree.find((b: any) => b.text === longLine) as any
    expect(long.content.rich_text.length).toBeGreaterThan(2)
    expect(h.notion.stats().retryAfterViolations).toBe(0)
  })

  it('points every todo at its to_do block and every item at success', async () => {
    const nb = await h.app.database.db.notebook.findFirstOrThrow({ where: { uuid: 'nb-varied' } })
    const pageId = await h.notebookPageId(nb.id)
    const todoBlocks = new Map(h.notion.pageTree(pageId).filter((b: any) => b.type === 'to_do').map((b: any) => [b.text, b.id]))
    const todos = await h.app.database.db.todo.findMany({ where: { notebookId: nb.id } })
    const records = await h.app.database.db.syncRecord.findMany({ where: { userId: h.user.id, notebookUuid: 'nb-varied' } })
    for (const t of todos) {
      const r = records.find((x) => x.itemType === 'todo' && x.itemId === String(t.id))!
      expect(r).toMatchObject({ status: 'success', externalId: todoBlocks.get(t.text) })
    }
    expect(records.every((r) => r.status === 'success')).toBe(true)
  })

  it('an unchanged notebook costs no request', async () => {
    const nb = await h.app.database.db.notebook.findFirstOrThrow({ where: { uuid: 'nb-varied' } })
    h.notion.reset()
    expect(await h.sync(nb.id)).toMatchObject({ kind: 'done', requests: 0 })
    expect(h.notion.stats().requests).toBe(0)
  })

  it('packs a 30-page notebook of ~30 blocks per page into at most 12 requests, reads included', async () => {
    const uuids = Array.from({ length: 30 }, (_, i) => `big-${i + 1}`)
    const nb = await h.setNotebook('nb-big', uuids, 'Big notebook')
    const texts: Record<string, string> = {}
    for (const [i, uuid] of uuids.entries()) {
      const lines: string[] = [`## Topic ${i + 1}`]
      for (let k = 0; k < 20; k++) lines.push(`Line ${k} of page ${i + 1}: some handwriting turned into text, about eighty chars.`, '')
      lines.push(`- [ ] Task ${i + 1}a`, `- [x] Task ${i + 1}b`, '- point one', '  - detail one', '- point two', '  - detail two', '- point three')
      texts[uuid] = lines.join('\n')
    }
    await h.setTexts('nb-big', texts)
    h.notion.reset()
    const outcome = await h.sync(nb)
    const stats = h.notion.stats()
    console.log(`first sync of 30 pages × ~30 blocks: ${stats.requests} requests`, stats.byEndpoint)
    expect(outcome).toMatchObject({ kind: 'done', failed: 0 })
    expect(stats.requests).toBeLessThanOrEqual(12)
    // Reads included: the one search of the database for a page of this notebook made elsewhere.
    expect(stats.byEndpoint['POST /v1/data_sources/:id/query']).toBe(1)
    const pageId = await h.notebookPageId(nb)
    const lines = flattenTree(h.notion.pageTree(pageId))
    expect(lines.filter((l) => l.startsWith('heading_1: Page '))).toHaveLength(30)
    expect(lines.filter((l) => l.startsWith('to_do:'))).toHaveLength(60)
    const todos = await h.app.database.db.syncRecord.findMany({ where: { notebookUuid: 'nb-big', itemType: 'todo' } })
    expect(todos.every((t) => t.status === 'success' && t.externalId)).toBe(true)
  })
})
