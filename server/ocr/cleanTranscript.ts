import { closesFence, collapseBlankLines, normalizeNewlines, readFence, type FenceLine } from './markdownLines.ts'
import { isNoHandwritingAnswer, unwrapAnswer } from './unwrapAnswer.ts'

// A model's answer → the Markdown conventions pageToMarkdown uses for typed text: bullets "- ",
// two spaces per nesting level, "- [ ]"/"- [x]" checkboxes, no trailing spaces, no runs of blank
// lines. Models vary in exactly these details (tabs or four-space indents, "*" or "•" bullets,
// ☐/☑ boxes, "[X]"), and the todo extractor downstream reads only the canonical forms.

const TAB_WIDTH = 4

const BULLET = /^([-*+•◦▪‣])\s+(.*)$/
const ORDERED = /^(\d{1,9}[.)])\s+(.*)$/
/** A box glyph standing where a bullet would, with or without one before it. */
const BOX_GLYPH = /^([☐□☑☒✅✔✓])\uFE0F?(?:\s+(.*))?$/
/** "[ ]", "[]", "[x]", "[X]", "[✓]" opening an item. */
const BOX_BRACKETS = /^\[( ?|[xX✓✔])\](?:\s+(.*))?$/
const THEMATIC_BREAK = /^([-*_])(\s*\1){2,}\s*$/
const SETEXT_UNDERLINE = /^(={3,}|-{3,})$/

function isTicked(mark: string): boolean {
  return mark !== '' && mark !== ' ' && mark !== '☐' && mark !== '□'
}

/** Leading whitespace width in columns (a tab reaches the next multiple of TAB_WIDTH). */
function measureIndent(line: string): number {
  let columns = 0
  for (const char of line) {
    if (char === ' ') columns++
    else if (char === '\t') columns += TAB_WIDTH - (columns % TAB_WIDTH)
    else break
  }
  return columns
}

/** The item's canonical marker and text, or null when the line is not a list item. */
function readItem(body: string): { marker: string; rest: string } | null {
  if (THEMATIC_BREAK.test(body)) return null
  const box = BOX_GLYPH.exec(body) ?? BOX_BRACKETS.exec(body)
  if (box) return { marker: isTicked(box[1]) ? '- [x]' : '- [ ]', rest: box[2] ?? '' }
  const bullet = BULLET.exec(body)
  if (bullet) {
    const inner = BOX_GLYPH.exec(bullet[2]) ?? BOX_BRACKETS.exec(bullet[2])
    if (inner) return { marker: isTicked(inner[1]) ? '- [x]' : '- [ ]', rest: inner[2] ?? '' }
    return { marker: '-', rest: bullet[2] }
  }
  const ordered = ORDERED.exec(body)
  return ordered ? { marker: ordered[1], rest: ordered[2] } : null
}

/**
 * Nesting by indentation, as Markdown reads it: deeper than the parent's indent is one level
 * down, whatever the step (2, 3, 4 spaces or a tab); back out to the nearest shallower item.
 */
class ListDepth {
  private indents: number[] = []

  levelFor(indent: number): number {
    while (this.indents.length > 0 && indent < this.indents[this.indents.length - 1]) this.indents.pop()
    const top = this.indents[this.indents.length - 1]
    if (top === undefined || indent > top) this.indents.push(indent)
    return this.indents.length - 1
  }

  get open(): boolean {
    return this.indents.length > 0
  }

  get depth(): number {
    return this.indents.length
  }

  reset() {
    this.indents = []
  }
}

function normalizeLines(lines: string[]): string[] {
  const out: string[] = []
  const list = new ListDepth()
  let code: FenceLine | null = null
  let previousIsParagraph = false
  for (const raw of lines) {
    const line = raw.replace(/\u00A0/g, ' ').trimEnd()
    if (code) {
      out.push(line)
      if (closesFence(line, code)) code = null
      continue
    }
    const body = line.trimStart()
    const fence = readFence(body)
    if (fence) {
      code = fence
      out.push(body)
      previousIsParagraph = false
      continue
    }
    if (body === '') {
      out.push('')
      previousIsParagraph = false
      continue
    }
    const indent = measureIndent(line)
    const item = readItem(body)
    if (item) {
      const level = list.levelFor(indent)
      out.push(`${'  '.repeat(level)}${item.marker}${item.rest === '' ? '' : ` ${item.rest}`}`)
      previousIsParagraph = false
      continue
    }
    if (previousIsParagraph && SETEXT_UNDERLINE.test(body)) {
      // An underlined line: what the instruction asks to write as "## ".
      out[out.length - 1] = `## ${out[out.length - 1]}`
      previousIsParagraph = false
      continue
    }
    if (indent > 0 && list.open) {
      // Text continuing a list item stays under it.
      out.push(`${'  '.repeat(list.depth)}${body}`)
      previousIsParagraph = false
      continue
    }
    // Leading spaces on plain text would turn it into a code block; a paragraph ends any list.
    list.reset()
    out.push(body)
    previousIsParagraph = !/^(#|>|\|)/.test(body)
  }
  return out
}

/** A model's raw answer → canonical Markdown; '' when it says the page has no handwriting. */
export function cleanTranscript(raw: string): string {
  const text = unwrapAnswer(normalizeNewlines(raw))
  if (isNoHandwritingAnswer(text)) return ''
  return collapseBlankLines(normalizeLines(text.split('\n'))).join('\n')
}
