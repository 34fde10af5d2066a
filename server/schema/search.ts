// viewer.search: find anything in one's own pages, todos and highlights (server/search/).
import { viewerUserId } from '../auth/requireViewer.ts'
import { resolveOffsetConnection } from '@pothos/plugin-relay'
import { queryFromInfo } from '@pothos/plugin-prisma'
import type { GraphQLResolveInfo } from 'graphql'
import { PothosValidationError } from '@pothos/core'
import DataLoader from 'dataloader'
import { builder } from '../builder.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { requireViewer } from '../auth/requireViewer.ts'
import type { Context } from '../context.ts'
import type { Highlight, Notebook, Page, Todo } from '../generated/prisma/client.ts'
import { MAX_QUERY_LENGTH } from '../search/parseSearchQuery.ts'
import { MAX_SEARCH_DEPTH, SEARCH_KINDS, searchLibrary, type SearchHit } from '../search/searchLibrary.ts'
import type { Snippet, TextRange } from '../search/snippet.ts'
import { parseGlobalId } from './globalIds.ts'
import { AUTH_ERRORS } from './errors.ts'
import { ViewerRef } from './viewer.ts'
import { PageRef } from './page.ts'
import { TodoRef } from './todo.ts'
import { HighlightRef } from './highlight.ts'
import { NotebookRef } from './notebook.ts'

/** What one search costs in the query limiter (server/http/queryLimits.ts: 60,000 per operation). */
export const SEARCH_COST = 5000
const DEFAULT_PAGE_SIZE = 20
const MAX_PAGE_SIZE = 50

const SearchKindEnum = builder.enumType('SearchKind', { values: SEARCH_KINDS })

const SearchFilter = builder.inputType('SearchFilter', {
  fields: (t) => ({
    notebookId: t.id({ description: 'Only this notebook.' }),
    kinds: t.field({ type: [SearchKindEnum], description: 'Only these kinds of item (all when absent or empty).' }),
    open: t.boolean({ description: 'Todos only: true → not done yet, false → done. Pages and highlights are not affected.' }),
  }),
})

const TextRangeRef = builder.objectRef<TextRange>('TextRange').implement({
  description: 'A part of a text, in UTF-16 code units (JavaScript string indices).',
  fields: (t) => ({ start: t.exposeInt('start'), length: t.exposeInt('length') }),
})

const SnippetRef = builder.objectRef<Snippet>('SearchSnippet').implement({
  description: 'Plain text around the best matches (fragments joined by " … "), and where the matched words are in it: render the text, emphasise the ranges. Never markup.',
  fields: (t) => ({
    text: t.exposeString('text'),
    matches: t.field({ type: [TextRangeRef], resolve: (s) => s.matches }),
  }),
})

type Item = Page | Todo | Highlight
const ItemTypeName = new WeakMap<object, 'Page' | 'Todo' | 'Highlight'>()

const SearchItemRef = builder.unionType('SearchItem', {
  types: [PageRef, TodoRef, HighlightRef],
  resolveType: (item) => ItemTypeName.get(item as object)!,
})

interface LoadedHit extends SearchHit {
  item: Item
  notebook: Notebook
}

const SearchHitRef = builder.objectRef<LoadedHit>('SearchHit').implement({
  description: 'One item found: what it is, where it is, why it matched.',
  fields: (t) => ({
    kind: t.field({ type: SearchKindEnum, resolve: (h) => h.kind }),
    item: t.field({ type: SearchItemRef, resolve: (h) => h.item }),
    notebook: t.field({ type: NotebookRef, resolve: (h) => h.notebook }),
    page: t.field({
      type: PageRef,
      nullable: true,
      description: 'The page it is on (for a page, itself).',
      resolve: (h, _a, ctx, info) => (h.pageId == null ? null : loadPage(ctx, info, h.pageId)),
    }),
    pageNumber: t.int({ nullable: true, description: 'The number of the page it is on, in its notebook; null for a page no longer in it.', resolve: (h) => h.pageNumber }),
    snippet: t.field({ type: SnippetRef, resolve: (h) => h.snippet }),
    rank: t.exposeFloat('rank', { description: 'Relevance in [0, 1): higher is better; 0 when listing without a query.' }),
  }),
})

