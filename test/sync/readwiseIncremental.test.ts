// Readwise after the first sync: an edit is PATCHed in place (never a second highlight), a removal
// deleted, a highlight deleted in Readwise created again, a rename moves the highlights to the new
// book, and page notes come and go with their setting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReadwiseHarness, type ReadwiseHarness } from './readwiseHarness.ts'

let h: ReadwiseHarness
let nb: number
let ids: number[]

beforeAll(async () => {
  h = await startReadwiseHarness()
  nb = await h.setNotebook('nb-inc', ['p1', 'p2'], 'Field notes', { tags: [] })
  await h.setTexts('nb-inc', { p1: 'Typed notes of page one', p2: 'Typed notes of page two' })
  ids = await h.addHighlights('nb-inc', 'p1', ['first passage', 'second passage', 'third passage'])
  expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'done', failed: 0 })
})
afterAll(async () => {
  await h?.close()
})

const db = () => h.app.database.db
const record = (id: number) => db().syncRecord.findFirst({ where: { targetName: 'readwise', itemType: 'highlight', itemId: String(id) } })
const highlights = () => h.readwise.library(h.readwiseToken).flatMap((b) => b.highlights.map((x) => ({ ...x, book: b.title })))

async function measure(change: () => Promise<unknown>) {
  await change()
  h.readwise.reset()
  const outcome = await h.syncReadwise(nb)
  expect(outcome).toMatchObject({ kind: 'done', failed: 0 })
  return h.readwise.stats()
}

describe('Readwise incremental sync', () => {
  it('an edit (a correction) is one PATCH of the same highlight: never a second one', async () => {
    const before = await record(ids[0])
    const stats = await measure(() => h.correctHighlight(ids[0], 'first passage, corrected'))
    expect(stats.byEndpoint).toEqual({ 'PATCH /api/v2/highlights/:id/': 1 })
    const after = await record(ids[0])
    expect(after).toMatchObject({ status: 'success', externalId: before!.externalId })
    expect(highlights().map((x) => x.text).sort()).toEqual(['first passage, corrected', 'second passage', 'third passage'])
    expect(highlights().find((x) => String(x.id) === before!.externalId)!.text).toBe('first passage, corrected')
  })

  it('a removed highlight is deleted in Readwise and its record goes', async () => {
    const gone = (await record(ids[1]))!.externalId
    const stats = await measure(() => h.removeHighlight(ids[1]))
    expect(stats.byEndpoint).toEqual({ 'DELETE /api/v2/highlights/:id/': 1 })
    expect(highlights().some((x) => String(x.id) === gone)).toBe(false)
    expect(await record(ids[1])).toBeNull()
  })

  it('a highlight deleted in Readwise is written again on its next change', async () => {
    const r = (await record(ids[2]))!
    const res = await fetch(`${h.readwise.url}/api/v2/highlights/${r.externalId}/`, { method: 'DELETE', headers: { authorization: `Token ${h.readwiseToken}` } })
    expect(res.status).toBe(204)
    const stats = await measure(() => h.correctHighlight(ids[2], 'third passage, corrected'))
    expect(stats.byEndpoint).toEqual({ 'PATCH /api/v2/highlights/:id/': 1, 'POST /api/v2/highlights/': 1 })
    const now = (await record(ids[2]))!
    expect(now.externalId).not.toBe(r.externalId)
    expect(highlights().filter((x) => x.text === 'third passage, corrected')).toHaveLength(1)
  })

  it('a renamed notebook moves its highlights to the new book (created there, deleted from the old)', async () => {
    const stats = await measure(() => h.setNotebook('nb-inc', ['p1', 'p2'], 'Field notes 2026'))
    console.log('readwise rename of a notebook with 2 highlights:', stats.requests, stats.byEndpoint)
    expect(stats.byEndpoint).toEqual({ 'POST /api/v2/highlights/': 1, 'DELETE /api/v2/highlights/:id/': 2 })
    const all = highlights()
    expect(all.map((x) => [x.book, x.text]).sort()).toEqual([['Field notes 2026', 'first passage, corrected'], ['Field notes 2026', 'third passage, corrected']])
  })

  it('page notes (setting on) go as highlights with a note; off again, they are deleted', async () => {
    await h.setReadwiseSettings({ sendPageNotes: true })
    // The setting's catch-up is queued by updateIntegrationSettings; here, a change queues the pages.
    await h.app.database.db.$transaction(async (tx) => {
      const { queueCatchUp } = await import('../../server/sync/catchUp.ts')
      await queueCatchUp(tx, h.user.id, 'readwise')
    })
    let stats = await measure(async () => {})
    expect(stats.byEndpoint).toEqual({ 'POST /api/v2/highlights/': 1 })
    const notes = highlights().filter((x) => x.text.startsWith('Typed notes'))
    expect(notes.map((x) => [x.text, x.note, x.location])).toEqual([['Typed notes of page one', 'Notes on page 1', 1], ['Typed notes of page two', 'Notes on page 2', 2]])
    expect(await db().syncRecord.count({ where: { targetName: 'readwise', itemType: 'page_text', status: 'success' } })).toBe(2)

    await h.setReadwiseSettings({ sendPageNotes: false })
    await h.app.database.db.$transaction(async (tx) => {
      const { queueCatchUp } = await import('../../server/sync/catchUp.ts')
      await queueCatchUp(tx, h.user.id, 'readwise')
    })
    stats = await measure(async () => {})
    expect(stats.byEndpoint).toEqual({ 'DELETE /api/v2/highlights/:id/': 2 })
    expect(highlights().some((x) => x.text.startsWith('Typed notes'))).toBe(false)
    expect(await db().syncRecord.count({ where: { targetName: 'readwise', itemType: 'page_text' } })).toBe(0)
  })

  it('the same text on two pages is one Readwise highlight (its de-duplication): it goes only when both are gone', async () => {
    const [a] = await h.addHighlights('nb-inc', 'p1', ['the same words'])
    const [b] = await h.addHighlights('nb-inc', 'p2', ['the same words'])
    await measure(async () => {})
    const shared = (await record(a))!.externalId
    expect((await record(b))!.externalId).toBe(shared)
    let stats = await measure(() => h.removeHighlight(a))
    expect(stats.requests).toBe(0)
    expect(await record(a)).toBeNull()
    expect(highlights().filter((x) => x.text === 'the same words')).toHaveLength(1)
    stats = await measure(() => h.removeHighlight(b))
    expect(stats.byEndpoint).toEqual({ 'DELETE /api/v2/highlights/:id/': 1 })
    expect(highlights().some((x) => x.text === 'the same words')).toBe(false)
    expect(await record(b)).toBeNull()
  })
})
