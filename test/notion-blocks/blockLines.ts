// Flattens block trees into the lines a reader sees, for comparing output with input.

import { getChildren, getRichText, readPlainText, type NotionBlock } from '../../server/notion/index.ts'

export type FlatLine = { depth: number; type: string; text: string; checked?: boolean }

/** Pre-order; every block's text split on "\n"; empty lines dropped. */
export function flattenLines(blocks: NotionBlock[], depth = 0): FlatLine[] {
  return blocks.flatMap((block) => {
    const checked = block.type === 'to_do' ? block.to_do.checked : undefined
    const own = readPlainText(block)
      .split('\n')
      .filter((text) => text !== '')
      .map((text) => ({ depth, type: block.type, text, ...(checked === undefined ? {} : { checked }) }))
    return [...own, ...flattenLines(getChildren(block), depth + 1)]
  })
}

/** Fails the test with a path when any block breaks a per-block Notion limit. */
export function findItemLimitViolation(blocks: NotionBlock[], path = 'blocks'): string | null {
  for (const [index, block] of blocks.entries()) {
    const here = `${path}[${index}]`
    const rich = getRichText(block)
    if (rich.length > 100) return `${here} has ${rich.length} rich-text items`
    for (const item of rich) {
      if (item.text.content.length > 2000) return `${here} has a ${item.text.content.length}-char item`
      if (item.text.content === '') return `${here} has an empty item`
      if (item.text.link && item.text.link.url.length > 2000) return `${here} has a long URL`
    }
    const nested = findItemLimitViolation(getChildren(block), `${here}.children`)
    if (nested) return nested
  }
  return null
}
