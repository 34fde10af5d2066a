import type { RmPage, RmParagraph, RmParagraphStyle, RmSpan } from './types.ts'

/**
 * Typed text as Markdown (CommonMark). Headings become `## ` — level 2, leaving level 1
 * to whatever titles the page (a notebook or a page section in an export). A bold
 * paragraph is wrapped in `**`; bullets are `- `, second-level bullets `  - `, checkbox
 * paragraphs `- [ ] ` / `- [x] `. Consecutive list items are joined by single newlines,
 * other paragraphs by a blank line; empty paragraphs are left out. Characters Markdown
 * would read as syntax are escaped so the text comes back as typed.
 */
const LIST_PREFIX: Partial<Record<RmParagraphStyle, string>> = {
  bullet: '- ',
  bullet2: '  - ',
  checkbox: '- [ ] ',
  'checkbox-checked': '- [x] ',
}

function isListStyle(style: RmParagraphStyle): boolean {
  return LIST_PREFIX[style] !== undefined
}

/** Escapes inline syntax: backslash, emphasis markers, code spans; `_` only where it could open or close emphasis. */
function escapeInline(text: string): string {
  return text
    .replace(/[\\*`]/g, (c) => `\\${c}`)
    .replace(/_/g, (c, at: number, whole: string) => {
      const before = whole[at - 1] ?? ' '
      const after = whole[at + 1] ?? ' '
      return /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after) ? c : `\\${c}`
    })
}

/** Escapes what would start a block (heading, quote, list, task box) at the start of a line. */
function escapeLineStart(text: string): string {
  const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(text)
  if (ordered) return `${ordered[1]}\\${ordered[2]}${text.slice(ordered[1].length + 1)}`
  if (/^(#|>|[-+](\s|$)|\[|=+\s*$)/.test(text)) return `\\${text}`
  return text
}

function wrapSpan(span: RmSpan, insideBold: boolean): string {
  const escaped = escapeInline(span.text)
  const bold = span.bold && !insideBold
  const marker = bold && span.italic ? '***' : bold ? '**' : span.italic ? '*' : ''
  if (marker === '' || escaped.trim() === '') return escaped
  // Emphasis must hug its text: keep surrounding spaces outside the markers.
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(escaped) as RegExpExecArray
  return `${lead}${marker}${core}${marker}${trail}`
}

function renderInline(paragraph: RmParagraph, insideBold: boolean): string {
  const spans = paragraph.spans ?? [{ text: paragraph.text, bold: false, italic: false }]
  return escapeLineStart(spans.map((span) => wrapSpan(span, insideBold)).join('').trim())
}

function renderParagraph(paragraph: RmParagraph): string {
  const prefix = LIST_PREFIX[paragraph.style]
  if (prefix !== undefined) return prefix + renderInline(paragraph, false)
  if (paragraph.style === 'heading') return `## ${renderInline(paragraph, false)}`
  if (paragraph.style === 'bold') return `**${renderInline(paragraph, true)}**`
  return renderInline(paragraph, false)
}

export function pageToMarkdown(page: Pick<RmPage, 'paragraphs'>): string {
  let markdown = ''
  let previous: RmParagraphStyle | undefined
  for (const paragraph of page.paragraphs) {
    if (paragraph.text.trim() === '') continue
    if (previous !== undefined) markdown += isListStyle(previous) && isListStyle(paragraph.style) ? '\n' : '\n\n'
    markdown += renderParagraph(paragraph)
    previous = paragraph.style
  }
  return markdown === '' ? '' : `${markdown}\n`
}
