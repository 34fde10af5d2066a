// Which item types each target takes. Notion takes everything; Readwise only highlights.
export type SyncItemType = 'page_text' | 'todo' | 'highlight' | 'notebook_metadata'

export const TARGET_ITEM_TYPES: Record<string, readonly SyncItemType[]> = {
  notion: ['page_text', 'todo', 'highlight', 'notebook_metadata'],
  readwise: ['highlight'],
  markdown: ['page_text', 'todo', 'highlight', 'notebook_metadata'],
}

export function targetTakes(targetName: string, itemType: SyncItemType): boolean {
  return TARGET_ITEM_TYPES[targetName]?.includes(itemType) ?? false
}

/**
 * The targets the API names (the GraphQL enum IntegrationTarget): enum value → the target_name our
 * tables store. The one place the two spellings meet; a target that lands adds its line here.
 */
export const INTEGRATION_TARGETS = {
  NOTION: { targetName: 'notion', description: 'A Notion database: one page per notebook.' },
  OBSIDIAN: { targetName: 'obsidian', description: 'An Obsidian vault, written by the desktop agent (`agent obsidian`): one Markdown file per notebook.' },
} as const

/** Stored target names the API can show; rows of any other target are not shown. */
export const API_TARGET_NAMES: readonly string[] = Object.values(INTEGRATION_TARGETS).map((t) => t.targetName)
