// The mapping from our notebooks and highlights to Readwise's: the book's title and author within
// Readwise's limits, text split (never cut) at readable places, the fields each highlight carries.
import { describe, expect, it } from 'vitest'
import { makeBookFacts, makeHighlightItem, makePageNotesItem } from '../../server/readwise/readwiseHighlights.ts'
import { splitReadwiseText } from '../../server/readwise/splitReadwiseText.ts'

// No lone surrogate (String.prototype.isWellFormed is ES2024, beyond this project's lib).
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)

const notebook = (extra: Partial<{ visibleName: string; folderPath: string; tags: string[] }> = {}) => ({ id: 7, visibleName: 'Notebook', folderPath: '', tags: [], ...extra })

describe('Readwise mapping', () => {
  it('titles the book with the notebook name (at most 511 characters) and takes the author from its tags, else its folder', () => {
    expect(makeBookFacts(notebook({ tags: ['Stoics', 'Reading'], folderPath: 'Books' }))).toEqual({ title: 'Notebook', author: 'Stoics, Reading' })
    expect(makeBookFacts(notebook({ folderPath: 'Work / Projects' }))).toEqual({ title: 'Notebook', author: 'Work / Projects' })
    expect(makeBookFacts(notebook())).toEqual({ title: 'Notebook', author: null })
    const long = makeBookFacts(notebook({ visibleName: '😀'.repeat(400), tags: ['t'.repeat(2000)] }))
    expect(long.title.length).toBeLessThanOrEqual(511)
    expect(long.title.endsWith('…')).toBe(true)
    expect(wellFormed(long.title)).toBe(true)
    expect(long.author!.length).toBeLessThanOrEqual(1024)
    expect(makeBookFacts(notebook({ visibleName: '  ' })).title).toBe('Untitled notebook')
  })

  it('splits long text at readable places, every piece within the limit, joined back whole', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}. ` + 'word '.repeat(100 + i)).join('\n\n')
    const pieces = splitReadwiseText(paragraphs, 2000)
    expect(pieces.join('')).toBe(paragraphs)
    expect(pieces.every((p) => p.length <= 2000)).toBe(true)
    expect(pieces.slice(0, -1).every((p) => p.endsWith('\n\n'))).toBe(true)
    // No break anywhere: cut between graphemes, never inside a surrogate pair.
    const solid = '😀'.repeat(3000)
    const cut = splitReadwiseText(solid, 1001)
    expect(cut.join('')).toBe(solid)
    expect(cut.every((p) => p.length <= 1001 && wellFormed(p))).toBe(true)
    expect(splitReadwiseText('short', 8191)).toEqual(['short'])
  })

  it('gives each highlight its page, time, link and product; page notes a note naming their page', () => {
    const book = { title: 'Notebook', author: 'Stoics' }
    const item = makeHighlightItem(book, 7, 'https://rmirror.example/', { id: 3, text: 'a passage', pageNumber: 4, createdAt: new Date('2026-03-04T10:20:30Z') })
    expect(item.pieces).toEqual([
      {
        text: 'a passage',
        title: 'Notebook',
        author: 'Stoics',
        source_type: 'rmirror',
        category: 'books',
        location: 4,
        location_type: 'page',
        highlighted_at: '2026-03-04T10:20:30.000Z',
        highlight_url: 'https://rmirror.example/dashboard/notebooks/Tm90ZWJvb2s6Nw%3D%3D#highlight-SGlnaGxpZ2h0OjM=',
      },
    ])
    expect(makePageNotesItem(book, 7, 'https://rmirror.example', { id: 9, text: '   ', pageNumber: 2, readyAt: null })).toBeNull()
    const notes = makePageNotesItem(book, 7, 'https://rmirror.example', { id: 9, text: ' Page notes ', pageNumber: 2, readyAt: null })!
    expect(notes.pieces[0]).toMatchObject({ text: 'Page notes', note: 'Notes on page 2', location: 2 })
  })
})
