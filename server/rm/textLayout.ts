import type { RmParagraph, RmParagraphStyle } from './types.ts'

/**
 * An approximate layout of typed text, shared by anchor placement and SVG rendering so
 * strokes written beside a paragraph land next to it. The tablet's exact metrics are not
 * in the file: the first-line advances below are rmc's measurements (70 px per plain line,
 * 150 per heading, 35 per list line, text starting 88 px above the text box's y); font
 * sizes and the wrapping estimate are ours.
 */
const TEXT_TOP_OFFSET = -88
const FIRST_LINE_ADVANCE: Record<RmParagraphStyle, number> = {
  basic: 70,
  plain: 70,
  bold: 70,
  heading: 150,
  bullet: 35,
  bullet2: 35,
  checkbox: 35,
  'checkbox-checked': 35,
}
const FONT_SIZE: Record<RmParagraphStyle, number> = {
  basic: 30,
  plain: 30,
  bold: 30,
  heading: 46,
  bullet: 30,
  bullet2: 30,
  checkbox: 30,
  'checkbox-checked': 30,
}
const INDENT: Record<RmParagraphStyle, number> = {
  basic: 0,
  plain: 0,
  bold: 0,
  heading: 0,
  bullet: 40,
  bullet2: 80,
  checkbox: 50,
  'checkbox-checked': 50,
}
/** Average glyph advance as a share of the font size, for wrapping. */
const CHAR_WIDTH_RATIO = 0.52
const WRAPPED_LINE_ADVANCE_RATIO = 1.5

/** Where typed text starts on a page whose file has no text box (the tablet's usual box). */
export const DEFAULT_TEXT_BOX = { x: -468, y: 234, width: 936 }

export interface LaidOutLine {
  text: string
  /** Baseline, page y. */
  baseline: number
}

export interface LaidOutParagraph {
  top: number
  bottom: number
  /** Left edge of the text, page x measured from the centre. */
  left: number
  fontSize: number
  lines: LaidOutLine[]
}

function wrapWords(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text]
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/(?<=\s)/)) {
    if (line.length > 0 && line.length + word.trimEnd().length > maxChars) {
      lines.push(line.trimEnd())
      line = ''
    }
    if (word.length <= maxChars) {
      line += word
      continue
    }
    // A word longer than a line is cut into line-sized pieces.
    let at = 0
    for (; at + maxChars < word.length; at += maxChars) lines.push(word.slice(at, at + maxChars))
    line = word.slice(at)
  }
  if (line.length > 0) lines.push(line.trimEnd())
  return lines
}

export function layOutText(
  paragraphs: readonly RmParagraph[],
  box: { x: number; y: number; width: number } = DEFAULT_TEXT_BOX,
): LaidOutParagraph[] {
  let cursor = box.y + TEXT_TOP_OFFSET
  return paragraphs.map((paragraph) => {
    const fontSize = FONT_SIZE[paragraph.style]
    const left = box.x + INDENT[paragraph.style]
    const usable = Math.max(box.width - INDENT[paragraph.style], fontSize)
    const maxChars = Math.max(1, Math.floor(usable / (fontSize * CHAR_WIDTH_RATIO)))
    const top = cursor
    const lines = wrapWords(paragraph.text, maxChars).map((text, i) => {
      cursor += i === 0 ? FIRST_LINE_ADVANCE[paragraph.style] : fontSize * WRAPPED_LINE_ADVANCE_RATIO
      return { text, baseline: cursor }
    })
    return { top, bottom: cursor, left, fontSize, lines }
  })
}
