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
