import { inspectPage } from './inspectPage.ts'
import type { RmPage } from './types.ts'

function pluralize(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** The human-readable summary `npm run rm -- inspect FILE` prints. */
export function describePage(name: string, page: RmPage): string {
  const summary = inspectPage(page)
  const lines = [`${name}: reMarkable v6 page, ${page.width} × ${page.height}`]
  const layerList = page.layers
    .map((layer) => `${layer.label || layer.id}${layer.visible ? '' : ' (hidden)'}: ${pluralize(layer.strokes.length, 'stroke')}`)
    .join(', ')
  lines.push(`  layers: ${summary.layers}${layerList ? ` (${layerList})` : ''}`)
  lines.push(`  strokes: ${summary.strokes}, points: ${summary.points}, handwriting: ${page.hasHandwriting ? 'yes' : 'no'}`)
  lines.push(`  typed paragraphs: ${summary.paragraphs.length}, highlights: ${summary.highlights.length}`)
  lines.push(
    `  deleted items: ${page.deletedItems}, unknown blocks: ${page.unknownBlocks.length}, unreadable blocks: ${page.unreadableBlocks.length}`,
  )
  for (const block of page.unreadableBlocks) lines.push(`    unreadable block type ${block.type} at byte ${block.offset}: ${block.reason}`)
  if (summary.markdown) lines.push('', 'Typed text (Markdown):', summary.markdown.trimEnd())
  if (summary.highlights.length > 0) {
    lines.push('', 'Highlights:')
    for (const highlight of summary.highlights) lines.push(`  [${highlight.color}] ${highlight.text}`)
  }
  return `${lines.join('\n')}\n`
}
