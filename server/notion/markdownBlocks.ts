// A page's Markdown → Notion block requests. The promise to the user: every line present once,
// in order, nesting kept, long lines whole.
//
// Line by line, in this order:
// - fenced code (``` or ~~~, any indentation, same rule as server/text/todos.ts) → `code`, its
//   language mapped to Notion's enum; content lines lose the fence's indentation only.
// - `#`… `######` + space → heading_1/2/3 (4–6 → heading_3); a closing `#` run is dropped.
// - `---` `***` `___` (spaces allowed) → divider. No setext headings: `Title` + `---` is a
//   paragraph and a divider, because in handwriting a rule under a line is a rule.
// - a checkbox line (parseCheckboxLine of the todo extractor, so to_do blocks and extracted todos
//   are the same lines) → to_do with `checked`.
// - `-` `*` `+` → bulleted_list_item; `1.` / `1)` → numbered_list_item when Notion would show that
//   very number (1 first, then +1; a lazy `1.` `1.` run too); otherwise the line stays a paragraph
//   with its number, since Notion has no list start and would renumber it.
// - `>` → quote; consecutive quote lines are one quote, one line each.
// - anything else → paragraph; consecutive lines join into one paragraph with "\n" between them.
//   Markdown would fold such soft breaks into spaces, but in handwriting and OCR every line is
//   meaningful, so each stays a line (the same for list-item continuation lines).
// Nesting: list items (and to_dos) are containers; a line indented deeper than an open item's
// marker (2 or 4 spaces, or a tab = 4 columns, per level; any depth) becomes its child. A plain
// line indented under an item with no blank line between continues the item's text. Not
// supported (kept as text): tables, HTML, setext headings, indented code, lazy continuation.

import type { NotionBlock, NotionBlockType, RichTextItemRequest } from './blockTypes.ts'
import { mapCodeLanguage, type CodeLanguage } from './codeLanguage.ts'
import { chunkRichText, toPlainRichText, toRichText } from './richText.ts'
import { parseCheckboxLine } from '../text/todos.ts'

type ListType = 'bulleted_list_item' | 'numbered_list_item' | 'to_do'
type Draft = {
  type: NotionBlockType
  line: number
  lines: string[]
  children: Draft[]
  checked?: boolean
  language?: CodeLanguage
  /** numbered items: the number Notion shows, and whether the run so far is all `1.` */
  ordinal?: number
  allOnes?: boolean
}
type OpenItem = { indent: number; draft: Draft }
type OpenText = { draft: Draft; siblings: Draft[] }

