// The product's promise, as a property: every line present once, in order, nesting kept, long
// lines whole. Documents are generated as structure (line kind, nesting level, styled segments),
// rendered to Markdown, converted, and the blocks' visible lines compared with the structure's.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getChildren, isTodoBlock, markdownToBlocks, markdownToBlocksWithLines, type NotionBlock } from '../../server/notion/index.ts'
import { extractTodos, makeFuzzySignature, parseCheckboxLine } from '../../server/text/index.ts'
import { findItemLimitViolation, flattenLines, type FlatLine } from './blockLines.ts'

const seed = 20_261_125
const asciiPunctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'

// Plain text may hold any of these; ASCII punctuation is escaped when rendered. Box symbols are
// left out: at a line start they make a todo, by design.
const plainChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789    ') },
  { weight: 3, arbitrary: fc.constantFrom(...asciiPunctuation) },
  { weight: 2, arbitrary: fc.constantFrom('é', 'ß', '日本', '→', '←', '⇒', '≠', '👍🏽', '👨‍👩‍👧', 'e\u0301', '\u00a0', 'Ω', '•', '–', '«', '»') },
)
const wordChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789', 'é', '日')
const word = fc.array(wordChar, { minLength: 1, maxLength: 6 }).map((chars) => chars.join(''))
const styledText = fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => words.join(' '))
const plainText = fc.oneof(
  { weight: 12, arbitrary: fc.array(plainChar, { minLength: 1, maxLength: 30 }).map((chars) => chars.join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 1900, max: 4600 }).map((length) => Array.from({ length }, (_, i) => 'lorem ipsum, dolor → sit ☺ '[i % 26]).join('')) },
)

type Segment = { kind: 'plain' | 'bold' | 'italic' | 'underscore' | 'both' | 'strike' | 'code' | 'link'; text: string }
const segment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 5, arbitrary: plainText.map((text) => ({ kind: 'plain' as const, text })) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constantFrom('bold', 'italic', 'underscore', 'both', 'strike', 'link') as fc.Arbitrary<Segment['kind']>, text: styledText }),
  },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...'ab*_[]()#~<>-'), { minLength: 1, maxLength: 8 }).map((chars) => ({ kind: 'code' as const, text: `x${chars.join('')}x` })) },
)

function renderSegment({ kind, text }: Segment): string {
  switch (kind) {
    case 'plain':
      return [...text].map((char) => (asciiPunctuation.includes(char) ? `\\${char}` : char)).join('')
    case 'bold':
      return `**${text}**`
    case 'italic':
      return `*${text}*`
    case 'underscore':
      return `_${text}_`
    case 'both':
      return `***${text}***`
    case 'strike':
      return `~~${text}~~`
    case 'code':
      return `\`${text}\``
    case 'link':
      return `[${text}](https://example.com/p?q=${text.length})`
  }
}

// Segments are joined with spaces so emphasis is never glued to a neighbour.
function renderInline(segments: Segment[]): { markdown: string; visible: string } {
  const trimmed = segments.map((s, i) => {
    if (s.kind !== 'plain') return s
    let text = s.text
    if (i === 0) text = text.replace(/^[ \t]+/, '')
    if (i === segments.length - 1) text = text.replace(/[ \t]+$/, '')
    return { ...s, text }
  }).filter((s) => s.text !== '')
  return { markdown: trimmed.map(renderSegment).join(' '), visible: trimmed.map((s) => s.text).join(' ') }
}

type ListKind = 'bullet' | 'numbered' | 'todo'
type Line =
  | { kind: 'paragraph' | 'quote'; segments: Segment[] }
  | { kind: 'heading'; level: number; segments: Segment[] }
  | { kind: ListKind; level: number; marker: string; segments: Segment[] }
  | { kind: 'divider'; marker: string }
  | { kind: 'code'; language: string; lines: string[] }
  | { kind: 'blank' }

const segments = fc.array(segment, { minLength: 1, maxLength: 5 })
const codeLine = fc.array(fc.oneof(plainChar.filter((c) => c !== '`'), fc.constant(' ')), { maxLength: 25 }).map((chars) => chars.join(''))
const line: fc.Arbitrary<Line> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('paragraph', 'quote') as fc.Arbitrary<'paragraph' | 'quote'>, segments }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heading' as const), level: fc.integer({ min: 1, max: 6 }), segments }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom('bullet', 'numbered', 'todo') as fc.Arbitrary<ListKind>,
      level: fc.integer({ min: 0, max: 7 }),
      marker: fc.constantFrom('-', '*', '+', '.', ')', '- [ ]', '- [x]', '* [x]', '- []', '☐', '□', '☑', '✓', '✔'),
      segments,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('divider' as const), marker: fc.constantFrom('---', '***', '___', '- - -') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('code' as const), language: fc.constantFrom('', 'js', 'python', 'weird'), lines: fc.array(codeLine, { maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'blank' as const }) },
)
const document = fc.record({ lines: fc.array(line, { maxLength: 40 }), indent: fc.constantFrom('  ', '    ', '\t'), newline: fc.constantFrom('\n', '\r\n') })

const bulletMarkers = ['-', '*', '+']
const todoChecked: Record<string, boolean> = { '- [ ]': false, '- [x]': true, '* [x]': true, '- []': false, '☐': false, '□': false, '☑': true, '✓': true, '✔': true }

