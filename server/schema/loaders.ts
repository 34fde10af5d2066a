// Per-request batch loaders for what Prisma relations cannot include, because sync_records.item_id
// is polymorphic: the sync records of many items, and the items of many sync records. Everything
// asked for in one tick is one statement per table. Nothing is cached: a subscription keeps its
// context for its whole life, and each event must read the state as it is now.
import DataLoader from 'dataloader'
import type { Db } from '../db.ts'
import type { Highlight, Notebook, Page, SyncRecord, Todo } from '../generated/prisma/client.ts'
import { API_TARGET_NAMES } from '../targets.ts'

export type SyncItemType = 'page_text' | 'todo' | 'highlight' | 'notebook_metadata'

/** What a sync record describes, by its item type. */
export type SyncItem = { type: 'page_text'; row: Page } | { type: 'todo'; row: Todo } | { type: 'highlight'; row: Highlight } | { type: 'notebook_metadata'; row: Notebook }

export interface Loaders {
  syncRecords(itemType: SyncItemType): { load(itemId: string): Promise<SyncRecord[]> }
  /** The item a sync record describes; null when it no longer exists (or is not the caller's). */
  syncItem(itemType: string, itemId: string): Promise<SyncItem | null>
}

const KEY_SEPARATOR = '\u0000'

function groupKeys(keys: readonly string[]): Map<string, string[]> {
  const idsByType = new Map<string, string[]>()
  for (const key of keys) {
    const [type, id] = key.split(KEY_SEPARATOR)
    idsByType.set(type, [...(idsByType.get(type) ?? []), id])
  }
  return idsByType
}

async function readItems(db: Db, userId: number, itemType: string, itemIds: string[]): Promise<Map<string, SyncItem>> {
  const ids = itemIds.map(Number).filter(Number.isSafeInteger)
  const where = { id: { in: ids }, userId }
  const items: SyncItem[] =
    itemType === 'page_text' ? (await db.page.findMany({ where })).map((row) => ({ type: 'page_text', row }))
    : itemType === 'todo' ? (await db.todo.findMany({ where })).map((row) => ({ type: 'todo', row }))
    : itemType === 'highlight' ? (await db.highlight.findMany({ where })).map((row) => ({ type: 'highlight', row }))
    : itemType === 'notebook_metadata' ? (await db.notebook.findMany({ where })).map((row) => ({ type: 'notebook_metadata', row }))
    : []
  return new Map(items.map((item) => [String(item.row.id), item]))
}

export function makeLoaders(db: Db, userId: number): Loaders {
  // Made on first use: a subscription's context holds loaders it may never use.
  let records: DataLoader<string, SyncRecord[]> | undefined
  let items: DataLoader<string, SyncItem | null> | undefined
  const makeRecords = () => new DataLoader<string, SyncRecord[]>(
    async (keys) => {
      const rows = await db.syncRecord.findMany({
        where: { userId, targetName: { in: [...API_TARGET_NAMES] }, OR: [...groupKeys(keys)].map(([itemType, ids]) => ({ itemType, itemId: { in: ids } })) },
        orderBy: [{ targetName: 'asc' }],
      })
      const grouped = new Map<string, SyncRecord[]>()
      for (const r of rows) {
        const key = `${r.itemType}${KEY_SEPARATOR}${r.itemId}`
        grouped.set(key, [...(grouped.get(key) ?? []), r])
      }
      return keys.map((k) => grouped.get(k) ?? [])
    },
    { cache: false },
  )
  const makeItems = () => new DataLoader<string, SyncItem | null>(
    async (keys) => {
      const found = new Map<string, SyncItem>()
      const batches = await Promise.all([...groupKeys(keys)].map(([itemType, ids]) => readItems(db, userId, itemType, [...new Set(ids)])))
      for (const batch of batches) for (const [id, item] of batch) found.set(`${item.type}${KEY_SEPARATOR}${id}`, item)
      return keys.map((k) => found.get(k) ?? null)
    },
    { cache: false },
  )
  return {
    syncRecords: (itemType) => ({ load: (itemId) => (records ??= makeRecords()).load(`${itemType}${KEY_SEPARATOR}${itemId}`) }),
    syncItem: (itemType, itemId) => (items ??= makeItems()).load(`${itemType}${KEY_SEPARATOR}${itemId}`),
  }
}
