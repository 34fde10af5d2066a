// Readwise's first sync of a notebook: every highlight (its corrected text when set) becomes a
// Readwise highlight in the notebook's book, sent many per request; ids land in the sync records;
// a long highlight is split, never cut; a second run sends nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReadwiseHarness, type ReadwiseHarness } from './readwiseHarness.ts'
import { encodeGlobalID } from '@pothos/plugin-relay'

let h: ReadwiseHarness
let nb: number
const pages = Array.from({ length: 25 }, (_, i) => `rw-p${i + 1}`)
const passage = (page: number, k: number) => `Passage ${k} highlighted on page ${page}, worth keeping.`

beforeAll(async () => {
  h = await startReadwiseHarness()
  nb = await h.setNotebook('nb-rw', pages, 'Reading notes', { tags: ['Philosophy', 'Stoics'] })
  await h.setTexts('nb-rw', Object.fromEntries(pages.map((u, i) => [u, `Notes of page ${i + 1}`])))
  for (const [i, u] of pages.entries()) await h.addHighlights('nb-rw', u, Array.from({ length: 10 }, (_, k) => passage(i + 1, k + 1)))
})
afterAll(async () => {
  await h?.close()
})

describe('Readwise first sync', () => {
  it('sends 250 highlights in 3 requests, into one book, each at its page with a link to it', async () => {
    const outcome = await h.syncReadwise(nb)
    const stats = h.readwise.stats()
    console.log(`readwise first sync, 250 highlights: ${stats.requests} requests (${((stats.requests / 250) * 100).toFixed(1)} per 100 highlights)`, stats.byEndpoint)
    expect(outcome).toMatchObject({ kind: 'done', requests: 3, failed: 0 })
    expect(stats.byEndpoint).toEqual({ 'POST /api/v2/highlights/': 3 })

    const library = h.readwise.library(h.readwiseToken)
    expect(library).toHaveLength(1)
    const [book] = library
    expect(book).toMatchObject({ title: 'Reading notes', author: 'Philosophy, Stoics', category: 'books', source: 'rmirror', num_highlights: 250 })
    const first = book.highlights.find((x) => x.text === passage(3, 4))!
    expect(first).toMatchObject({ location: 3, location_type: 'page' })
    const hl = await h.app.database.db.highlight.findFirstOrThrow({ where: { originalText: passage(3, 4) } })
    expect(first.url).toBe(`https://rmirror.example/dashboard/notebooks/${encodeURIComponent(encodeGlobalID('Notebook', nb))}#highlight-${encodeGlobalID('Highlight', hl.id)}`)
    expect(first.highlighted_at).toBe(hl.createdAt.toISOString())

    // Every record holds its Readwise id; the notebook's holds the book.
    const records = await h.app.database.db.syncRecord.findMany({ where: { targetName: 'readwise', notebookUuid: 'nb-rw' } })
    const highlightRecords = records.filter((r) => r.itemType === 'highlight')
    expect(highlightRecords).toHaveLength(250)
    expect(highlightRecords.every((r) => r.status === 'success')).toBe(true)
    const ids = new Set(book.highlights.map((x) => String(x.id)))
    expect(new Set(highlightRecords.map((r) => r.externalId))).toEqual(ids)
    expect(records.find((r) => r.itemType === 'notebook_metadata')).toMatchObject({ status: 'success', externalId: String(book.id) })
    // Readwise takes highlights and the book: no page texts without the page-notes setting.
    expect(records.some((r) => r.itemType === 'page_text' || r.itemType === 'todo')).toBe(false)
  })

  it('sends nothing when nothing changed', async () => {
    h.readwise.reset()
    expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'done', requests: 0 })
    expect(h.readwise.stats().requests).toBe(0)
  })

  it('sends the corrected text, and splits a highlight longer than 8,191 characters without cutting it', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `Sentence ${i} of a very long highlighted passage.`).join(' ')
    expect(long.length).toBeGreaterThan(8191 * 2)
    const [id, corrected] = await h.addHighlights('nb-rw', 'rw-p1', [long, 'teh passage with a slip'])
    await h.correctHighlight(corrected, 'the passage, corrected')
    h.readwise.reset()
    expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'done', requests: 1, failed: 0 })
    const book = h.readwise.library(h.readwiseToken)[0]
    expect(book.highlights.some((x) => x.text === 'the passage, corrected')).toBe(true)
    expect(book.highlights.some((x) => x.text.startsWith('teh'))).toBe(false)
    const record = await h.app.database.db.syncRecord.findFirstOrThrow({ where: { targetName: 'readwise', itemType: 'highlight', itemId: String(id) } })
    const pieces = (JSON.parse(record.metadataJson!).ids as string[]).map((pid) => book.highlights.find((x) => String(x.id) === pid)!)
    expect(pieces.length).toBe(3)
    expect(pieces.every((p) => p.text.length <= 8191)).toBe(true)
    expect(pieces.map((p) => p.text).join('')).toBe(long)
    expect(pieces.map((p) => p.note)).toEqual(['Part 1 of 3', 'Part 2 of 3', 'Part 3 of 3'])
    expect(record).toMatchObject({ status: 'success', externalId: String(pieces[0].id) })
  })
})
