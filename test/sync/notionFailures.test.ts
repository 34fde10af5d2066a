// How the sync meets failure: a request Notion refuses fails its own section only; transient
// failures past the attempt limit wait for the probe; retrySync; dry run; things the user deleted in
// Notion are written anew; deleted notebooks are cleaned up or marked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSyncHarness, flattenTree, type SyncHarness } from './syncHarness.ts'
import { graphql } from '../gql/index.ts'
import { probeIntegration } from '../../server/sync/probeIntegration.ts'
import { runCleanup } from '../../server/sync/runCleanup.ts'
import { deleteNotebook } from '../../server/library/deleteNotebook.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'

const RetrySync = graphql(`mutation RetrySyncOp($input: RetrySyncInput!) { retrySync(input: $input) { __typename ... on SyncRecord { status } ... on Error { code } } }`)
const Preview = graphql(`query SyncPreviewOp($id: ID!) { syncPreview(notebookId: $id) { requestCount requests target } }`)

let h: SyncHarness
beforeAll(async () => {
  h = await startSyncHarness()
})
afterAll(async () => {
  await h?.close()
})

const records = (notebookUuid: string) => h.app.database.db.syncRecord.findMany({ where: { notebookUuid }, orderBy: { id: 'asc' } })
const setting = (data: object) => h.app.database.db.integrationConfig.update({ where: { id: h.integrationId }, data: { settings: data } })