builder.objectField(ViewerRef, 'search', (t) =>
  t.connection(
    {
      type: SearchHitRef,
      description: `Pages, todos and highlights matching a query, best first: words match by english stem or as written, "a phrase" word after word, prefix* as a prefix, -word excludes, "or" between two terms takes either; OCR-garbled and partial words find similar words. Without a query (null or blank), the items the filter selects, newest first: filter { kinds: [TODO], open: true } lists the open todos of every notebook. At most ${MAX_QUERY_LENGTH} characters, ${MAX_PAGE_SIZE} hits per page, ${MAX_SEARCH_DEPTH} hits deep.`,
      args: {
        query: t.arg.string(),
        filter: t.arg({ type: SearchFilter }),
      },
      extensions: { cost: SEARCH_COST },
      errors: { types: [ValidationError, NotFoundError, ...AUTH_ERRORS], directResult: true, union: { name: 'SearchResult' } },
      resolve: async (_viewer, args, ctx, info) => {
        const viewer = requireViewer(ctx)
        assertOffsetCursors(args)
        const filter = args.filter ?? {}
        const notebookId = filter.notebookId == null ? null : await findOwnNotebook(ctx, viewer.userId, String(filter.notebookId))
        try {
          return await resolveOffsetConnection({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE }, async ({ offset, limit }) => {
            const hits = await searchLibrary(ctx.db, ctx.logger, { userId: viewer.userId, query: args.query, notebookId, kinds: filter.kinds, open: filter.open, offset, limit })
            return loadHits(ctx, info, viewer.userId, hits)
          })
        } catch (err) {
          // first: -1, or `last` without `before`: Pothos' own checks, reported as ours.
          if (err instanceof PothosValidationError) throw new ValidationError(err.message)
          throw err
        }
      },
    },
    { name: 'SearchConnection' },
    { name: 'SearchEdge' },
  ),
)

/** Offset cursors are ours to read: anything else is a typed error, not a crash. */
function assertOffsetCursors(args: { after?: string | null; before?: string | null }): void {
  for (const name of ['after', 'before'] as const) {
    const cursor = args[name]
    if (cursor == null) continue
    const m = /^OffsetConnection:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
    if (!m || Buffer.from(m[0]).toString('base64') !== cursor) throw new ValidationError(`Not a cursor of this search: ${name}`, name)
  }
}

async function findOwnNotebook(ctx: Context, userId: number, id: string): Promise<number> {
  const notebookId = parseGlobalId(id, 'Notebook')
  const notebook = await ctx.db.notebook.findFirst({ where: { id: notebookId, userId }, select: { id: true } })
  if (!notebook) throw new NotFoundError('No such notebook')
  return notebook.id
}

/**
 * Each hit with its item and notebook (hits whose item was deleted meanwhile are left out), loaded
 * with what the operation selects below them (queryFromInfo), so their fields need no query of their own.
 */
async function loadHits(ctx: Context, info: GraphQLResolveInfo, userId: number, hits: SearchHit[]): Promise<LoadedHit[]> {
  const idsOf = (kind: SearchHit['kind']) => hits.filter((h) => h.kind === kind).map((h) => h.id)
  const below = (field: string, typeName: string) => queryFromInfo({ context: ctx, info, typeName, path: ['edges', 'node', field] }) as object
  const notebookIds = [...new Set(hits.map((h) => h.notebookId))]
  const [pages, todos, highlights, notebooks] = await Promise.all([
    idsOf('PAGE').length ? ctx.db.page.findMany({ ...below('item', 'Page'), where: { userId, id: { in: idsOf('PAGE') } } }) : [],
    idsOf('TODO').length ? ctx.db.todo.findMany({ ...below('item', 'Todo'), where: { userId, id: { in: idsOf('TODO') } } }) : [],
    idsOf('HIGHLIGHT').length ? ctx.db.highlight.findMany({ ...below('item', 'Highlight'), where: { userId, id: { in: idsOf('HIGHLIGHT') } } }) : [],
    notebookIds.length ? ctx.db.notebook.findMany({ ...below('notebook', 'Notebook'), where: { userId, id: { in: notebookIds } } }) : [],
  ])
  const items = new Map<string, Item>()
  for (const [kind, rows, typeName] of [['PAGE', pages, 'Page'], ['TODO', todos, 'Todo'], ['HIGHLIGHT', highlights, 'Highlight']] as const)
    for (const row of rows as Item[]) {
      ItemTypeName.set(row, typeName)
      items.set(`${kind}:${row.id}`, row)
    }
  const notebookById = new Map((notebooks as Notebook[]).map((n) => [n.id, n]))
  const loaded: LoadedHit[] = []
  for (const hit of hits) {
    const item = items.get(`${hit.kind}:${hit.id}`)
    const notebook = notebookById.get(hit.notebookId)
    if (item && notebook) loaded.push({ ...hit, item, notebook })
  }
  return loaded
}

const pageLoaders = new WeakMap<Context, DataLoader<number, Page | null>>()

/** The hits' pages, in one statement per request, with what the operation selects in them. */
function loadPage(ctx: Context, info: GraphQLResolveInfo, id: number): Promise<Page | null> {
  let loader = pageLoaders.get(ctx)
  if (!loader) {
    const userId = viewerUserId(ctx)
    const selection = queryFromInfo({ context: ctx, info, path: [] }) as object
    loader = new DataLoader(async (ids: readonly number[]) => {
      const rows = (await ctx.db.page.findMany({ ...selection, where: { userId, id: { in: [...ids] } } })) as Page[]
      const byId = new Map(rows.map((r) => [r.id, r]))
      return ids.map((i) => byId.get(i) ?? null)
    })
    pageLoaders.set(ctx, loader)
  }
  return loader.load(id)
}
