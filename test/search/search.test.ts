// viewer.search over a small library: ranking, snippets as text + ranges, OCR variants, prefixes,
// phrases, filters, the open-todos view, another user's text, and hostile queries answered with a
// result or a typed error — never an internal one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import type { SearchQuery } from '../gql/graphql.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { seedSearchFixture, type SearchFixture } from './searchFixture.ts'
import { RANK_CANDIDATES } from '../../server/search/searchLibrary.ts'

const Search = graphql(`
  query Search($query: String, $first: Int, $after: String, $filter: SearchFilter) {
    viewer {
      search(query: $query, first: $first, after: $after, filter: $filter) {
        __typename
        ... on SearchConnection {
          pageInfo { hasNextPage endCursor }
          edges {
            cursor
            node {
              kind
              rank
              snippet { text matches { start length } }
              notebook { id visibleName }
              pageNumber
              page { id }
              item {
                __typename
                ... on Page { id pageText: text }
                ... on Todo { id text completed }
                ... on Highlight { id text }
              }
            }
          }
        }
        ... on Error { code message }
      }
    }
  }
`)

type Result = NonNullable<SearchQuery['viewer']>['search']
type Hit = Extract<Result, { __typename: 'SearchConnection' }>['edges'][number]['node']

const statements: string[] = []
let counting = false
let app: TestApp
let alice: TestUser
let bob: TestUser
let fx: SearchFixture

beforeAll(async () => {
  app = await startTestApp({ db: { onQuery: (sql) => counting && statements.push(sql) } })
  alice = await createTestUser(app.database.db, 'alice@example.com', ['agent'])
  bob = await createTestUser(app.database.db, 'bob@example.com')
  fx = await seedSearchFixture(app.database.db, alice.id, bob.id)
})
afterAll(async () => {
  await app?.close()
})

async function search(variables: { query?: string | null; first?: number; after?: string; filter?: Record<string, unknown> }, token = alice.session): Promise<Result> {
  const r = await app.gql(Search, variables as any, token)
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined()
  return r.data!.viewer!.search
}

async function hits(variables: Parameters<typeof search>[0], token?: string): Promise<Hit[]> {
  const result = await search(variables, token)
  if (result.__typename !== 'SearchConnection') throw new Error(`expected hits, got ${JSON.stringify(result)}`)
  return result.edges.map((e) => e.node)
}

const idOf = (hit: Hit) => (hit.item as { id: string }).id
const pageId = (id: number) => encodeGlobalID('Page', id)
const todoId = (id: number) => encodeGlobalID('Todo', id)
const highlightId = (id: number) => encodeGlobalID('Highlight', id)
/** The words a snippet marks as matches. */
const marked = (hit: Hit) => hit.snippet.matches.map((m) => hit.snippet.text.slice(m.start, m.start + m.length))