describe('sync failures', () => {
  it('a section Notion refuses fails alone, with Notion’s message; the rest of the notebook goes through', async () => {
    const nb = await h.setNotebook('nb-poison', ['a', 'b', 'c'], 'Poisoned')
    await h.setTexts('nb-poison', { a: 'Page A is fine', b: 'Page B carries POISON', c: 'Page C is fine' })
    h.notion.faults.failNext(50, { status: 400, code: 'validation_error', message: 'body failed validation: poisoned', match: (r) => r.bodyText.includes('POISON') })
    const outcome = await h.sync(nb)
    expect(outcome).toMatchObject({ kind: 'done', failed: 1 })
    const pageId = await h.notebookPageId(nb)
    const lines = flattenTree(h.notion.pageTree(pageId))
    expect(lines.filter((l) => l.startsWith('paragraph: Page'))).toEqual(['paragraph: Page A is fine', 'paragraph: Page C is fine'])
    const page = h.notion.state().pages.find((p: any) => p.id === pageId) as any
    expect(page.properties.Status.select.name).toBe('Error')
    const b = await h.app.database.db.page.findFirstOrThrow({ where: { uuid: 'b', notebook: { uuid: 'nb-poison' } } })
    const failed = (await records('nb-poison')).filter((r) => r.status === 'failed')
    expect(failed).toEqual([expect.objectContaining({ itemType: 'page_text', itemId: String(b.id), errorMessage: 'body failed validation: poisoned', failureKind: 'permanent' })])

    // The user fixes nothing but Notion changes its mind: retrySync queues it again, and it lands at its place.
    h.notion.faults.clear()
    const r = await h.app.gql(RetrySync, { input: { id: encodeGlobalID('SyncRecord', failed[0].id) } }, h.user.session)
    expect(r.data?.retrySync).toEqual({ __typename: 'SyncRecord', status: 'pending' })
    const job = await h.app.database.query(`select key from graphile_worker._private_jobs where key = $1`, [`sync_notebook:${h.integrationId}:${nb}`])
    expect(job.rowCount).toBe(1)
    expect(await h.sync(nb)).toMatchObject({ kind: 'done', failed: 0 })
    expect(flattenTree(h.notion.pageTree(pageId)).filter((l) => l.startsWith('paragraph: Page'))).toEqual(['paragraph: Page A is fine', 'paragraph: Page B carries POISON', 'paragraph: Page C is fine'])
    expect((await records('nb-poison')).every((x) => x.status === 'success')).toBe(true)
  })

  it('past the attempt limit, transient failures wait; the probe queues them again once Notion answers', async () => {
    const nb = await h.setNotebook('nb-down', ['a'], 'Notion down')
    await h.setTexts('nb-down', { a: 'Written while Notion was down' })
    h.notion.faults.failNext(1000, { status: 503, code: 'service_unavailable' })
    expect(await h.sync(nb, 3)).toMatchObject({ kind: 'retry' })
    expect((await records('nb-down')).every((r) => r.status === 'retry' && r.failureKind === 'transient')).toBe(true)
    expect(await h.sync(nb, 8)).toMatchObject({ kind: 'failed', transient: true })
    expect((await records('nb-down')).every((r) => r.status === 'failed' && r.failureKind === 'transient')).toBe(true)
    expect(await probeIntegration(h.deps, h.integrationId)).toMatchObject({ kind: 'still_down' })
    h.notion.faults.clear()
    expect(await probeIntegration(h.deps, h.integrationId)).toMatchObject({ kind: 'requeued', notebooks: 1 })
    expect((await records('nb-down')).every((r) => r.status === 'pending')).toBe(true)
    expect(await h.sync(nb)).toMatchObject({ kind: 'done', failed: 0 })
    expect((await records('nb-down')).every((r) => r.status === 'success')).toBe(true)
  })

  it('a revoked token fails the items for the user to act on; the probe leaves them alone', async () => {
    const nb = await h.setNotebook('nb-revoked', ['a'], 'Revoked')
    await h.setTexts('nb-revoked', { a: 'Text' })
    h.notion.faults.failNext(1, { status: 401, code: 'unauthorized' })
    expect(await h.sync(nb)).toMatchObject({ kind: 'failed' })
    const rs = await records('nb-revoked')
    expect(rs.every((r) => r.status === 'failed' && r.failureKind === 'permanent' && /reconnect/i.test(r.errorMessage ?? ''))).toBe(true)
    h.notion.faults.clear()
    expect(await h.sync(nb)).toMatchObject({ kind: 'done' })
  })

  it('dry run records the exact requests as a preview and never success', async () => {
    const nb = await h.setNotebook('nb-dry', ['a', 'b'], 'Dry run')
    await h.setTexts('nb-dry', { a: 'First page\n- [ ] A task', b: 'Second page' })
    await setting({ dryRun: true })
    try {
      h.notion.reset()
      expect(await h.sync(nb)).toMatchObject({ kind: 'dry_run' })
      // Only reads reach Notion: the schema, and the search for a page made elsewhere (a query, sent by POST).
      expect(Object.keys(h.notion.stats().byEndpoint).filter((k) => !k.startsWith('GET') && k !== 'POST /v1/data_sources/:id/query')).toEqual([])
      expect((await records('nb-dry')).some((r) => r.status === 'success')).toBe(false)
      const r = await h.app.gql(Preview, { id: encodeGlobalID('Notebook', nb) }, h.user.session)
      const preview = r.data!.syncPreview[0] as any
      expect(preview.target).toBe('NOTION')
      expect(preview.requests.map((q: any) => `${q.method} ${q.path.replace(/[0-9a-f-]{36}|dry-run-\d+/g, ':id')}`)).toEqual(['POST /v1/pages', 'PATCH /v1/blocks/:id/children', 'PATCH /v1/pages/:id'])
      expect(JSON.stringify(preview.requests)).toContain('A task')
    } finally {
      await setting({})
    }
  })

  it('blocks and pages the user deleted in Notion are written anew, not failed', async () => {
    const nb = await h.setNotebook('nb-user', ['a'], 'User edits')
    await h.setTexts('nb-user', { a: 'Intro line\n\n- [ ] Keep me' })
    await h.sync(nb)
    const pageId = await h.notebookPageId(nb)
    const todoRecord = (await records('nb-user')).find((r) => r.itemType === 'todo')!
    // The user trashes the to_do block; then the todo is ticked on the tablet.
    await fetch(`${h.notion.url}/v1/blocks/${todoRecord.externalId}`, { method: 'DELETE', headers: { authorization: `Bearer ${h.notionToken}`, 'Notion-Version': '2025-09-03' } })
    await h.setTexts('nb-user', { a: 'Intro line\n\n- [x] Keep me' })
    expect(await h.sync(nb)).toMatchObject({ kind: 'done', failed: 0 })
    const after = (await records('nb-user')).find((r) => r.itemType === 'todo')!
    expect(after.externalId).not.toBe(todoRecord.externalId)
    expect(flattenTree(h.notion.pageTree(pageId))).toContain('to_do: [x] Keep me')

    // The user trashes the whole notebook page: the next change writes the notebook on a new page.
    await fetch(`${h.notion.url}/v1/pages/${pageId}`, { method: 'PATCH', headers: { authorization: `Bearer ${h.notionToken}`, 'Notion-Version': '2025-09-03', 'content-type': 'application/json' }, body: JSON.stringify({ in_trash: true }) })
    await h.setTexts('nb-user', { a: 'Intro line, edited\n\n- [x] Keep me' })
    expect(await h.sync(nb)).toMatchObject({ kind: 'done', failed: 0 })
    const newPageId = await h.notebookPageId(nb)
    expect(newPageId).not.toBe(pageId)
    expect(flattenTree(h.notion.pageTree(newPageId)).slice(1)).toEqual(['heading_1: Page 1', 'paragraph: Intro line, edited', 'to_do: [x] Keep me'])
    expect(h.notion.state().pages.filter((p: any) => p.title === 'User edits' && !p.in_trash)).toHaveLength(1)
  })

  it('a deleted notebook’s page is marked "Source deleted", or trashed when the user chose clean-up', async () => {
    for (const [uuid, cleanUp] of [['nb-del-mark', false], ['nb-del-trash', true]] as const) {
      await setting({ cleanUpOnDelete: cleanUp })
      const nb = await h.setNotebook(uuid, ['a'], uuid)
      await h.setTexts(uuid, { a: 'To be deleted' })
      await h.sync(nb)
      const pageId = await h.notebookPageId(nb)
      await deleteNotebook(h.app.database.db, h.app.services.storage, h.user.id, uuid)
      expect(await runCleanup(h.deps, h.integrationId, uuid)).toMatchObject({ kind: 'done' })
      const page = h.notion.state().pages.find((p: any) => p.id === pageId) as any
      if (cleanUp) expect(page.in_trash).toBe(true)
      else expect([page.in_trash, page.properties.Status.select.name]).toEqual([false, 'Source deleted'])
      expect(await records(uuid)).toEqual([])
      const tomb = await h.app.database.db.notebookTombstone.findFirstOrThrow({ where: { notebookUuid: uuid } })
      expect(tomb.cleanedAt).not.toBeNull()
    }
    await setting({})
  })
})
