// OCR-garbled and partial words: each query word is widened with the words of the user's own library
// (search_words, kept by triggers in the transaction that writes the text) that resemble it by
// trigrams — "invoce" → "invoice", "invo" → "invoice". One statement for every word of a query.
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import type { Widening } from './buildTsQuery.ts'

/** How close a library word must be to a query word (pg_trgm word_similarity: query within word). */
export const MIN_WORD_SIMILARITY = 0.5
/** Similar words added per query word, closest first. */
export const MAX_SIMILAR_WORDS = 4

const availability = new WeakMap<Db, Promise<boolean>>()

/**
 * Whether the trigram index exists. The migration creates it only where pg_trgm and btree_gin could
 * be installed; without it, search still works, without widening, and says so once in the log.
 */
export function isWideningAvailable(db: Db, logger: Logger): Promise<boolean> {
  let known = availability.get(db)
  if (!known) {
    known = db.$queryRaw<{ ok: boolean }[]>`select exists (select 1 from pg_indexes where indexname = 'search_words_trgm_idx') as ok`.then(([row]) => {
      if (!row.ok) logger.warn('search: the pg_trgm extension is not installed, so searches do not match OCR-garbled or partial words (README, Search)')
      return row.ok
    })
    // A failed check is tried again on the next search.
    known.catch(() => availability.delete(db))
    availability.set(db, known)
  }
  return known
}

export async function findSimilarWords(db: Db, userId: number, words: readonly string[]): Promise<Widening> {
  const widening = new Map<string, string[]>()
  if (!words.length) return widening
  // `%` (similarity ≥ pg_trgm.similarity_threshold, 0.3 by default) is what the index answers; the
  // finer word_similarity then keeps words that contain the query word nearly as typed.
  const rows = await db.$queryRaw<{ query: string; word: string }[]>`
    select q.query, s.word
    from unnest(${words}::text[]) as q(query)
    cross join lateral (
      select w.word
      from search_words w
      where w.user_id = ${userId} and w.word % q.query and w.word <> q.query
        and word_similarity(q.query, w.word) >= ${MIN_WORD_SIMILARITY}
      order by word_similarity(q.query, w.word) desc, similarity(q.query, w.word) desc, w.word
      limit ${MAX_SIMILAR_WORDS}
    ) s`
  for (const { query, word } of rows) {
    // Only plain words become tsquery lexemes (buildTsQuery); "e-mail" or "a.b" are found exactly anyway.
    if (!/^[\p{L}\p{N}\p{M}]+$/u.test(word)) continue
    widening.set(query, [...(widening.get(query) ?? []), word])
  }
  return widening
}
