// Inline Markdown → Notion rich-text items within Notion's limits: text.content ≤ 2,000
// characters (counted in UTF-16 code units, as JavaScript's `length` — the unit the API's error
// message "content.length should be ≤ 2000" reports), link URLs ≤ 2,000, ≤ 100 items per array.
// Items carry only non-default annotations and no `link: null`; the API accepts both omissions.
// Lines are parsed one by one and joined with "\n" items, so emphasis never spans lines: in page
// text (handwriting, OCR) every line stands on its own.

import type { RichTextAnnotations, RichTextItemRequest } from './blockTypes.ts'
import { parseInlineMarkdown, type InlineSegment } from './inlineMarkdown.ts'

export const maxRichTextContent = 2000
export const maxRichTextItems = 100
// Serialized rich text per block: 100 items of 2,000 three-byte characters would be ~600 KB, more
// than a whole request may carry, so a block's text is also cut by bytes (see chunkRichText).
export const maxRichTextBytesPerBlock = 200_000

export function toRichText(inline: string): RichTextItemRequest[] {
  const segments: InlineSegment[] = []
  inline.split('\n').forEach((line, index) => {
    if (index > 0) segments.push({ text: '\n', bold: false, italic: false, strikethrough: false, code: false, url: null })
    for (const segment of parseInlineMarkdown(line)) segments.push(segment)
  })
  return splitLongItems(mergeSegments(segments).map(makeItem))
}

/** Text taken literally (code blocks): no Markdown, only the 2,000-character split. */
export function toPlainRichText(text: string): RichTextItemRequest[] {
  return text === '' ? [] : splitContent(text, maxRichTextContent).map((content) => ({ type: 'text', text: { content } }))
}

/**
 * Cuts a rich-text array into arrays a block can carry (≤ 100 items, ≤ maxBytes serialized).
 * Always returns at least one array (possibly empty); the text of all arrays, in order, is the input's.
 */
export function chunkRichText(
  items: RichTextItemRequest[],
  { maxItems = maxRichTextItems, maxBytes = maxRichTextBytesPerBlock } = {},
): RichTextItemRequest[][] {
  const chunks: RichTextItemRequest[][] = [[]]
  let bytes = 0
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item)) + 1
    const current = chunks[chunks.length - 1]
    if (current.length > 0 && (current.length >= maxItems || bytes + itemBytes > maxBytes)) {
      chunks.push([item])
      bytes = itemBytes
    } else {
      current.push(item)
      bytes += itemBytes
    }
  }
  return chunks
}

function sameStyle(a: InlineSegment, b: InlineSegment): boolean {
  return a.bold === b.bold && a.italic === b.italic && a.strikethrough === b.strikethrough && a.code === b.code && a.url === b.url
}

function mergeSegments(segments: InlineSegment[]): InlineSegment[] {
  const merged: InlineSegment[] = []
  for (const segment of segments) {
    if (segment.text === '') continue
    const last = merged[merged.length - 1]
    if (last && sameStyle(last, segment)) last.text += segment.text
    else merged.push({ ...segment })
  }
  return merged
}

function makeItem(segment: InlineSegment): RichTextItemRequest {
  const annotations: RichTextAnnotations = {}
  if (segment.bold) annotations.bold = true
  if (segment.italic) annotations.italic = true
  if (segment.strikethrough) annotations.strikethrough = true
  if (segment.code) annotations.code = true
  const item: RichTextItemRequest = { type: 'text', text: { content: segment.text } }
  if (segment.url !== null) item.text.link = { url: segment.url }
  if (Object.keys(annotations).length > 0) item.annotations = annotations
  return item
}

function splitLongItems(items: RichTextItemRequest[]): RichTextItemRequest[] {
  return items.flatMap((item) =>
    item.text.content.length <= maxRichTextContent
      ? [item]
      : splitContent(item.text.content, maxRichTextContent).map((content) => ({ ...item, text: { ...item.text, content } })),
  )
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
// Grapheme rules look a few characters around a boundary; a window this much longer than the
// limit gives the same boundaries as the whole text (segmenting a whole 200k string is quadratic in V8).
const windowMargin = 256

/**
 * Cuts text into pieces of at most `max` UTF-16 units at grapheme boundaries; a single grapheme
 * longer than `max` (a pathological pile of combining marks) is cut between code points.
 */
export function splitContent(text: string, max: number): string[] {
  const pieces: string[] = []
  let start = 0
  while (text.length - start > max) {
    const window = text.slice(start, start + max + windowMargin)
    let cut = graphemes.segment(window).containing(max)?.index ?? max
    if (cut === 0) cut = isLowSurrogate(text.charCodeAt(start + max)) ? max - 1 : max
    pieces.push(text.slice(start, start + cut))
    start += cut
  }
  pieces.push(text.slice(start))
  return pieces
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
