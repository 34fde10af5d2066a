// The dashboard's snippet: the API's text cut at its match ranges, whatever the ranges look like.
import { describe, expect, it } from 'vitest'
import { splitSnippet } from '../../web/src/components/Snippet.tsx'

describe('splitSnippet', () => {
  it('cuts the text at the ranges, in order, keeping everything between', () => {
    expect(splitSnippet({ text: 'Send the invoice to ACME, invoice no. 7', matches: [{ start: 26, length: 7 }, { start: 9, length: 7 }] })).toEqual([
      { text: 'Send the ', match: false },
      { text: 'invoice', match: true },
      { text: ' to ACME, ', match: false },
      { text: 'invoice', match: true },
      { text: ' no. 7', match: false },
    ])
  })

  it('counts in UTF-16 units, as the API does, and survives overlapping or out-of-range ranges', () => {
    const text = 'Café 🎉 plans'
    expect(splitSnippet({ text, matches: [{ start: 8, length: 5 }] }).filter((p) => p.match).map((p) => p.text)).toEqual(['plans'])
    expect(splitSnippet({ text: 'abcdef', matches: [{ start: 1, length: 3 }, { start: 2, length: 3 }, { start: 5, length: 10 }] })).toEqual([
      { text: 'a', match: false },
      { text: 'bcd', match: true },
      { text: 'e', match: true },
      { text: 'f', match: true },
    ])
    expect(splitSnippet({ text: '<b>x</b>', matches: [] })).toEqual([{ text: '<b>x</b>', match: false }])
  })
})
