// Per-request batch loader for what Prisma relations cannot include: the sync records of many items
// (sync_records.item_id is polymorphic). Every item type asked for in one tick is one statement.
import DataLoader from 'dataloader'
import type { Db } from '../db.ts'
import type { SyncRecord } from '../generated/prisma/client.ts'

export type SyncItemType = 'page_text' | 'todo' | 'highlight' | 'notebook_metadata'

export interface Loaders {
  syncRecords(itemType: SyncItemType): { load(itemId: string): Promise<SyncRecord[]> }
}

export function makeLoaders(db: Db, userId: number): Loaders {
  const loader = new DataLoader<string, SyncRecord[]>(async (keys) => {
    const idsByType = new Map<string, string[]>()
    for (const key of keys) {
      const [type, id] = key.split('\u0000')
      idsByType.set(type, [...(idsByType.get(type) ?? []), id])
    }
    const rows = await db.syncRecord.findMany({
      where: { userId, OR: [...idsByType].map(([itemType, ids]) => ({ itemType, itemId: { in: ids } })) },
      orderBy: [{ targetName: 'asc' }],
    })
    const grouped = new Map<string, SyncRecord[]>()
    for (const r of rows) {
      const key = `${r.itemType}\u0000${r.itemId}`
      grouped.set(key, [...(grouped.get(key) ?? []), r])
    }
    return keys.map((k) => grouped.get(k) ?? [])
  })
  return {
    syncRecords: (itemType) => ({ load: (itemId) => loader.load(`${itemType}\u0000${itemId}`) }),
  }
}
