// What a user types into the search box, read the way web search engines (and PostgreSQL's
// websearch_to_tsquery) read it — words, "quoted phrases", -excluded, `or` — plus `prefix*`, which
// websearch_to_tsquery does not know. The result is plain data: nothing typed here ever becomes SQL
// text; each term travels as a bound parameter (buildTsQuery.ts).
import { ValidationError } from '../errors.ts'

export const MAX_QUERY_LENGTH = 500
export const MAX_TERMS = 16
/** Prefixes shorter than this would match most of a library; they are searched as whole words. */
export const MIN_PREFIX_LENGTH = 2
/** Words shorter than this are not widened to similar words (trigrams of 3 letters say little). */
export const MIN_FUZZY_LENGTH = 4

export type SearchTerm =
  | { kind: 'word'; text: string; negated: boolean }
  | { kind: 'phrase'; text: string; negated: boolean }
  | { kind: 'prefix'; text: string; negated: boolean }

/** Terms in groups: a hit matches every group, and within a group any term (`a or b`); an excluded
 * term is a group of its own. */
export interface ParsedQuery {
  groups: SearchTerm[][]
}

const WORD_CHAR = /[\p{L}\p{N}]/u
// Control characters (NUL cannot even be sent to PostgreSQL), private-use characters (the snippet
// markers) and unpaired surrogates are spaces.
const UNSAFE = /[\p{Cc}\p{Co}\p{Cs}]/gu

/** Reads a search query. Throws ValidationError when it is too long or has too many terms. */
export function parseSearchQuery(raw: string): ParsedQuery {
  if (raw.length > MAX_QUERY_LENGTH) throw new ValidationError(`A search query has at most ${MAX_QUERY_LENGTH} characters`, 'query')
  const text = raw.normalize('NFC').replace(UNSAFE, ' ')
  const groups: SearchTerm[][] = []
  let joinNext = false // the previous token was `or`
  let count = 0
  const push = (term: SearchTerm) => {
    if (++count > MAX_TERMS) throw new ValidationError(`A search query has at most ${MAX_TERMS} words or phrases`, 'query')
    const last = groups[groups.length - 1]
    // An excluded term always applies: `a or -b` would match nearly everything (and defeat the index).
    if (joinNext && last && !term.negated && !last[0].negated) last.push(term)
    else groups.push([term])
    joinNext = false
  }

  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (/\s/u.test(c)) {
      i++
      continue
    }
    let negated = false
    if (c === '-' && i + 1 < text.length && !/\s/u.test(text[i + 1])) {
      negated = true
      i++
    }
    if (text[i] === '"') {
      // An unclosed quote runs to the end, as in websearch_to_tsquery.
      const close = text.indexOf('"', i + 1)
      const end = close === -1 ? text.length : close
      const phrase = text.slice(i + 1, end).replace(/\s+/gu, ' ').trim()
      i = end + 1
      if (WORD_CHAR.test(phrase)) push({ kind: 'phrase', text: phrase, negated })
      continue
    }
    let end = i
    while (end < text.length && !/\s/u.test(text[end]) && text[end] !== '"') end++
    const token = text.slice(i, end)
    i = end
    if (!negated && token.toLowerCase() === 'or') {
      joinNext = groups.length > 0
      continue
    }
    if (token.endsWith('*')) pushPrefix(token, negated, push)
    else if (WORD_CHAR.test(token)) push({ kind: 'word', text: token, negated })
  }
  return { groups }
}

/** `invoic*` → prefix "invoic"; `e-mai*` → word "e" and prefix "mai" (a prefix is one word). */
function pushPrefix(token: string, negated: boolean, push: (t: SearchTerm) => void): void {
  const parts = token.replace(/\*+$/u, '').split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean)
  const last = parts.pop()
  if (!last) return
  for (const part of parts) push({ kind: 'word', text: part, negated })
  if ([...last].length < MIN_PREFIX_LENGTH) push({ kind: 'word', text: last, negated })
  else push({ kind: 'prefix', text: last.toLowerCase(), negated })
}

/** True when nothing would be searched for: a hit needs at least one term that is not excluded. */
export function hasPositiveTerm(query: ParsedQuery): boolean {
  return query.groups.some((g) => g.some((t) => !t.negated))
}

/** Words worth widening to similar ones: plain letters, long enough, not excluded. */
export function listFuzzyWords(query: ParsedQuery): string[] {
  const words = new Set<string>()
  for (const group of query.groups)
    for (const t of group)
      if (t.kind === 'word' && !t.negated && /^[\p{L}\p{M}]+$/u.test(t.text) && [...t.text].length >= MIN_FUZZY_LENGTH) words.add(t.text.toLowerCase())
  return [...words]
}
