// A typical notebook for request-count scenarios: 30 pages × 30 blocks of ~80-character text.
// Per page: 8 paragraphs, 5 bullets (3 with 2 sub-bullets each), 3 todos plus 1 todo nested under
// a bullet, a heading, 5 paragraphs and a quote: 30 blocks, 23 of them top-level.
// `deep` swaps one paragraph for a third nesting level (a sub-sub-bullet).

import { markdownToBlocks, toPlainRichText, type NotionBlock } from '../../server/notion/index.ts'

const filler = 'notes from the meeting about the roadmap, budget and the next steps for the team'

function line(page: number, index: number): string {
  return `${filler.slice(0, 72)} p${page}.${index}`
}

export function makePageMarkdown(page: number, { deep = false, flat = false } = {}): string {
  let n = 0
  const next = () => line(page, n++)
  if (flat) return Array.from({ length: 30 }, () => next()).join('\n\n')
  const out: string[] = []
  for (let i = 0; i < (deep ? 7 : 8); i++) out.push(next(), '')
  for (let i = 0; i < 5; i++) {
    out.push(`- ${next()}`)
    if (i < 3) {
      out.push(`  - ${next()}`)
      if (deep && i === 0) out.push(`    - ${next()}`)
      out.push(`  - ${next()}`)
    }
    if (i === 3) out.push(`  - [ ] ${next()}`)
  }
  for (let i = 0; i < 3; i++) out.push(`- [ ] ${next()}`)
  out.push('', `### ${next()}`, '')
  for (let i = 0; i < 5; i++) out.push(next(), '')
  out.push(`> ${next()}`)
  return out.join('\n')
}

const heading = (page: number, toggleChildren?: NotionBlock[]): NotionBlock => ({
  type: 'heading_2',
  heading_2: {
    rich_text: toPlainRichText(`Page ${page}`),
    ...(toggleChildren ? { is_toggleable: true, children: toggleChildren } : {}),
  },
})

export type SectionShape = 'flat' | 'toggle'

/** All pages as sections of one Notion page: a heading_2 then the page's blocks, or a toggle heading holding them. */
export function makeNotebookBlocks(shape: SectionShape, options: { deep?: boolean; flat?: boolean; pages?: number } = {}): NotionBlock[] {
  return Array.from({ length: options.pages ?? 30 }, (_, index) => {
    const page = index + 1
    const blocks = markdownToBlocks(makePageMarkdown(page, options))
    return shape === 'flat' ? [heading(page), ...blocks] : [heading(page, blocks)]
  }).flat()
}
