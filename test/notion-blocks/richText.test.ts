import { describe, expect, it } from 'vitest'
import { acceptLinkUrl, chunkRichText, splitContent, toPlainRichText, toRichText } from '../../server/notion/index.ts'

const plain = (content: string) => ({ type: 'text', text: { content } })
const styled = (content: string, annotations: Record<string, boolean>) => ({ type: 'text', text: { content }, annotations })
const joined = (items: { text: { content: string } }[]) => items.map((item) => item.text.content).join('')

describe('toRichText', () => {
  it('reads bold, italic, both, code and strike, omitting default annotations', () => {
    expect(toRichText('**b** *i* _u_ ***bi*** `c` ~~s~~')).toEqual([
      styled('b', { bold: true }),
      plain(' '),
      styled('i', { italic: true }),
      plain(' '),
      styled('u', { italic: true }),
      plain(' '),
      styled('bi', { bold: true, italic: true }),
      plain(' '),
      styled('c', { code: true }),
      plain(' '),
      styled('s', { strikethrough: true }),
    ])
  })

  it('nests emphasis: bold with italic inside', () => {
    expect(toRichText('**a *b* c**')).toEqual([styled('a ', { bold: true }), styled('b', { bold: true, italic: true }), styled(' c', { bold: true })])
  })

  it('makes http(s) and mailto links, with styled labels', () => {
    expect(toRichText('see [the **docs**](https://example.com/a_(b)) or [me](mailto:me@example.com)')).toEqual([
      plain('see '),
      { type: 'text', text: { content: 'the ', link: { url: 'https://example.com/a_(b)' } } },
      { type: 'text', text: { content: 'docs', link: { url: 'https://example.com/a_(b)' } }, annotations: { bold: true } },
      plain(' or '),
      { type: 'text', text: { content: 'me', link: { url: 'mailto:me@example.com' } } },
    ])
  })

  it('keeps other link targets as text, brackets and target included', () => {
    expect(toRichText('[x](javascript:alert(1)) [y](notes/page.md) [z]()')).toEqual([plain('[x](javascript:alert(1)) [y](notes/page.md) [z]()')])
  })

  it('keeps a link whose URL is over 2,000 characters as plain text', () => {
    const url = `https://example.com/${'a'.repeat(2000)}`
    expect(acceptLinkUrl(url)).toBeNull()
    expect(joined(toRichText(`[long](${url})`))).toBe(`[long](${url})`)
    expect(toRichText(`[long](${url})`).every((item) => !('link' in item.text))).toBe(true)
  })

  it('honours backslash escapes and leaves unmatched markers as text', () => {
    expect(toRichText('\\*not italic\\* a * b 2*3*4 snake_case_name ~approx ** x')).toEqual([plain('*not italic* a * b 2*3*4 snake_case_name ~approx ** x')])
  })

  it('keeps code span content literal and strips one padding space', () => {
    expect(toRichText('`` a `b` **c** ``')).toEqual([styled('a `b` **c**', { code: true })])
    expect(toRichText('`unclosed')).toEqual([plain('`unclosed')])
  })

  it('keeps arrows and symbols verbatim', () => {
    expect(toRichText('A -> B → C <= D => E ≠ F')).toEqual([plain('A -> B → C <= D => E ≠ F')])
  })

  it('splits a 5,000-character line into 3 items whose concatenation is the line', () => {
    const line = 'x'.repeat(5000)
    const items = toRichText(line)
    expect(items.map((item) => item.text.content.length)).toEqual([2000, 2000, 1000])
    expect(joined(items)).toBe(line)
  })

  it('splits styled long text keeping the annotation on every piece', () => {
    const items = toRichText(`**${'b'.repeat(4100)}**`)
    expect(items).toHaveLength(3)
    expect(items.every((item) => item.annotations?.bold === true)).toBe(true)
  })

  it('merges adjacent items with equal annotations across lines', () => {
    expect(toRichText('one\ntwo')).toEqual([plain('one\ntwo')])
    expect(toRichText('**a**\n**b**')).toEqual([styled('a', { bold: true }), plain('\n'), styled('b', { bold: true })])
  })

  it('does not let emphasis span lines', () => {
    expect(toRichText('*a\nb*')).toEqual([plain('*a\nb*')])
  })
})

describe('splitContent', () => {
  it('never cuts a surrogate pair or a grapheme cluster', () => {
    const family = '👨‍👩‍👧‍👦' // 11 UTF-16 units, one grapheme
    const text = 'a'.repeat(1995) + family + 'b'.repeat(10)
    const pieces = splitContent(text, 2000)
    expect(pieces.join('')).toBe(text)
    expect(pieces[0]).toBe('a'.repeat(1995))
    expect(pieces[1].startsWith(family)).toBe(true)
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2000)
  })

  it('falls back to code points for a single grapheme longer than the limit', () => {
    const monster = 'e' + '\u0301'.repeat(2500)
    const pieces = splitContent(monster, 2000)
    expect(pieces.join('')).toBe(monster)
    expect(pieces.map((piece) => piece.length)).toEqual([2000, 501])
  })

  it('does not split emoji surrogate pairs at the boundary', () => {
    const text = 'a'.repeat(1999) + '😀' + 'z'
    const pieces = splitContent(text, 2000)
    expect(pieces).toEqual(['a'.repeat(1999), '😀z'])
  })
})

describe('chunkRichText', () => {
  it('keeps at most 100 items per array and all text in order', () => {
    const items = toRichText(Array.from({ length: 130 }, (_, i) => (i % 2 ? `**w${i}**` : `w${i}`)).join(' '))
    expect(items.length).toBeGreaterThan(100)
    const chunks = chunkRichText(items)
    expect(chunks.length).toBe(Math.ceil(items.length / 100))
    expect(chunks.every((chunk) => chunk.length <= 100)).toBe(true)
    expect(chunks.flat()).toEqual(items)
  })

  it('also cuts by bytes, so no block outgrows a request', () => {
    const items = toPlainRichText('日'.repeat(2000 * 100))
    const chunks = chunkRichText(items)
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) expect(Buffer.byteLength(JSON.stringify(chunk))).toBeLessThanOrEqual(200_000)
    expect(joined(chunks.flat())).toBe('日'.repeat(200_000))
  })

  it('returns one empty array for no items', () => {
    expect(chunkRichText([])).toEqual([[]])
  })
})
