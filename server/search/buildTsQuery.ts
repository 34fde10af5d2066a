// A parsed query as one tsquery expression over the search vectors (see the search migration: the
// english stems carry weight A, the words as written weight D). SQL text comes only from the fixed
// fragments below; every piece the user typed is a bound parameter.
import { Prisma } from '../generated/prisma/client.ts'
import type { ParsedQuery, SearchTerm } from './parseSearchQuery.ts'

/** Similar vocabulary words per query word (lowercased), from findSimilarWords. */
export type Widening = ReadonlyMap<string, readonly string[]>

export interface TsQueries {
  /** What a hit must match, and what it is ranked by. */
  match: Prisma.Sql
  /** What the snippet marks: the match plus the english stems of the similar words. */
  headline: Prisma.Sql
}

/**
 * A word matches by english stem or as written; a phrase likewise, word after word; a prefix matches
 * the words as written. A word is widened with its similar words, as written and only against the
 * words-as-written half (`:D`, weight 0.1 in ts_rank), so an OCR variant ranks below an exact match.
 * ts_rank ignores a query's weight restriction, so the similar words' english stems (which would
 * count at weight A) stay out of the match; the snippet needs them, as it finds words by english stem.
 */
export function buildTsQuery(query: ParsedQuery, widening: Widening = new Map()): TsQueries {
  const groups = query.groups.map((g) => Prisma.sql`(${Prisma.join(g.map((t) => buildTerm(t, widening)), ' || ')})`)
  const match = Prisma.join(groups, ' && ')
  const similar = [...new Set(query.groups.flat().flatMap((t) => (t.kind === 'word' && !t.negated ? widening.get(t.text.toLowerCase()) ?? [] : [])))]
  if (!similar.length) return { match, headline: match }
  const stems = similar.map((w) => quoteLexeme(w)).join(' | ')
  return { match, headline: Prisma.sql`(${match}) || to_tsquery('english', ${stems})` }
}

function buildTerm(term: SearchTerm, widening: Widening): Prisma.Sql {
  const exact = buildExact(term)
  if (term.negated) return Prisma.sql`!!${exact}`
  const similar = term.kind === 'word' ? widening.get(term.text.toLowerCase()) : undefined
  if (!similar?.length) return exact
  const alternatives = similar.map((w) => `${quoteLexeme(w)}:D`).join(' | ')
  return Prisma.sql`(${exact} || ${alternatives}::tsquery)`
}

function buildExact(term: SearchTerm): Prisma.Sql {
  switch (term.kind) {
    case 'word':
      return Prisma.sql`(websearch_to_tsquery('english', ${term.text}) || websearch_to_tsquery('simple', ${term.text}))`
    case 'phrase': {
      const phrase = `"${term.text}"`
      return Prisma.sql`(websearch_to_tsquery('english', ${phrase}) || websearch_to_tsquery('simple', ${phrase}))`
    }
    case 'prefix': {
      // Letters and digits only (parseSearchQuery), quoted all the same.
      const prefix = `${quoteLexeme(term.text)}:*`
      return Prisma.sql`(to_tsquery('simple', ${prefix}) || to_tsquery('english', ${prefix}))`
    }
  }
}

/** A lexeme in tsquery syntax: quoted, with quotes and backslashes escaped. */
export function quoteLexeme(word: string): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
}