const headingLine = /^(#{1,6})(?:[ \t]+(.*))?$/
const dividerLine = /^([-*_])(?:[ \t]*\1){2,}$/
const bulletLine = /^[-*+](?:[ \t]+(.*))?$/
const numberedLine = /^(\d{1,9})[.)](?:[ \t]+(.*))?$/
const quoteLine = /^>[ \t]?(.*)$/
const fenceLine = /^\s*(`{3,}|~{3,})(.*)$/

export function markdownToBlocks(markdown: string): NotionBlock[] {
  return markdownToBlocksWithLines(markdown).blocks
}

/**
 * Also tells each block's first source line (0-based, lines split like extractTodos does), so a
 * todo found at line n maps to the to_do block built from line n.
 */
export function markdownToBlocksWithLines(markdown: string): { blocks: NotionBlock[]; lineOf: Map<NotionBlock, number> } {
  const drafts = parseDrafts(markdown.split(/\r\n|\r|\n/))
  const lineOf = new Map<NotionBlock, number>()
  return { blocks: drafts.flatMap((draft) => finalizeDraft(draft, lineOf)), lineOf }
}

function parseDrafts(lines: string[]): Draft[] {
  const root: Draft[] = []
  const open: OpenItem[] = []
  let openText: OpenText | null = null
  let fence: { draft: Draft; marker: string; indent: number } | null = null

  lines.forEach((line, index) => {
    if (fence) {
      if (closesFence(line, fence.marker)) fence = null
      else fence.draft.lines.push(stripColumns(line, fence.indent))
      return
    }
    if (/^[ \t]*$/.test(line)) {
      openText = null
      return
    }
    const { indent, content } = splitIndent(line)
    while (open.length > 0 && open[open.length - 1].indent >= indent) open.pop()
    const container = open[open.length - 1]?.draft
    const siblings = container ? container.children : root
    const add = (draft: Omit<Draft, 'line' | 'children'>): Draft => {
      const full: Draft = { ...draft, line: index, children: [] }
      siblings.push(full)
      openText = null
      return full
    }
    const addListItem = (type: ListType, text: string, extra: Partial<Draft> = {}) => {
      const draft = add({ type, lines: [text], ...extra })
      open.push({ indent, draft })
      openText = { draft, siblings }
    }

    const fenceMatch = fenceLine.exec(line)
    if (fenceMatch && !(fenceMatch[1].startsWith('`') && fenceMatch[2].includes('`'))) {
      fence = { draft: add({ type: 'code', lines: [], language: mapCodeLanguage(fenceMatch[2]) }), marker: fenceMatch[1], indent }
      return
    }
    const heading = headingLine.exec(content)
    if (heading) {
      const level = Math.min(heading[1].length, 3) as 1 | 2 | 3
      add({ type: `heading_${level}`, lines: [stripClosingHashes(heading[2] ?? '')] })
      return
    }
    if (dividerLine.test(content)) {
      add({ type: 'divider', lines: [] })
      return
    }
    const checkbox = parseCheckboxLine(content)
    if (checkbox) return addListItem('to_do', checkbox.text, { checked: checkbox.completed })
    const bullet = bulletLine.exec(content)
    if (bullet) return addListItem('bulleted_list_item', bullet[1] ?? '')
    const numbered = numberedLine.exec(content)
    const ordinal = numbered ? acceptOrdinal(Number(numbered[1]), siblings[siblings.length - 1]) : null
    if (numbered && ordinal) return addListItem('numbered_list_item', numbered[2] ?? '', ordinal)
    const quote = quoteLine.exec(content)
    const current: OpenText | null = openText
    if (quote) {
      if (current?.draft.type === 'quote' && current.siblings === siblings) current.draft.lines.push(quote[1])
      else openText = { draft: add({ type: 'quote', lines: [quote[1]] }), siblings }
      return
    }
    if (current && current.draft.type === 'paragraph' && current.siblings === siblings) current.draft.lines.push(content)
    else if (current && current.draft === container) current.draft.lines.push(content)
    else openText = { draft: add({ type: 'paragraph', lines: [content] }), siblings }
  })
  return root
}

function acceptOrdinal(number: number, previous: Draft | undefined): Partial<Draft> | null {
  const inRun = previous?.type === 'numbered_list_item'
  const ordinal = inRun ? previous.ordinal! + 1 : 1
  const lazyOne = number === 1 && inRun && previous.allOnes === true
  if (number !== ordinal && !lazyOne) return null
  return { ordinal, allOnes: number === 1 && (!inRun || previous.allOnes === true) }
}

function closesFence(line: string, marker: string): boolean {
  const match = fenceLine.exec(line)
  return match !== null && match[2].trim() === '' && match[1][0] === marker[0] && match[1].length >= marker.length
}

// CommonMark: a closing sequence needs a space before it (or is the whole heading).
function stripClosingHashes(text: string): string {
  return text.replace(/(?:^|[ \t]+)#+[ \t]*$/, '').replace(/[ \t]+$/, '')
}

/** Leading spaces/tabs as columns (tab stops every 4), and the rest without trailing blanks. */
function splitIndent(line: string): { indent: number; content: string } {
  let columns = 0
  let i = 0
  for (; i < line.length && (line[i] === ' ' || line[i] === '\t'); i++) columns = line[i] === '\t' ? columns + 4 - (columns % 4) : columns + 1
  return { indent: columns, content: line.slice(i).replace(/[ \t]+$/, '') }
}

function stripColumns(line: string, columns: number): string {
  let used = 0
  let i = 0
  while (i < line.length && used < columns && (line[i] === ' ' || line[i] === '\t')) {
    used = line[i] === '\t' ? used + 4 - (used % 4) : used + 1
    i++
  }
  return ' '.repeat(Math.max(0, used - columns)) + line.slice(i)
}

function finalizeDraft(draft: Draft, lineOf: Map<NotionBlock, number>): NotionBlock[] {
  const note = (block: NotionBlock) => {
    lineOf.set(block, draft.line)
    return block
  }
  if (draft.type === 'divider') return [note({ type: 'divider', divider: {} })]
  if (draft.type === 'code') {
    const language = draft.language ?? 'plain text'
    return chunkRichText(toPlainRichText(draft.lines.join('\n'))).map((rich_text) => note({ type: 'code', code: { rich_text, language } }))
  }
  const [first, ...rest] = chunkRichText(toRichText(draft.lines.join('\n')))
  const continuation = rest.map((rich_text) => note(makeTextBlock(draft.type === 'quote' ? 'quote' : 'paragraph', rich_text, [])))
  const children = draft.children.flatMap((child) => finalizeDraft(child, lineOf))
  // A list item's overflow goes first among its children: a sibling would split the item (and a
  // second to_do would be a second todo); for other blocks it follows as a sibling.
  if (isListType(draft.type)) return [note(makeTextBlock(draft.type, first, [...continuation, ...children], draft.checked))]
  return [note(makeTextBlock(draft.type, first, children)), ...continuation]
}

function isListType(type: NotionBlockType): type is ListType {
  return type === 'bulleted_list_item' || type === 'numbered_list_item' || type === 'to_do'
}

function makeTextBlock(type: NotionBlockType, rich_text: RichTextItemRequest[], children: NotionBlock[], checked?: boolean): NotionBlock {
  const body: Record<string, unknown> = { rich_text }
  if (type === 'to_do') body.checked = checked ?? false
  if (children.length > 0) body.children = children
  return { type, [type]: body } as unknown as NotionBlock
}
