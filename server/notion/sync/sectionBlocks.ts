// What one reMarkable page looks like in Notion: a heading_1 "Page N" (the page's own titles are
// level 2, as typed reMarkable headings and OCR'd underlined titles come out), the page's Markdown as blocks
// (its checkbox lines are the to_do blocks its todos point at), then its highlights as callouts.
import { getChildren, type NotionBlock } from '../blockTypes.ts'
import { markdownToBlocksWithLines } from '../markdownBlocks.ts'
import { toPlainRichText } from '../richText.ts'
import { extractTodos } from '../../text/todos.ts'
import { signBlockDeep } from './blockSignature.ts'

export interface SectionInput {
  pageId: number
  pageNumber: number
  text: string
  todos: { id: number; fuzzySignature: string; confusionKey: string }[]
  highlights: { id: number; text: string; color: string }[]
}

/** Where a block sits in the section: index among top-level blocks, then among children. */
export type BlockPath = number[]

export interface DesiredSection {
  pageId: number
  pageNumber: number
  blocks: NotionBlock[]
  /** Deep signature per top-level block. */
  sigs: string[]
  todoPaths: Map<number, BlockPath>
  highlightIndexes: Map<number, number>
}

export function makeSectionHeading(pageNumber: number): NotionBlock {
  return { type: 'heading_1', heading_1: { rich_text: [{ type: 'text', text: { content: `Page ${pageNumber}` } }] } }
}

function makeHighlightCallout(text: string, pageNumber: number): NotionBlock {
  // Highlights are quoted literally (no Markdown); a passage is far below the 100-item limit.
  const rich = [...toPlainRichText(text).slice(0, 99), { type: 'text' as const, text: { content: `\n— highlighted on page ${pageNumber}` }, annotations: { italic: true } }]
  return { type: 'callout', callout: { rich_text: rich, icon: { type: 'emoji', emoji: '🖍️' } } }
}

function findPath(blocks: NotionBlock[], target: NotionBlock): BlockPath | undefined {
  for (const [i, b] of blocks.entries()) {
    if (b === target) return [i]
    const inner = findPath(getChildren(b), target)
    if (inner) return [i, ...inner]
  }
  return undefined
}

export function makeDesiredSection(input: SectionInput): DesiredSection {
  const { blocks: textBlocks, lineOf } = markdownToBlocksWithLines(input.text)
  const blocks: NotionBlock[] = [makeSectionHeading(input.pageNumber), ...textBlocks]
  // Todos → the to_do block built from the line they were found on.
  const todoPaths = new Map<number, BlockPath>()
  const blockAtLine = new Map<number, NotionBlock>()
  for (const [block, line] of lineOf) if (block.type === 'to_do') blockAtLine.set(line, block)
  const found = extractTodos(input.text)
  for (const todo of input.todos) {
    const hit = found.find((f) => f.fuzzySignature === todo.fuzzySignature) ?? found.find((f) => f.confusionKey === todo.confusionKey)
    const block = hit ? blockAtLine.get(hit.line) : undefined
    const path = block ? findPath(blocks, block) : undefined
    if (path) todoPaths.set(todo.id, path)
  }
  const highlightIndexes = new Map<number, number>()
  for (const h of input.highlights) {
    highlightIndexes.set(h.id, blocks.length)
    blocks.push(makeHighlightCallout(h.text, input.pageNumber))
  }
  return { pageId: input.pageId, pageNumber: input.pageNumber, blocks, sigs: blocks.map(signBlockDeep), todoPaths, highlightIndexes }
}
