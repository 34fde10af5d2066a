import { pageToMarkdown } from './markdown.ts'
import type { RmPage, RmParagraphStyle } from './types.ts'

/** The summary `npm run rm -- inspect --json` prints; field names match ../shared/fixtures/rm/expected.json. */
export interface RmInspection {
  strokes: number
  points: number
  layers: number
  paragraphs: { style: RmParagraphStyle; text: string }[]
  highlights: { text: string; color: string }[]
  markdown: string
}

export function inspectPage(page: RmPage): RmInspection {
  return {
    strokes: page.strokes.length,
    points: page.strokes.reduce((sum, stroke) => sum + stroke.points.length, 0),
    layers: page.layers.length,
    paragraphs: page.paragraphs.map(({ style, text }) => ({ style, text })),
    highlights: page.highlights.map(({ text, color }) => ({ text, color })),
    markdown: pageToMarkdown(page),
  }
}
