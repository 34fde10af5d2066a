// viewer.search: one user's pages, todos and highlights, found by full-text search (ranked, with a
// snippet), or — without a query — listed newest first ("open todos across all notebooks").
import { Prisma } from '../generated/prisma/client.ts'
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import { ValidationError } from '../errors.ts'
import { hasPositiveTerm, listFuzzyWords, parseSearchQuery } from './parseSearchQuery.ts'
import { buildTsQuery, type TsQueries } from './buildTsQuery.ts'
import { findSimilarWords, isWideningAvailable } from './findSimilarWords.ts'
import { HEADLINE_OPTIONS, MATCH_START, MATCH_STOP, makeOpeningSnippet, readMarkedSnippet, type Snippet } from './snippet.ts'

export const SEARCH_KINDS = ['PAGE', 'TODO', 'HIGHLIGHT'] as const
export type SearchKind = (typeof SEARCH_KINDS)[number]

/** How deep one can page into results; ranking more than this many hits per kind helps nobody. */
export const MAX_SEARCH_DEPTH = 1000
/** Matches of one kind that are ranked at most: the newest ones (see makeRankedSql). */
export const RANK_CANDIDATES = 1000

export interface SearchRequest {
  userId: number
  /** Null or blank: list the items the filter selects, newest first. */
  query?: string | null
  notebookId?: number | null
  /** Null or empty: every kind. */
  kinds?: readonly SearchKind[] | null
  /** Todos only: true → not done, false → done. Pages and highlights ignore it. */
  open?: boolean | null
  offset: number
  limit: number
}

export interface SearchHit {
  kind: SearchKind
  id: number
  notebookId: number
  pageId: number | null
  /** The page's position in its notebook now. */
  pageNumber: number | null
  /** ts_rank, normalised to [0, 1); 0 when listing without a query. */
  rank: number
  snippet: Snippet
}

interface HitRow {
  kind: SearchKind
  id: number
  notebook_id: number
  page_id: number | null
  page_number: number | null
  rank: number
  snippet: string
}

export async function searchLibrary(db: Db, logger: Logger, request: SearchRequest): Promise<SearchHit[]> {
  const prepared = await prepareSearch(db, logger, request)
  if (!prepared) return []
  const rows = await db.$queryRaw<HitRow[]>(prepared.sql)
  const readSnippet = prepared.ranked ? readMarkedSnippet : makeOpeningSnippet
  return rows.map((r) => ({ kind: r.kind, id: r.id, notebookId: r.notebook_id, pageId: r.page_id, pageNumber: r.page_number, rank: r.rank, snippet: readSnippet(r.snippet) }))
}

export interface PreparedSearch {
  /** The one statement that finds the hits (bench/search.ts prints its plan). */
  sql: Prisma.Sql
  /** Ranked by a query (snippets marked), or a listing without one (snippets are the openings). */
  ranked: boolean
}

/** Reads the query and widens its words; null when there is nothing to look for. */
export async function prepareSearch(db: Db, logger: Logger, request: SearchRequest): Promise<PreparedSearch | null> {
  if (request.offset + request.limit > MAX_SEARCH_DEPTH + 1) throw new ValidationError(`Search results go at most ${MAX_SEARCH_DEPTH} hits deep; narrow the query`, 'after')
  const kinds = request.kinds?.length ? new Set(request.kinds) : new Set(SEARCH_KINDS)
  const text = request.query?.trim() ?? ''
  if (!text) return { sql: makeNewestSql(request, kinds), ranked: false }

  const parsed = parseSearchQuery(text)
  // Only punctuation: nothing to look for, so nothing found.
  if (!parsed.groups.length) return null
  if (!hasPositiveTerm(parsed)) throw new ValidationError('Add a word to look for: excluded words alone would match everything', 'query')
  const fuzzyWords = listFuzzyWords(parsed)
  const widening = fuzzyWords.length && (await isWideningAvailable(db, logger)) ? await findSimilarWords(db, request.userId, fuzzyWords) : undefined
  return { sql: makeRankedSql(buildTsQuery(parsed, widening), request, kinds), ranked: true }
}

/**
 * Each kind's best `offset + limit` hits by rank, merged, the page cut out, and only then a snippet
 * made for each hit on it. The GIN index finds the matches cheaply; ranking reads each match's
 * vector (often out of line, compressed), which is the cost: so only the newest RANK_CANDIDATES
 * matches of a kind are ranked — all of them, unless a word is in more than that many items.
 */