describe('viewer.search', () => {
  it('ranks a page dense with the word above one that mentions it once, with snippets whose ranges mark the matches', async () => {
    const found = await hits({ query: 'invoice' })
    const ids = found.map(idOf)
    expect(ids).toContain(pageId(fx.pages.invoices))
    expect(ids).toContain(pageId(fx.pages.longNotes))
    expect(ids).toContain(todoId(fx.todos.sendInvoice))
    expect(ids.indexOf(pageId(fx.pages.invoices))).toBeLessThan(ids.indexOf(pageId(fx.pages.longNotes)))
    const ranks = found.map((h) => h.rank)
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a))
    for (const r of ranks) expect(r).toBeGreaterThan(0)

    const dense = found.find((h) => idOf(h) === pageId(fx.pages.invoices))!
    expect(dense.kind).toBe('PAGE')
    expect(dense.notebook.visibleName).toBe('Work')
    expect(dense.page?.id).toBe(pageId(fx.pages.invoices))
    expect(dense.pageNumber).toBe(1)
    expect(dense.snippet.text).toContain('Send the invoice to ACME')
    expect(dense.snippet.text).not.toMatch(/[\uE000\uE001\n]/)
    expect(marked(dense).length).toBeGreaterThanOrEqual(3)
    for (const word of marked(dense)) expect(word.toLowerCase()).toMatch(/^invoices?$/)

    const todo = found.find((h) => idOf(h) === todoId(fx.todos.sendInvoice))!
    expect(todo).toMatchObject({ kind: 'TODO', snippet: { text: 'Send the invoice to ACME', matches: [{ start: 9, length: 7 }] } })
    expect(todo).toMatchObject({ page: { id: pageId(fx.pages.invoices) }, pageNumber: 1 })
  })

  it('finds OCR-garbled words both ways: "invoce" finds "invoice", and "invoice" finds a page read as "invoce", below exact matches', async () => {
    const fromTypo = await hits({ query: 'invoce', filter: { kinds: ['PAGE'] } })
    const ids = fromTypo.map(idOf)
    expect(ids).toContain(pageId(fx.pages.garbled))
    expect(ids).toContain(pageId(fx.pages.invoices))
    const dense = fromTypo.find((h) => idOf(h) === pageId(fx.pages.invoices))!
    expect(marked(dense).map((w) => w.toLowerCase())).toContain('invoice')

    const fromWord = (await hits({ query: 'invoice', filter: { kinds: ['PAGE'] } })).map(idOf)
    expect(fromWord).toContain(pageId(fx.pages.garbled))
    expect(fromWord.indexOf(pageId(fx.pages.garbled))).toBeGreaterThan(fromWord.indexOf(pageId(fx.pages.longNotes)))
  })

  it('finds partial words ("zephyr" finds "Zephyrine") and prefixes ("zephy*", "invoic*")', async () => {
    expect((await hits({ query: 'zephyr' })).map(idOf)).toEqual([pageId(fx.pages.prefixes)])
    const prefixed = await hits({ query: 'zephy*' })
    expect(prefixed.map(idOf)).toEqual([pageId(fx.pages.prefixes)])
    expect(marked(prefixed[0]).map((w) => w.toLowerCase()).sort()).toEqual(['zephyrine', 'zephyrus'])
    const invoic = (await hits({ query: 'invoic*', filter: { kinds: ['PAGE'] } })).map(idOf)
    expect(invoic).toEqual(expect.arrayContaining([pageId(fx.pages.invoices), pageId(fx.pages.longNotes)]))
    // A one-letter prefix would match most of a library: it is read as the word.
    expect(await hits({ query: 'z*' })).toEqual([])
  })

  it('matches a quoted phrase only where its words stand together; unquoted, the words anywhere', async () => {
    const phrase = (await hits({ query: '"feedback loop"' })).map(idOf)
    expect(phrase.sort()).toEqual([pageId(fx.pages.feedback), todoId(fx.todos.callBob), highlightId(fx.highlights.loop)].sort())
    const words = (await hits({ query: 'feedback loop' })).map(idOf)
    expect(words).toContain(pageId(fx.pages.apart))
    expect(words).toContain(pageId(fx.pages.feedback))
    const hl = (await hits({ query: '"feedback loop"', filter: { kinds: ['HIGHLIGHT'] } }))[0]
    expect(hl).toMatchObject({ kind: 'HIGHLIGHT', notebook: { visibleName: 'Systems Thinking.pdf' } })
    expect(marked(hl)).toEqual(['feedback', 'loop'])
  })

  it('excludes -words and takes either side of "or"', async () => {
    const without = (await hits({ query: 'feedback -retro' })).map(idOf)
    expect(without).toContain(pageId(fx.pages.apart))
    expect(without).not.toContain(pageId(fx.pages.feedback))
    const either = (await hits({ query: 'zephyrine or quokka', filter: { kinds: ['PAGE'] } })).map(idOf)
    expect(either.sort()).toEqual([pageId(fx.pages.prefixes), pageId(fx.pages.markup)].sort())
  })

  it('never returns removed todos and highlights, pages that left their notebook, or another user’s text', async () => {
    const all = (await hits({ query: 'invoice', first: 50 })).map(idOf)
    expect(all).not.toContain(todoId(fx.todos.removed))
    expect(all).not.toContain(pageId(fx.pages.leftNotebook))
    expect(all).not.toContain(pageId(fx.pages.other))
    expect(all).not.toContain(todoId(fx.todos.other))
    expect((await hits({ query: '"feedback loop"' })).map(idOf)).not.toContain(highlightId(fx.highlights.removed))
    expect(await hits({ query: 'zanzibar' })).toEqual([])
    expect(await hits({ query: 'zanzibr' })).toEqual([])
    // Bob finds his own.
    expect((await hits({ query: 'zanzibar' }, bob.session)).map(idOf).sort()).toEqual([pageId(fx.pages.other), todoId(fx.todos.other)].sort())
    // Alice's OCR-variant widening draws on her own words only: Bob's "zanzibar" widens nothing of hers.
    expect((await hits({ query: 'invoce' }, bob.session)).map(idOf).sort()).toEqual([pageId(fx.pages.other), todoId(fx.todos.other)].sort())
  })

  it('filters by notebook and kind; another user’s notebook id is not found', async () => {
    const inReading = await hits({ query: 'feedback', filter: { notebookId: encodeGlobalID('Notebook', fx.notebooks.reading) } })
    expect(inReading.map(idOf).sort()).toEqual([todoId(fx.todos.callBob), highlightId(fx.highlights.loop)].sort())
    const todosOnly = await hits({ query: 'invoice', filter: { kinds: ['TODO'] } })
    expect(todosOnly.map(idOf).sort()).toEqual([todoId(fx.todos.sendInvoice), todoId(fx.todos.paidInvoice)].sort())
    expect((await hits({ query: 'invoice', filter: { kinds: ['TODO'], open: false } })).map(idOf)).toEqual([todoId(fx.todos.paidInvoice)])
    const foreign = await search({ query: 'invoice', filter: { notebookId: encodeGlobalID('Notebook', fx.notebooks.other) } })
    expect(foreign).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' })
  })

  it('lists the open todos of every notebook, newest first, without a query, page by page', async () => {
    const first = await search({ filter: { kinds: ['TODO'], open: true }, first: 1 })
    if (first.__typename !== 'SearchConnection') throw new Error(first.__typename)
    expect(first.edges.map((e) => idOf(e.node))).toEqual([todoId(fx.todos.callBob)])
    expect(first.edges[0].node).toMatchObject({ rank: 0, snippet: { text: 'Call Bob about the feedback loop', matches: [] } })
    expect(first.pageInfo.hasNextPage).toBe(true)
    const rest = await search({ query: '  ', filter: { kinds: ['TODO'], open: true }, first: 10, after: first.pageInfo.endCursor! })
    if (rest.__typename !== 'SearchConnection') throw new Error(rest.__typename)
    expect(rest.edges.map((e) => idOf(e.node))).toEqual([todoId(fx.todos.sendInvoice)])
    expect(rest.pageInfo.hasNextPage).toBe(false)
  })

  it('finds new text at once: the vector changes with the text, in its transaction, with no indexing job', async () => {
    const db = app.database.db
    await db.$transaction(async (tx) => {
      await tx.page.update({ where: { id: fx.pages.apart }, data: { ocrText: 'Capybara census, second attempt.' } })
      const [row] = await tx.$queryRaw<{ found: boolean; known: boolean }[]>`
        select search_vector @@ websearch_to_tsquery('english', 'capybara') as found,
          exists (select 1 from search_words where user_id = ${alice.id} and word = 'capybara') as known
        from pages where id = ${fx.pages.apart}`
      expect(row).toEqual({ found: true, known: true })
    })
    expect((await hits({ query: 'capybara' })).map(idOf)).toEqual([pageId(fx.pages.apart)])
    expect((await hits({ query: 'capybra' })).map(idOf)).toEqual([pageId(fx.pages.apart)])
    await db.page.update({ where: { id: fx.pages.apart }, data: { ocrText: 'We asked for feedback, then went around the loop twice.' } })
    expect(await hits({ query: 'capybara' })).toEqual([])
  })

  it('gives snippets as plain text: tags left out, and marks written in the page are not matches', async () => {
    const [hit] = await hits({ query: 'quokka' })
    // ts_headline drops what looks like an HTML tag; the rest is text for the client to render as text.
    expect(hit.snippet.text).toBe('Escaping test: alert("x") and forged marks around a quokka')
    expect(marked(hit)).toEqual(['quokka'])
  })

  it('reads a page of hits in a fixed number of statements, however many hits it holds', async () => {
    const count = async (query: string, kinds: string[]) => {
      statements.length = 0
      counting = true
      const found = await hits({ query, first: 20, filter: { kinds } })
      counting = false
      return { hits: found.length, statements: statements.length }
    }
    for (const kinds of [['PAGE'], ['TODO'], ['PAGE', 'TODO', 'HIGHLIGHT']]) {
      const one = await count('quokka or acme', kinds)
      const many = await count('invoice or feedback or zephyrine or quokka', kinds)
      expect(one.hits, kinds.join()).toBeGreaterThanOrEqual(1)
      expect(many.hits, kinds.join()).toBeGreaterThan(one.hits)
      expect(many.statements, kinds.join()).toBeLessThanOrEqual(one.statements + (kinds.length > 1 ? 2 : 0))
      expect(many.statements, kinds.join()).toBeLessThanOrEqual(11)
    }
  })

  it(`ranks the newest ${RANK_CANDIDATES} matches of a kind when a word is in more items than that`, async () => {
    const db = app.database.db
    const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 3_600_000)
    // The oldest todo says "walrus" three times: the best match, but older than 1,000 others.
    await db.todo.createMany({
      data: Array.from({ length: RANK_CANDIDATES + 1 }, (_, i) => ({
        userId: alice.id, notebookId: fx.notebooks.work, notebookUuid: 'nb-work', text: i === 0 ? 'walrus walrus walrus' : i === RANK_CANDIDATES ? 'walrus census walrus' : `walrus count ${i}`,
        contentHash: `walrus${i}`, fuzzySignature: `walrus_${i}`, confusionKey: `walrus_${i}`, createdAt: day(i),
      })),
    })
    try {
      const found = await hits({ query: 'walrus', first: 3 })
      expect(found[0].item).toMatchObject({ text: 'walrus census walrus' })
      expect(found.map((h) => (h.item as { text: string }).text)).not.toContain('walrus walrus walrus')
    } finally {
      await db.todo.deleteMany({ where: { text: { startsWith: 'walrus' } } })
    }
  })
})

