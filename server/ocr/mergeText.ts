import { collapseBlankLines, normalizeNewlines } from './markdownLines.ts'

/**
 * A page's text: its typed text first (pageToMarkdown), then the handwriting transcription,
 * one blank line between them. Either may be empty; the result ends with one newline, or is ''
 * when both are empty, so the page-text fingerprint (which trims) sees the same text either way.
 */
export function mergePageText(typedMarkdown: string, transcription: string): string {
  const lines = [normalizeNewlines(typedMarkdown), normalizeNewlines(transcription)]
    .map((part) => part.replace(/^(\s*\n)+/, '').trimEnd())
    .filter((part) => part !== '')
    .join('\n\n')
    .split('\n')
  const merged = collapseBlankLines(lines).join('\n')
  return merged === '' ? '' : `${merged}\n`
}
