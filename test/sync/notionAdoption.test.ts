// Moving from the Python rmirror-cloud service: the database already holds a page for a notebook
// (its `UUID` property is the notebook's uuid). The first sync finds it with one query, adopts it and
// rewrites its body under our layout — one page per notebook, never two — and never looks again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSyncHarness, flattenTree, type SyncHarness } from './syncHarness.ts'

let h: SyncHarness
beforeAll(async () => {
  h = await startSyncHarness()
})
afterAll(async () => {
  await h?.close()
})

const QUERY = 'POST /v1/data_sources/:id/query'

/** A page as the Python service left it: title, UUID, its own layout of blocks. */
function seedLegacyPage(uuid: string, title: string) {
  return h.notion.createPage({
    parentId: h.dataSourceId,
    title,
    properties: { UUID: { rich_text: [{ text: { content: uuid } }] }, Status: { select: { name: 'Synced' } } },
    children: [
      { type: 'heading_2', heading_2: { rich_text: [{ text: { content: 'Page 1 (rmirror python)' } }] } },
      { type: 'paragraph', paragraph: { rich_text: [{ text: { content: 'Old text of page one' } }] } },
      { type: 'to_do', to_do: { rich_text: [{ text: { content: 'Old todo' } }], checked: false } },
      { type: 'divider', divider: {} },
    ],
    shareWith: h.notionToken,
  })
}

/** The live pages of the database whose UUID is this notebook's. */
function pagesOf(uuid: string) {
  return h.notion.state().pages.filter((p) => !p.in_trash && JSON.stringify(p.properties).includes(`"${uuid}"`))
}

async function trashPage(pageId: string) {
  const res = await fetch(`${h.notion.url}/v1/pages/${pageId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${h.notionToken}`, 'notion-version': '2025-09-03', 'content-type': 'application/json' },
    body: JSON.stringify({ in_trash: true }),
  })
  expect(res.status).toBe(200)
}

