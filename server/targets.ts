// Which item types each target takes. Notion takes everything; Readwise highlights and the notebook
// (its book: a rename moves the highlights), and page texts only with its `sendPageNotes` setting.
export type SyncItemType = 'page_text' | 'todo' | 'highlight' | 'notebook_metadata'

export const TARGET_ITEM_TYPES: Record<string, readonly SyncItemType[]> = {
  notion: ['page_text', 'todo', 'highlight', 'notebook_metadata'],
  readwise: ['highlight', 'notebook_metadata'],
  markdown: ['page_text', 'todo', 'highlight', 'notebook_metadata'],
}

/** Item types a target takes only when an integration's settings ask for them. */
const OPTIONAL_ITEM_TYPES: Record<string, Partial<Record<SyncItemType, string>>> = {
  readwise: { page_text: 'sendPageNotes' },
}

/** `settings`: the integration's settings column, for the types a setting turns on. */
export function targetTakes(targetName: string, itemType: SyncItemType, settings?: unknown): boolean {
  if (TARGET_ITEM_TYPES[targetName]?.includes(itemType)) return true
  const setting = OPTIONAL_ITEM_TYPES[targetName]?.[itemType]
  return setting !== undefined && typeof settings === 'object' && settings !== null && (settings as Record<string, unknown>)[setting] === true
}

/**
 * The targets the API names (the GraphQL enum IntegrationTarget): enum value → the target_name our
 * tables store. The one place the two spellings meet; a target that lands adds its line here.
 */
export const INTEGRATION_TARGETS = {
  NOTION: { targetName: 'notion', description: 'A Notion database: one page per notebook.' },
  READWISE: { targetName: 'readwise', description: 'A Readwise library: one book per notebook, its highlights as Readwise highlights.' },
  OBSIDIAN: { targetName: 'obsidian', description: 'An Obsidian vault, written by the desktop agent (`agent obsidian`): one Markdown file per notebook.' },
} as const

/** Stored target names the API can show; rows of any other target are not shown. */
export const API_TARGET_NAMES: readonly string[] = Object.values(INTEGRATION_TARGETS).map((t) => t.targetName)