describe('hostile and odd queries', () => {
  it('answers punctuation-only and operator soup with no hits, not an error', async () => {
    for (const query of ['!!!', '"" "', '&|!:*<->()', '-', 'or', '***', '\u0000\u0001', '\uE000\uE001']) expect(await hits({ query }), query).toEqual([])
  })

  it('reads SQL and tsquery syntax as words', async () => {
    for (const query of ["'); drop table pages; --", "invoice & !acme | 'x':*", 'invoice:* <-> acme', "o'brien\\", 'invoice\u0000acme', '😀 invoice']) {
      const r = await search({ query })
      expect(r.__typename, query).toBe('SearchConnection')
    }
    expect(await app.database.query('select count(*)::int as n from pages')).toMatchObject({ rows: [{ n: 9 }] })
  })

  it('reads an unbalanced quote as a phrase to the end', async () => {
    expect((await hits({ query: 'retro "feedback loop' })).map(idOf)).toEqual([pageId(fx.pages.feedback)])
  })

  it('refuses a 10 KB query, too many terms, and exclusions alone with a validation error', async () => {
    for (const query of ['invoice '.repeat(1280), Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '), '-invoice -acme']) {
      const r = await search({ query })
      expect(r, query.slice(0, 40)).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT' })
    }
  })

  it('refuses bad paging with a validation error and caps the page size', async () => {
    expect(await search({ query: 'invoice', first: -1 })).toMatchObject({ __typename: 'ValidationError' })
    for (const after of ['nonsense', Buffer.from('OffsetConnection:-5').toString('base64'), Buffer.from('OffsetConnection:5000').toString('base64')])
      expect(await search({ query: 'invoice', after }), after).toMatchObject({ __typename: 'ValidationError' })
    // A page holds at most 50 hits, whatever `first` asks (the limiter refuses a very large `first` by cost).
    await app.database.db.todo.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({ userId: alice.id, notebookId: fx.notebooks.work, notebookUuid: 'nb-work', text: `Feed the wombat ${i}`, contentHash: `w${i}`, fuzzySignature: `wombat_${i}`, confusionKey: `wombat_${i}` })),
    })
    const capped = await search({ query: 'wombat', first: 500 })
    if (capped.__typename !== 'SearchConnection') throw new Error(capped.__typename)
    expect(capped.edges).toHaveLength(50)
    expect(capped.pageInfo.hasNextPage).toBe(true)
    await app.database.db.todo.deleteMany({ where: { text: { startsWith: 'Feed the wombat' } } })
  })

  it('needs the read scope', async () => {
    expect(await search({ query: 'invoice' }, alice.apiToken)).toMatchObject({ __typename: 'NotAllowedError' })
  })

  it('counts a search as dear in the query limiter: 10 in one request pass, 13 are refused (13 cheap fields would pass)', async () => {
    const many = (n: number) => `{ viewer { ${Array.from({ length: n }, (_, i) => `s${i}: search(query: "invoice", first: 1) { __typename }`).join(' ')} } }`
    const post = (query: string) => app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.session}` }, body: JSON.stringify({ query }) }).then((r) => r.json() as Promise<any>)
    expect((await post(many(10))).errors).toBeUndefined()
    expect((await post(many(13))).errors[0].extensions.code).toBe('QUERY_TOO_COSTLY')
    expect((await post(`{ viewer { ${Array.from({ length: 13 }, (_, i) => `n${i}: notebooks(first: 1) { totalCount }`).join(' ')} } }`)).errors).toBeUndefined()
  })
})