describe('adopting a page made by the Python service', () => {
  it('finds the notebook page by UUID with one query, adopts it and rewrites its body under our layout', async () => {
    const legacy = seedLegacyPage('nb-legacy', 'Old title')
    const nb = await h.setNotebook('nb-legacy', ['p1', 'p2'], 'Legacy notebook')
    await h.setTexts('nb-legacy', { p1: 'First page\n- [ ] A task', p2: 'Second page' })
    h.notion.reset()
    expect(await h.sync(nb)).toMatchObject({ kind: 'done', failed: 0 })
    const stats = h.notion.stats()
    expect(stats.byEndpoint[QUERY]).toBe(1)
    expect(stats.byEndpoint['POST /v1/pages']).toBeUndefined()

    expect(pagesOf('nb-legacy').map((p) => p.id)).toEqual([legacy.id])
    expect(await h.notebookPageId(nb)).toBe(legacy.id)
    const page = pagesOf('nb-legacy')[0]
    expect(page.title).toBe('Legacy notebook')
    expect((page.properties as any).Status.select.name).toBe('Synced')
    const lines = flattenTree(h.notion.pageTree(legacy.id))
    expect(lines.join('\n')).not.toContain('rmirror python')
    expect(lines.join('\n')).not.toContain('Old')
    expect(lines.filter((l) => l.startsWith('heading_1: Page '))).toEqual(['heading_1: Page 1', 'heading_1: Page 2'])
    expect(lines).toContain('to_do: [ ] A task')
    const todo = await h.app.database.db.syncRecord.findFirstOrThrow({ where: { notebookUuid: 'nb-legacy', itemType: 'todo' } })
    expect(todo).toMatchObject({ status: 'success', externalId: expect.any(String) })
  })

  it('never looks again: later syncs cost what they cost before', async () => {
    const nb = await h.app.database.db.notebook.findFirstOrThrow({ where: { uuid: 'nb-legacy' } })
    await h.setTexts('nb-legacy', { p2: 'Second page, edited' })
    h.notion.reset()
    expect(await h.sync(nb.id)).toMatchObject({ kind: 'done' })
    expect(h.notion.stats().byEndpoint[QUERY]).toBeUndefined()
    expect(h.notion.stats().requests).toBe(2)
    h.notion.reset()
    expect(await h.sync(nb.id)).toMatchObject({ kind: 'done', requests: 0 })
  })

  it('a notebook with no page in the database costs one query, once, then gets its own page', async () => {
    const nb = await h.setNotebook('nb-new', ['p1'], 'New notebook')
    await h.setTexts('nb-new', { p1: 'Hello' })
    h.notion.reset()
    expect(await h.sync(nb)).toMatchObject({ kind: 'done' })
    expect(h.notion.stats().byEndpoint).toMatchObject({ [QUERY]: 1, 'POST /v1/pages': 1 })
    expect(pagesOf('nb-new')).toHaveLength(1)
    // The page deleted in Notion is written anew, without looking for another one.
    await trashPage(await h.notebookPageId(nb))
    await h.setTexts('nb-new', { p1: 'Hello again' })
    h.notion.reset()
    expect(await h.sync(nb)).toMatchObject({ kind: 'done' })
    expect(h.notion.stats().byEndpoint[QUERY]).toBeUndefined()
    expect(pagesOf('nb-new')).toHaveLength(1)
  })

  it('does not adopt a page in the trash', async () => {
    const trashed = seedLegacyPage('nb-trashed', 'Trashed')
    await trashPage(trashed.id)
    const nb = await h.setNotebook('nb-trashed', ['p1'], 'Trashed notebook')
    await h.setTexts('nb-trashed', { p1: 'Text' })
    expect(await h.sync(nb)).toMatchObject({ kind: 'done' })
    expect(await h.notebookPageId(nb)).not.toBe(trashed.id)
    expect(pagesOf('nb-trashed')).toHaveLength(1)
  })

  it('an adoption interrupted while clearing the old body finishes on the next run: one page, nothing old left', async () => {
    const legacy = seedLegacyPage('nb-interrupted', 'Interrupted')
    const nb = await h.setNotebook('nb-interrupted', ['p1'], 'Interrupted notebook')
    await h.setTexts('nb-interrupted', { p1: 'Body' })
    h.notion.reset()
    h.notion.faults.failNext(1, { status: 502, code: 'bad_gateway' as any, endpoint: 'DELETE /v1/blocks/:id' })
    expect(await h.sync(nb)).toMatchObject({ kind: 'retry' })
    h.notion.faults.clear()
    expect(await h.sync(nb, 2)).toMatchObject({ kind: 'done', failed: 0 })
    expect(pagesOf('nb-interrupted').map((p) => p.id)).toEqual([legacy.id])
    expect(flattenTree(h.notion.pageTree(legacy.id)).join('\n')).not.toContain('Old')
  })

  it('a dry run shows the adoption it would do, and writes nothing', async () => {
    const legacy = seedLegacyPage('nb-dry-adopt', 'Dry')
    const nb = await h.setNotebook('nb-dry-adopt', ['p1'], 'Dry adoption')
    await h.setTexts('nb-dry-adopt', { p1: 'Planned' })
    await h.app.database.db.integrationConfig.update({ where: { id: h.integrationId }, data: { settings: { dryRun: true } } })
    try {
      h.notion.reset()
      expect(await h.sync(nb)).toMatchObject({ kind: 'dry_run' })
      const preview = await h.app.database.db.syncPreview.findFirstOrThrow({ where: { notebookId: nb } })
      const plan = (preview.requests as { method: string; path: string }[]).map((r) => `${r.method} ${r.path.replace(legacy.id, 'LEGACY').replace(/[0-9a-f-]{36}|dry-run-\d+/g, ':id')}`)
      expect(plan).not.toContain('POST /v1/pages')
      expect(plan.filter((r) => r === 'DELETE /v1/blocks/:id')).toHaveLength(4)
      expect(plan).toContain('PATCH /v1/blocks/LEGACY/children')
      expect(flattenTree(h.notion.pageTree(legacy.id))).toContain('paragraph: Old text of page one')
    } finally {
      await h.app.database.db.integrationConfig.update({ where: { id: h.integrationId }, data: { settings: {} } })
    }
  })
})