function makeRankedSql(tsquery: TsQueries, request: SearchRequest, kinds: Set<SearchKind>): Prisma.Sql {
  const perKind = request.offset + request.limit
  const { userId, notebookId, open } = request
  const inNotebook = (alias: string) => (notebookId != null ? Prisma.sql`and ${Prisma.raw(alias)}.notebook_id = ${notebookId}` : Prisma.empty)
  const parts: Prisma.Sql[] = []
  if (kinds.has('PAGE'))
    parts.push(Prisma.sql`(
      select 'PAGE' as kind, c.id, c.notebook_id, c.id as page_id, ts_rank(c.search_vector, q.tsq, 33)::float8 as rank, c.created_at, c.ocr_text as doc
      from (
        select p.id, p.notebook_id, p.created_at, p.search_vector, p.ocr_text
        from pages p, q
        where p.user_id = ${userId} and p.search_vector @@ q.tsq ${inNotebook('p')}
        order by p.created_at desc, p.id desc limit ${RANK_CANDIDATES}
      ) c, q
      -- Pages that left their notebook keep their text but are not in it any more.
      where exists (select 1 from notebook_pages np where np.page_id = c.id)
      order by rank desc, c.id desc limit ${perKind})`)
  if (kinds.has('TODO'))
    parts.push(Prisma.sql`(
      select 'TODO' as kind, c.id, c.notebook_id, c.page_id, ts_rank(c.search_vector, q.tsq, 33)::float8 as rank, c.created_at, c.text as doc
      from (
        select t.id, t.notebook_id, t.page_id, t.created_at, t.search_vector, t.text
        from todos t, q
        where t.user_id = ${userId} and t.search_vector @@ q.tsq and t.removed_at is null ${inNotebook('t')}
          ${open == null ? Prisma.empty : Prisma.sql`and t.completed = ${!open}`}
        order by t.created_at desc, t.id desc limit ${RANK_CANDIDATES}
      ) c, q
      order by rank desc, c.id desc limit ${perKind})`)
  if (kinds.has('HIGHLIGHT'))
    parts.push(Prisma.sql`(
      select 'HIGHLIGHT' as kind, c.id, c.notebook_id, c.page_id, ts_rank(c.search_vector, q.tsq, 33)::float8 as rank, c.created_at, c.doc
      from (
        select h.id, h.notebook_id, h.page_id, h.created_at, h.search_vector, coalesce(h.corrected_text, h.original_text) as doc
        from highlights h, q
        where h.user_id = ${userId} and h.search_vector @@ q.tsq and h.removed_at is null ${inNotebook('h')}
        order by h.created_at desc, h.id desc limit ${RANK_CANDIDATES}
      ) c, q
      order by rank desc, c.id desc limit ${perKind})`)
  // The query is computed once (a one-row CTE) and its value used by every index scan.
  return Prisma.sql`
    with q as materialized (select ${tsquery.match} as tsq, ${tsquery.headline} as hlq),
    page as (
      select * from (${Prisma.join(parts, ' union all ')}) hits
      order by rank desc, created_at desc, kind, id desc
      offset ${request.offset} limit ${request.limit}
    )
    select page.kind, page.id, page.notebook_id, page.page_id, page.rank,
      (select np.page_number from notebook_pages np where np.page_id = page.page_id) as page_number,
      ts_headline('english', translate(left(page.doc, 100000), ${MATCH_START + MATCH_STOP}, ''), q.hlq, ${HEADLINE_OPTIONS}) as snippet
    from page, q
    order by page.rank desc, page.created_at desc, page.kind, page.id desc`
}

/** No query: the newest items the filter selects (the open-todos view is an index scan). */
function makeNewestSql(request: SearchRequest, kinds: Set<SearchKind>): Prisma.Sql {
  const perKind = request.offset + request.limit
  const { userId, notebookId, open } = request
  const inNotebook = (alias: string) => (notebookId != null ? Prisma.sql`and ${Prisma.raw(alias)}.notebook_id = ${notebookId}` : Prisma.empty)
  const parts: Prisma.Sql[] = []
  if (kinds.has('PAGE'))
    parts.push(Prisma.sql`(
      select 'PAGE' as kind, p.id, p.notebook_id, p.id as page_id, p.created_at, left(p.ocr_text, 1000) as doc
      from pages p
      where p.user_id = ${userId} and p.ocr_text <> '' ${inNotebook('p')}
        and exists (select 1 from notebook_pages np where np.page_id = p.id)
      order by p.created_at desc, p.id desc limit ${perKind})`)
  if (kinds.has('TODO'))
    parts.push(Prisma.sql`(
      select 'TODO' as kind, t.id, t.notebook_id, t.page_id, t.created_at, left(t.text, 1000) as doc
      from todos t
      where t.user_id = ${userId} and t.removed_at is null ${inNotebook('t')}
        ${open == null ? Prisma.empty : open ? Prisma.sql`and not t.completed` : Prisma.sql`and t.completed`}
      order by t.created_at desc, t.id desc limit ${perKind})`)
  if (kinds.has('HIGHLIGHT'))
    parts.push(Prisma.sql`(
      select 'HIGHLIGHT' as kind, h.id, h.notebook_id, h.page_id, h.created_at, left(coalesce(h.corrected_text, h.original_text), 1000) as doc
      from highlights h
      where h.user_id = ${userId} and h.removed_at is null ${inNotebook('h')}
      order by h.created_at desc, h.id desc limit ${perKind})`)
  return Prisma.sql`
    select kind, id, notebook_id, page_id, (select np.page_number from notebook_pages np where np.page_id = hits.page_id) as page_number,
      0::float8 as rank, doc as snippet
    from (${Prisma.join(parts, ' union all ')}) hits
    order by created_at desc, kind, id desc
    offset ${request.offset} limit ${request.limit}`
}
