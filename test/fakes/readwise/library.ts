// One Readwise library per access token: books (the "sources") and their highlights. Highlight
// CREATE finds or makes each highlight's book from its title, author, source_url and category, and
// de-duplicates highlights on (title, author, text, source_url) as Readwise documents: sending a
// highlight that exists updates it (its note, location, …) and answers its id again.
import type { HighlightInput } from './validateHighlight.ts'

export interface Book {
  id: number
  title: string
  author: string | null
  category: string
  source: string
  sourceUrl: string | null
  imageUrl: string | null
  updated: string
}

export interface Highlight {
  id: number
  bookId: number
  text: string
  note: string
  location: number | null
  locationType: string
  highlightedAt: string | null
  highlightUrl: string | null
  color: string
  created: string
  updated: string
  deleted: boolean
}

export interface Account {
  token: string
  name: string
  revoked: boolean
  books: Map<number, Book>
  highlights: Map<number, Highlight>
}

// Readwise files highlights sent without a title under a book of quotes; the name is this fake's.
const UNTITLED = 'Quotes'

export class Library {
  readonly accounts = new Map<string, Account>()
  private nextBookId = 1000
  private nextHighlightId = 500000

  constructor(private readonly now: () => number) {}

  addAccount(token: string, name: string): Account {
    const account: Account = { token, name, revoked: false, books: new Map(), highlights: new Map() }
    this.accounts.set(token, account)
    return account
  }

  /** Highlight CREATE for valid inputs: the books touched, in order, each with the ids it modified. */
  create(account: Account, inputs: HighlightInput[]): { book: Book; modified: number[] }[] {
    const stamp = new Date(this.now()).toISOString()
    const touched = new Map<number, { book: Book; modified: number[] }>()
    for (const input of inputs) {
      const book = this.findOrMakeBook(account, input, stamp)
      let highlight = [...account.highlights.values()].find((h) => !h.deleted && h.bookId === book.id && h.text === input.text)
      if (highlight) {
        if (input.note != null) highlight.note = input.note
        if (input.location != null) highlight.location = input.location
        if (input.location_type != null) highlight.locationType = input.location_type
        if (input.highlighted_at != null) highlight.highlightedAt = input.highlighted_at
        if (input.highlight_url != null) highlight.highlightUrl = input.highlight_url
        highlight.updated = stamp
      } else {
        highlight = {
          id: this.nextHighlightId++,
          bookId: book.id,
          text: input.text,
          note: input.note ?? '',
          location: input.location ?? null,
          locationType: input.location_type ?? (input.location != null ? 'location' : 'order'),
          highlightedAt: input.highlighted_at ?? null,
          highlightUrl: input.highlight_url ?? null,
          color: 'yellow',
          created: stamp,
          updated: stamp,
          deleted: false,
        }
        account.highlights.set(highlight.id, highlight)
      }
      book.updated = stamp
      const entry = touched.get(book.id) ?? { book, modified: [] }
      if (!entry.modified.includes(highlight.id)) entry.modified.push(highlight.id)
      touched.set(book.id, entry)
    }
    return [...touched.values()]
  }

  private findOrMakeBook(account: Account, input: HighlightInput, stamp: string): Book {
    const title = input.title ?? UNTITLED
    const author = input.author ?? null
    const sourceUrl = input.source_url ?? null
    const found = [...account.books.values()].find((b) => b.title === title && b.author === author && b.sourceUrl === sourceUrl)
    if (found) return found
    const book: Book = {
      id: this.nextBookId++,
      title,
      author,
      // Without a category Readwise takes an article when there is a source_url, else a book.
      category: input.category ?? (sourceUrl ? 'articles' : 'books'),
      source: input.source_type ?? 'api',
      sourceUrl,
      imageUrl: input.image_url ?? null,
      updated: stamp,
    }
    account.books.set(book.id, book)
    return book
  }

  liveHighlights(account: Account): Highlight[] {
    return [...account.highlights.values()].filter((h) => !h.deleted)
  }

  touch(highlight: Highlight) {
    highlight.updated = new Date(this.now()).toISOString()
  }

  clear() {
    for (const account of this.accounts.values()) {
      account.books.clear()
      account.highlights.clear()
    }
  }
}

export function renderBook(account: Account, book: Book, modified?: number[]) {
  const highlights = [...account.highlights.values()].filter((h) => !h.deleted && h.bookId === book.id)
  const last = highlights.map((h) => h.highlightedAt).filter((t): t is string => !!t).sort().pop() ?? null
  return {
    id: book.id,
    title: book.title,
    author: book.author,
    category: book.category,
    source: book.source,
    num_highlights: highlights.length,
    last_highlight_at: last,
    updated: book.updated,
    cover_image_url: book.imageUrl ?? 'https://readwise-assets.s3.amazonaws.com/static/images/default-book-icon-0.png',
    highlights_url: `https://readwise.io/bookreview/${book.id}`,
    source_url: book.sourceUrl,
    asin: null,
    tags: [],
    document_note: '',
    ...(modified ? { modified_highlights: modified } : {}),
  }
}

export function renderHighlight(h: Highlight) {
  return {
    id: h.id,
    text: h.text,
    note: h.note,
    location: h.location,
    location_type: h.locationType,
    highlighted_at: h.highlightedAt,
    url: h.highlightUrl,
    color: h.color,
    updated: h.updated,
    book_id: h.bookId,
    tags: [],
  }
}
