// One user with Notion and Readwise connected: one change queues one job per integration, and the
// engine sends each to its own target (sync_notebook dispatches on the integration's target); both
// reach success for the same highlight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReadwiseHarness, type ReadwiseHarness } from './readwiseHarness.ts'
import { runSync } from '../../server/sync/runSync.ts'

let h: ReadwiseHarness
beforeAll(async () => {
  h = await startReadwiseHarness({ withNotion: true })
})
afterAll(async () => {
  await h?.close()
})

async function runQueuedJobs() {
  const jobs = await h.app.database.query<{ payload: { integrationId: number; notebookId: number } }>(
    `select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'sync_notebook' order by j.id`,
  )
  await h.app.database.query(`delete from graphile_worker._private_jobs`)
  return Promise.all(jobs.rows.map((j) => runSync(h.deps, j.payload.integrationId, j.payload.notebookId, 1, 8)))
}

describe('two targets for one user', () => {
  it('the same change reaches success at Notion and at Readwise', async () => {
    await h.setNotebook('nb-both', ['p1'], 'Both targets')
    await h.setTexts('nb-both', { p1: 'A page with a highlight' })
    const [id] = await h.addHighlights('nb-both', 'p1', ['a passage for both'])
    expect(await runQueuedJobs()).toEqual([expect.objectContaining({ kind: 'done', failed: 0 }), expect.objectContaining({ kind: 'done', failed: 0 })])

    await h.correctHighlight(id, 'a passage for both, corrected')
    const jobs = await h.app.database.query(`select key from graphile_worker._private_jobs order by key`)
    expect(jobs.rows.map((j) => j.key.split(':')[1]).sort()).toEqual([String(h.integrationId), String(h.readwiseIntegrationId)].sort())
    h.readwise.reset()
    h.notion.reset()
    const outcomes = await runQueuedJobs()
    expect(outcomes.every((o) => o.kind === 'done' && o.failed === 0 && o.requests > 0)).toBe(true)

    const records = await h.app.database.db.syncRecord.findMany({ where: { itemType: 'highlight', itemId: String(id) }, orderBy: { targetName: 'asc' } })
    expect(records.map((r) => [r.targetName, r.status])).toEqual([['notion', 'success'], ['readwise', 'success']])
    expect(h.readwise.stats().byEndpoint).toEqual({ 'PATCH /api/v2/highlights/:id/': 1 })
    expect(h.readwise.library(h.readwiseToken)[0].highlights.map((x) => x.text)).toEqual(['a passage for both, corrected'])
    const notionBlock = h.notion.pageTree(await h.notebookPageId((await h.app.database.db.notebook.findFirstOrThrow({ where: { uuid: 'nb-both' } })).id)).find((b: any) => b.id === records[0].externalId) as any
    expect(notionBlock.text).toMatch(/^a passage for both, corrected/)
  })
})

describe('a deleted notebook with two targets', () => {
  it('each target cleans up its own copy: Readwise deletes the highlights (clean-up on), Notion trashes the page', async () => {
    const { deleteNotebook } = await import('../../server/library/deleteNotebook.ts')
    const { runCleanup } = await import('../../server/sync/runCleanup.ts')
    const db = h.app.database.db
    const nb = await h.setNotebook('nb-gone', ['g1'], 'Going away')
    await h.setTexts('nb-gone', { g1: 'Soon deleted' })
    await h.addHighlights('nb-gone', 'g1', ['a passage that goes', 'another that goes'])
    await runQueuedJobs()
    const pageId = await h.notebookPageId(nb)
    expect(h.readwise.library(h.readwiseToken).find((b) => b.title === 'Going away')!.highlights).toHaveLength(2)
    for (const id of [h.integrationId, h.readwiseIntegrationId]) await db.integrationConfig.update({ where: { id }, data: { settings: { cleanUpOnDelete: true } } })

    await deleteNotebook(db, h.app.services.storage, h.user.id, 'nb-gone')
    h.readwise.reset()
    // Readwise first, then Notion: the second finds the tombstone still waiting for it.
    expect(await runCleanup(h.deps, h.readwiseIntegrationId, 'nb-gone')).toMatchObject({ kind: 'done', requests: 2 })
    expect(h.readwise.stats().byEndpoint).toEqual({ 'DELETE /api/v2/highlights/:id/': 2 })
    expect(h.readwise.library(h.readwiseToken).find((b) => b.title === 'Going away')).toBeUndefined()
    expect((await db.notebookTombstone.findFirstOrThrow({ where: { notebookUuid: 'nb-gone' } })).cleanedAt).toBeNull()
    expect(await runCleanup(h.deps, h.integrationId, 'nb-gone')).toMatchObject({ kind: 'done', requests: 1 })
    expect((h.notion.state().pages.find((p: any) => p.id === pageId) as any).in_trash).toBe(true)
    expect(await db.syncRecord.count({ where: { notebookUuid: 'nb-gone' } })).toBe(0)
    expect((await db.notebookTombstone.findFirstOrThrow({ where: { notebookUuid: 'nb-gone' } })).cleanedAt).not.toBeNull()
    // A job run again finds nothing left to do.
    expect(await runCleanup(h.deps, h.readwiseIntegrationId, 'nb-gone')).toMatchObject({ kind: 'skipped' })
  })
})
