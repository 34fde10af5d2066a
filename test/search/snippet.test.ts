// Snippets: marks → plain text + UTF-16 ranges a client can emphasise without parsing markup.
import { describe, expect, it } from 'vitest'
import { MATCH_START as S, MATCH_STOP as E, makeOpeningSnippet, readMarkedSnippet } from '../../server/search/snippet.ts'

describe('readMarkedSnippet', () => {
  it('turns marks into ranges over one line of text', () => {
    const s = readMarkedSnippet(`  Send the ${S}invoice${E}\n\nto ${S}ACME${E} … the ${S}invoice${E} `)
    expect(s.text).toBe('Send the invoice to ACME … the invoice')
    expect(s.matches.map((m) => s.text.slice(m.start, m.start + m.length))).toEqual(['invoice', 'ACME', 'invoice'])
  })

  it('counts offsets in UTF-16 code units, as JavaScript indexes strings', () => {
    const s = readMarkedSnippet(`😀 ${S}Größe${E}`)
    expect(s.matches).toEqual([{ start: 3, length: 5 }])
    expect(s.text.slice(3, 8)).toBe('Größe')
  })

  it('closes an unclosed mark at the end and ignores a stray stop', () => {
    expect(readMarkedSnippet(`a${E} b ${S}cd`)).toEqual({ text: 'a b cd', matches: [{ start: 4, length: 2 }] })
  })
})

describe('makeOpeningSnippet', () => {
  it('keeps short text whole and cuts long text at a space', () => {
    expect(makeOpeningSnippet('one\n two')).toEqual({ text: 'one two', matches: [] })
    const long = makeOpeningSnippet('word '.repeat(100), 50)
    expect(long.text.endsWith(' …')).toBe(true)
    expect(long.text.length).toBeLessThanOrEqual(52)
  })

  it('never cuts a surrogate pair in half', () => {
    const s = makeOpeningSnippet('x' + '😀'.repeat(60), 50)
    expect(s.text.replace(' …', '')).not.toMatch(/[\uD800-\uDBFF]$/)
  })
})
