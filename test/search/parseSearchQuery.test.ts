// Reading the search box: words, phrases, exclusions, `or`, prefixes — and limits on what is read.
import { describe, expect, it } from 'vitest'
import { hasPositiveTerm, listFuzzyWords, parseSearchQuery, MAX_QUERY_LENGTH } from '../../server/search/parseSearchQuery.ts'
import { ValidationError } from '../../server/errors.ts'

const terms = (q: string) => parseSearchQuery(q).groups.map((g) => g.map((t) => `${t.negated ? '-' : ''}${t.kind}:${t.text}`))

describe('parseSearchQuery', () => {
  it('reads words, "phrases", -exclusions, or, and prefix*', () => {
    expect(terms('"feedback loop" invoic* -draft budget or costs')).toEqual([
      ['phrase:feedback loop'], ['prefix:invoic'], ['-word:draft'], ['word:budget', 'word:costs'],
    ])
  })

  it('keeps an excluded term out of an `or` (it would match nearly everything)', () => {
    expect(terms('budget or -costs')).toEqual([['word:budget'], ['-word:costs']])
    expect(hasPositiveTerm(parseSearchQuery('-a -b'))).toBe(false)
    expect(hasPositiveTerm(parseSearchQuery('a -b'))).toBe(true)
  })

  it('runs an unclosed quote to the end, and ignores empty phrases, a lone dash, and a dangling or', () => {
    expect(terms('retro "feedback  loop')).toEqual([['word:retro'], ['phrase:feedback loop']])
    expect(terms('"" - or x or')).toEqual([['word:x']])
  })

  it('makes a prefix of one word: letters and digits, at least two of them', () => {
    expect(terms('e-mai*')).toEqual([['word:e'], ['prefix:mai']])
    expect(terms('Z* ***')).toEqual([['word:Z']])
    expect(terms("o'Bri*")).toEqual([['word:o'], ['prefix:bri']])
  })

  it('turns control, private-use and unpaired surrogate characters into spaces', () => {
    expect(terms('in\u0000voice \uE000x\uE001 \uD800y')).toEqual([['word:in'], ['word:voice'], ['word:x'], ['word:y']])
  })

  it('widens plain words of four letters or more, not numbers, prefixes, phrases or exclusions', () => {
    expect(listFuzzyWords(parseSearchQuery('Invoce inv 2024 "feedback loop" meet* -draft Größe'))).toEqual(['invoce', 'größe'])
  })

  it(`refuses more than ${MAX_QUERY_LENGTH} characters and more than 16 terms`, () => {
    expect(() => parseSearchQuery('x'.repeat(MAX_QUERY_LENGTH + 1))).toThrow(ValidationError)
    expect(() => parseSearchQuery(Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '))).toThrow(/at most 16/)
    expect(parseSearchQuery(Array.from({ length: 16 }, (_, i) => `w${i}`).join(' ')).groups).toHaveLength(16)
  })
})