/** Renders the document and says which lines (depth, type, text) the blocks must show. */
function renderDocument(doc: { lines: Line[]; indent: string; newline: string }): { markdown: string; expected: FlatLine[] } {
  const out: string[] = []
  const expected: FlatLine[] = []
  let maxLevel = 0 // a list line may go one level deeper than the previous list line
  let ordinals: (number | null)[] = [] // per level: the number Notion shows for the last numbered sibling
  const expectLines = (depth: number, type: string, text: string, checked?: boolean) => {
    for (const piece of text.split('\n')) if (piece !== '') expected.push({ depth, type, text: piece, ...(checked === undefined ? {} : { checked }) })
  }
  for (const item of doc.lines) {
    if (item.kind === 'blank') {
      out.push('')
      continue
    }
    if (item.kind === 'bullet' || item.kind === 'numbered' || item.kind === 'todo') {
      const level = Math.min(item.level, maxLevel)
      maxLevel = level + 1
      ordinals = ordinals.slice(0, level + 1)
      const { markdown, visible } = renderInline(item.segments)
      const prefix = doc.indent.repeat(level)
      if (item.kind === 'todo') {
        const box = item.marker in todoChecked ? item.marker : '- [ ]'
        // A todo needs a letter or digit (the extractor's rule); start with a word.
        out.push(`${prefix}${box} task ${markdown}`)
        expectLines(level, 'to_do', `task ${visible}`.trim(), todoChecked[box])
        ordinals[level] = null
      } else if (item.kind === 'numbered') {
        const ordinal = (ordinals[level] ?? 0) + 1
        out.push(`${prefix}${ordinal}${item.marker === ')' ? ')' : '.'} ${markdown}`)
        expectLines(level, 'numbered_list_item', visible)
        ordinals[level] = ordinal
      } else {
        const marker = bulletMarkers.includes(item.marker) ? item.marker : '-'
        out.push(`${prefix}${marker} ${markdown}`)
        expectLines(level, 'bulleted_list_item', visible)
        ordinals[level] = null
      }
      continue
    }
    maxLevel = 0
    ordinals = []
    switch (item.kind) {
      case 'paragraph': {
        const { markdown, visible } = renderInline(item.segments)
        out.push(markdown)
        expectLines(0, 'paragraph', visible)
        break
      }
      case 'quote': {
        const { markdown, visible } = renderInline(item.segments)
        out.push(`> ${markdown}`)
        expectLines(0, 'quote', visible)
        break
      }
      case 'heading': {
        const { markdown, visible } = renderInline(item.segments)
        out.push(`${'#'.repeat(item.level)} ${markdown}`)
        expectLines(0, `heading_${Math.min(item.level, 3)}`, visible)
        break
      }
      case 'divider':
        out.push(item.marker)
        break
      case 'code':
        out.push('```' + item.language, ...item.lines, '```')
        for (const codeText of item.lines) expectLines(0, 'code', codeText)
        break
    }
  }
  return { markdown: out.join(doc.newline), expected }
}

describe('markdownToBlocks keeps every line once, in order, with its nesting', () => {
  it('holds for generated documents', () => {
    fc.assert(
      fc.property(document, (doc) => {
        const { markdown, expected } = renderDocument(doc)
        const blocks = markdownToBlocks(markdown)
        expect(findItemLimitViolation(blocks)).toBeNull()
        expect(flattenLines(blocks)).toEqual(expected)
      }),
      { seed, numRuns: 400 },
    )
  })

  it('never throws, respects item limits and invents no letters on arbitrary input', () => {
    const markupHeavy = fc.string({ unit: fc.constantFrom(...'*_`[]()~\\#->+ \t\n1.xa☐✓|h:/', 'https://', '```'), maxLength: 300 })
    const anyText = fc.string({ unit: 'binary', maxLength: 300 })
    fc.assert(
      fc.property(fc.oneof(markupHeavy, anyText), (markdown) => {
        const blocks = markdownToBlocks(markdown)
        expect(findItemLimitViolation(blocks)).toBeNull()
        const letters = (text: string) => [...text].filter((char) => /[\p{L}\p{N}]/u.test(char))
        const source = letters(markdown)
        let at = 0
        for (const char of letters(flattenLines(blocks).map((l) => l.text).join(''))) {
          while (at < source.length && source[at] !== char) at++
          expect(at).toBeLessThan(source.length)
          at++
        }
      }),
      { seed, numRuns: 400 },
    )
  })

  it('makes a to_do block of exactly the lines extractTodos reads as todos', () => {
    const piece = fc.constantFrom('- [ ] ', '- [x] ', '* [X] ', '[ ] ', '☐ ', '✓ ', '1. [x] ', '• [ ] ', '> - [ ] ', '# [ ] ', '| [ ] ', '- ', '  ', '\t', '```', '~~~', 'call Bob ', 'buy milk', '[1] ', '42', 'é', '')
    const checkboxLine = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(fc.array(checkboxLine, { maxLength: 25 }), (lines) => {
        const markdown = lines.join('\n')
        const { blocks, lineOf } = markdownToBlocksWithLines(markdown)
        const todoLines: number[] = []
        const walk = (list: NotionBlock[]): void =>
          list.forEach((block) => {
            if (isTodoBlock(block)) todoLines.push(lineOf.get(block)!)
            walk(getChildren(block))
          })
        walk(blocks)
        const extracted = extractTodos(markdown)
        // Every extracted todo is a to_do block at its line ...
        for (const todo of extracted) expect(todoLines).toContain(todo.line)
        // ... and every other to_do block is a later copy of one (the extractor keeps the first).
        const signatures = new Set(extracted.map((todo) => todo.fuzzySignature))
        for (const line of todoLines.filter((l) => !extracted.some((todo) => todo.line === l))) {
          const checkbox = parseCheckboxLine(markdown.split('\n')[line])
          expect(checkbox && signatures.has(makeFuzzySignature(checkbox.text))).toBe(true)
        }
      }),
      { seed, numRuns: 500 },
    )
  })
})
