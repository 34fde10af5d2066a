import { END_MARKER, makeCrdtIdKey, type CrdtId } from './crdtId.ts'
import { orderSequence, type SequenceEntry } from './crdtSequence.ts'
import type { DecodedRootText } from './sceneBlockTypes.ts'
import type { StepBudget } from './stepBudget.ts'
import type { RmParagraph, RmParagraphStyle, RmSpan } from './types.ts'

/** Paragraph style codes as stored in the file. */
const STYLE_BY_CODE: Record<number, RmParagraphStyle> = {
  0: 'basic',
  1: 'plain',
  2: 'heading',
  3: 'bold',
  4: 'bullet',
  5: 'bullet2',
  6: 'checkbox',
  7: 'checkbox-checked',
}

/** Inline format codes switch bold/italic on or off for the text that follows. */
const FORMAT_BOLD_ON = 1
const FORMAT_BOLD_OFF = 2
const FORMAT_ITALIC_ON = 3
const FORMAT_ITALIC_OFF = 4

/** A range of character ids and the paragraph they ended up in. */
interface CharRange {
  author: number
  from: number
  to: number
  paragraph: number
}

export interface TypedText {
  paragraphs: RmParagraph[]
  /** The paragraph holding a character id (deleted characters included), for anchors. */
  findParagraphOfChar(id: CrdtId): number | undefined
}

interface ParagraphDraft {
  startId: CrdtId
  spans: RmSpan[]
}

function resolveStyle(code: number | undefined): RmParagraphStyle {
  return (code !== undefined ? STYLE_BY_CODE[code] : undefined) ?? 'plain'
}

function finishParagraph(draft: ParagraphDraft, styleCodes: Map<string, number>): RmParagraph {
  const style = resolveStyle(styleCodes.get(makeCrdtIdKey(draft.startId)))
  const text = draft.spans.map((span) => span.text).join('')
  return draft.spans.length > 0 ? { style, text, spans: draft.spans } : { style, text }
}

/**
 * Turns the root text's CRDT runs into paragraphs. A paragraph starts at each newline
 * (whose id keys its style); text before the first newline forms a first paragraph
 * keyed by END_MARKER. Bold/italic switches carry on across paragraphs, as on the tablet.
 */
export function readTypedText(root: DecodedRootText, budget: StepBudget): TypedText {
  const runs = root.items.map((item) => {
    if (item.deletedLength > 0) return { kind: 'deleted' as const, length: item.deletedLength }
    if (typeof item.value === 'number') return { kind: 'format' as const, length: 1, code: item.value }
    const chars = Array.from(item.value) // one id per code point
    return { kind: 'text' as const, length: chars.length, chars }
  })
  const entries: SequenceEntry[] = root.items.map((item, i) => ({
    id: item.id,
    leftId: item.leftId,
    rightId: item.rightId,
    length: runs[i].length,
  }))
  const order = orderSequence(entries, budget)

  const styleCodes = new Map<string, number>()
  for (const style of root.styles) styleCodes.set(makeCrdtIdKey(style.charId), style.code) // last write in the list wins

  const paragraphs: RmParagraph[] = []
  const ranges: CharRange[] = []
  let draft: ParagraphDraft | undefined
  let bold = false
  let italic = false

  const noteChars = (id: CrdtId, from: number, to: number) => {
    const last = ranges[ranges.length - 1]
    const paragraph = paragraphs.length
    if (last && last.author === id.author && last.to === id.counter + from && last.paragraph === paragraph) {
      last.to = id.counter + to
    } else ranges.push({ author: id.author, from: id.counter + from, to: id.counter + to, paragraph })
  }
  const openParagraph = (startId: CrdtId) => {
    if (draft) paragraphs.push(finishParagraph(draft, styleCodes))
    draft = { startId, spans: [] }
  }
  const appendChar = (char: string) => {
    const spans = (draft as ParagraphDraft).spans
    const last = spans[spans.length - 1]
    if (last && last.bold === bold && last.italic === italic) last.text += char
    else spans.push({ text: char, bold, italic })
  }

  for (const piece of order.pieces) {
    const item = root.items[piece.entry]
    const run = runs[piece.entry]
    if (run.kind !== 'text') {
      budget.spend()
      if (!draft) openParagraph(END_MARKER)
      if (run.kind === 'deleted') noteChars(item.id, piece.from, piece.to)
      else if (run.code === FORMAT_BOLD_ON) bold = true
      else if (run.code === FORMAT_BOLD_OFF) bold = false
      else if (run.code === FORMAT_ITALIC_ON) italic = true
      else if (run.code === FORMAT_ITALIC_OFF) italic = false
      continue
    }
    budget.spend(piece.to - piece.from)
    for (let offset = piece.from; offset < piece.to; offset++) {
      const char = run.chars[offset]
      if (char === '\n') openParagraph({ author: item.id.author, counter: item.id.counter + offset })
      else {
        if (!draft) openParagraph(END_MARKER)
        appendChar(char)
      }
      noteChars(item.id, offset, offset + 1)
    }
  }
  if (draft) paragraphs.push(finishParagraph(draft, styleCodes))

  ranges.sort((a, b) => a.author - b.author || a.from - b.from)
  return { paragraphs, findParagraphOfChar: (id) => findRange(ranges, id)?.paragraph }
}

function findRange(ranges: CharRange[], id: CrdtId): CharRange | undefined {
  let low = 0
  let high = ranges.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const range = ranges[mid]
    if (range.author < id.author || (range.author === id.author && range.to <= id.counter)) low = mid + 1
    else if (range.author > id.author || range.from > id.counter) high = mid - 1
    else return range
  }
  return undefined
}
