// What a notebook is in Readwise: a book (title = the notebook's name, author = its tags or folder),
// each highlight (its corrected text when set) one Readwise highlight — several when longer than
// Readwise takes — at its page (`location`, `location_type: page`), with a stable `highlight_url`
// to that page in the dashboard. With the `sendPageNotes` setting, each page's text goes too, as a
// highlight with a note saying which page it is.
import { createHash } from 'node:crypto'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { splitContent } from '../notion/richText.ts'
import { READWISE_MAX_AUTHOR, READWISE_MAX_TEXT, READWISE_MAX_TITLE, READWISE_SOURCE_TYPE } from './readwiseLimits.ts'
import { splitReadwiseText } from './splitReadwiseText.ts'

/** One highlight as Highlight CREATE takes it. */
export interface ReadwiseHighlightInput {
  text: string
  title: string
  author?: string
  source_type: string
  category: 'books'
  note?: string
  location: number
  location_type: 'page'
  highlighted_at?: string
  highlight_url: string
}

export interface ReadwiseBookFacts {
  title: string
  author: string | null
}

/** One of our items (a highlight, or a page's notes) as the Readwise highlights it becomes. */
export interface DesiredReadwiseItem {
  itemType: 'highlight' | 'page_text'
  itemId: string
  pieces: ReadwiseHighlightInput[]
}

export interface NotebookFacts {
  id: number
  visibleName: string
  folderPath: string
  tags: string[]
}

/** Cut to a limit without splitting a character (titles and authors are labels: a cut one still reads). */
function cutLabel(text: string, max: number): string {
  return text.length <= max ? text : splitContent(text, max - 1)[0] + '…'
}

export function makeBookFacts(notebook: NotebookFacts): ReadwiseBookFacts {
  const title = cutLabel(notebook.visibleName.trim() || 'Untitled notebook', READWISE_MAX_TITLE)
  const author = notebook.tags.length ? notebook.tags.join(', ') : notebook.folderPath.trim()
  return { title, author: author ? cutLabel(author, READWISE_MAX_AUTHOR) : null }
}

/** The dashboard link of an item: `<public url>/dashboard/notebooks/<id>#highlight-<id>` (or `#page-<id>`). */
export function makeItemUrl(publicUrl: string, notebookId: number, anchor: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/dashboard/notebooks/${encodeURIComponent(encodeGlobalID('Notebook', notebookId))}#${anchor}`
}

function makePieces(
  book: ReadwiseBookFacts,
  text: string,
  fields: { location: number; note?: string; highlightedAt?: Date; url: string },
): ReadwiseHighlightInput[] {
  const parts = splitReadwiseText(text, READWISE_MAX_TEXT)
  return parts.map((part, i) => ({
    text: part,
    title: book.title,
    ...(book.author ? { author: book.author } : {}),
    source_type: READWISE_SOURCE_TYPE,
    category: 'books',
    ...(fields.note ? { note: parts.length > 1 ? `${fields.note} (part ${i + 1} of ${parts.length})` : fields.note } : parts.length > 1 ? { note: `Part ${i + 1} of ${parts.length}` } : {}),
    location: fields.location,
    location_type: 'page',
    ...(fields.highlightedAt ? { highlighted_at: fields.highlightedAt.toISOString() } : {}),
    highlight_url: parts.length > 1 ? `${fields.url}-part-${i + 1}` : fields.url,
  }))
}

export function makeHighlightItem(
  book: ReadwiseBookFacts,
  notebookId: number,
  publicUrl: string,
  h: { id: number; text: string; pageNumber: number; createdAt: Date },
): DesiredReadwiseItem {
  const url = makeItemUrl(publicUrl, notebookId, `highlight-${encodeGlobalID('Highlight', h.id)}`)
  return { itemType: 'highlight', itemId: String(h.id), pieces: makePieces(book, h.text, { location: h.pageNumber, highlightedAt: h.createdAt, url }) }
}

export function makePageNotesItem(
  book: ReadwiseBookFacts,
  notebookId: number,
  publicUrl: string,
  page: { id: number; text: string; pageNumber: number; readyAt: Date | null },
): DesiredReadwiseItem | null {
  if (page.text.trim() === '') return null
  const url = makeItemUrl(publicUrl, notebookId, `page-${encodeGlobalID('Page', page.id)}`)
  return {
    itemType: 'page_text',
    itemId: String(page.id),
    pieces: makePieces(book, page.text.trim(), { location: page.pageNumber, note: `Notes on page ${page.pageNumber}`, highlightedAt: page.readyAt ?? undefined, url }),
  }
}

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex')

/** What a PATCH can change of a piece (text, note, location, url): a different hash is one PATCH. */
export function hashPatchable(piece: ReadwiseHighlightInput): string {
  return sha([piece.text, piece.note ?? '', piece.location, piece.highlight_url])
}

/** The book a piece lives in: a different one means a new highlight there (a PATCH cannot move it). */
export function hashBook(book: ReadwiseBookFacts): string {
  return sha([book.title, book.author])
}

export function hashItem(item: DesiredReadwiseItem): string {
  return sha(item.pieces)
}
