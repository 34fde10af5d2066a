// Frontmatter values are user text: every string must come back from a YAML reader as it went in,
// whatever it holds, and stay plain (unquoted) only when that is safe.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { formatFrontmatter, formatYamlString } from '../../server/markdown/frontmatter.ts'
import { renderNotebookMarkdown } from '../../server/markdown/renderNotebookMarkdown.ts'

const readBack = (value: string, version: '1.1' | '1.2') => parseYaml(`v: ${formatYamlString(value)}\n`, { version }).v

describe('YAML strings in frontmatter', () => {
  it.each([
    ['Meeting notes', 'Meeting notes'],
    ['Work / Projects', 'Work / Projects'],
    ['東京 メモ', '東京 メモ'],
    ['Reunion: Q3', '"Reunion: Q3"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['line one\nline two', '"line one\\nline two"'],
    ['#tag', '"#tag"'],
    ['yes', '"yes"'],
    ['No', '"No"'],
    ['null', '"null"'],
    ['2024', '"2024"'],
    ['2024-01-01', '"2024-01-01"'],
    ['- item', '"- item"'],
    ['', '""'],
    [' leading', '" leading"'],
    ['trailing ', '"trailing "'],
    ['a\\b', '"a\\\\b"'],
    ['bell\u0007 del\u007f nel\u0085 ls\u2028 bom\ufeff', '"bell\\u0007 del\\u007F nel\\u0085 ls\\u2028 bom\\uFEFF"'],
  ])('writes %j as %s', (value, written) => {
    expect(formatYamlString(value)).toBe(written)
    expect(readBack(value, '1.2')).toBe(value)
    expect(readBack(value, '1.1')).toBe(value)
  })

  it('gives back any string under both YAML 1.2 and 1.1 rules (lone surrogates become U+FFFD)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const expected = value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
        expect(readBack(value, '1.2')).toBe(expected)
        expect(readBack(value, '1.1')).toBe(expected)
      }),
      { numRuns: 500 },
    )
  })

  it('writes lists as block sequences and an empty one as []', () => {
    const text = formatFrontmatter([
      ['tags', ['a', 'b: c']],
      ['none', []],
      ['pages', 3],
      ['modified', new Date('2026-01-02T03:04:05.006Z')],
    ])
    expect(text).toBe('---\ntags:\n  - a\n  - "b: c"\nnone: []\npages: 3\nmodified: 2026-01-02T03:04:05.006Z\n---\n')
    expect(parseYaml(text.split('---\n')[1])).toEqual({ tags: ['a', 'b: c'], none: [], pages: 3, modified: '2026-01-02T03:04:05.006Z' })
  })
})

describe('renderNotebookMarkdown', () => {
  const source = {
    notebook: { id: 7, uuid: 'abc', visibleName: 'Plain', folderPath: '', tags: [], lastModified: null },
    pages: [{ pageNumber: 1, text: 'Hello\r\n\r\n' }],
    highlights: [],
  }

  it('adds the rmirror link only when PUBLIC_URL is set, and no modified date the tablet did not give', () => {
    const without = renderNotebookMarkdown(source)
    expect(without).toBe('---\ntitle: Plain\nuuid: abc\nfolder: ""\ntags: []\npages: 1\n---\n\n## Page 1\n\nHello\n')
    expect(renderNotebookMarkdown(source, { publicUrl: 'https://x.example/' })).toContain('rmirror: "https://x.example/dashboard/notebooks/Tm90ZWJvb2s6Nw=="\n')
  })

  it('gives a notebook without pages its frontmatter only', () => {
    expect(renderNotebookMarkdown({ ...source, pages: [] })).toBe('---\ntitle: Plain\nuuid: abc\nfolder: ""\ntags: []\npages: 0\n---\n')
  })
})
