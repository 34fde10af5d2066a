// The one converter from a notebook to Markdown: the GraphQL field, the .md download, the .zip export
// and the Obsidian agent all serve what this returns.
//
//   ---                                  YAML frontmatter (frontmatter.ts escapes every value)
//   title: …  uuid: …  folder: …  tags: …  pages: N  modified: ISO-8601  rmirror: link (PUBLIC_URL set)
//   ---
//
//   ## Page 1                            one section per page, in page order, every page
//
//   the page text as written             typed text and handwriting, Markdown already; checkbox
//                                        lines written as `- [ ]` / `- [x]` (checkboxLines.ts)
//   ### Highlights                       the page's highlights, each a block quote (corrected text
//   > highlighted passage                when there is a correction), in the order they were found
//
// A page whose text has not been read yet says so in italics; a blank page has its heading only.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { formatFrontmatter, type FrontmatterValue } from './frontmatter.ts'
import { normalizeCheckboxLines } from './checkboxLines.ts'

export interface MarkdownSource {
  notebook: {
    id: number
    uuid: string
    visibleName: string
    /** Folder names from the root joined by " / "; "" at the root. */
    folderPath: string
    tags: readonly string[]
    lastModified: Date | null
  }
  /** Every live page, in page order; text null until it has been read. */
  pages: readonly { pageNumber: number; text: string | null }[]
  /** Live highlights on live pages, in page order, then in the order they were found. */
  highlights: readonly { pageNumber: number; text: string }[]
}

export interface RenderOptions {
  /** The service's public address (PUBLIC_URL): adds an `rmirror` link to the notebook's dashboard page. */
  publicUrl?: string
}

export const TEXT_NOT_READ = '*No text yet.*'

export function renderNotebookMarkdown(source: MarkdownSource, options: RenderOptions = {}): string {
  const { notebook } = source
  const entries: [string, FrontmatterValue][] = [
    ['title', notebook.visibleName],
    ['uuid', notebook.uuid],
    ['folder', notebook.folderPath],
    ['tags', notebook.tags],
    ['pages', source.pages.length],
  ]
  if (notebook.lastModified) entries.push(['modified', notebook.lastModified])
  if (options.publicUrl) entries.push(['rmirror', `${options.publicUrl.replace(/\/+$/, '')}/dashboard/notebooks/${encodeGlobalID('Notebook', notebook.id)}`])

  const highlightsByPage = new Map<number, string[]>()
  for (const h of source.highlights) highlightsByPage.set(h.pageNumber, [...(highlightsByPage.get(h.pageNumber) ?? []), h.text])

  const sections = source.pages.map((page) => {
    const parts = [`## Page ${page.pageNumber}`]
    const text = page.text === null ? TEXT_NOT_READ : tidyText(page.text)
    if (text !== '') parts.push(page.text === null ? text : normalizeCheckboxLines(text))
    const highlights = highlightsByPage.get(page.pageNumber) ?? []
    if (highlights.length) parts.push('### Highlights', ...highlights.map(formatQuote))
    return parts.join('\n\n')
  })
  return formatFrontmatter(entries) + sections.map((section) => `\n${section}\n`).join('')
}

/** Line endings made \n; blank lines at the start and any white space at the end dropped. */
function tidyText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd()
}

/** A highlight as one block quote; a line that would start a heading, list or quote inside it is escaped. */
function formatQuote(text: string): string {
  return tidyText(text)
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${escapeLineStart(line.trim())}`))
    .join('\n')
}

function escapeLineStart(line: string): string {
  const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(line)
  if (ordered) return `${ordered[1]}\\${ordered[2]}${line.slice(ordered[1].length + 1)}`
  return /^(#|>|[-+*](\s|$)|=+\s*$|`{3}|~{3})/.test(line) ? `\\${line}` : line
}
