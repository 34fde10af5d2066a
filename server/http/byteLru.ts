// A least-recently-used cache of byte buffers, bounded by their total size (rendered thumbnails).
export interface ByteLru {
  get(key: string): Uint8Array | undefined
  set(key: string, value: Uint8Array): void
  readonly entries: number
  readonly bytes: number
}

export function makeByteLru(maxBytes: number): ByteLru {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const items = new Map<string, Uint8Array>()
  let total = 0
  return {
    get(key) {
      const value = items.get(key)
      if (value === undefined) return undefined
      items.delete(key)
      items.set(key, value)
      return value
    },
    set(key, value) {
      const previous = items.get(key)
      if (previous !== undefined) {
        items.delete(key)
        total -= previous.length
      }
      if (value.length > maxBytes) return // would evict everything else and still not fit
      items.set(key, value)
      total += value.length
      for (const [oldest, bytes] of items) {
        if (total <= maxBytes) break
        items.delete(oldest)
        total -= bytes.length
      }
    },
    get entries() {
      return items.size
    },
    get bytes() {
      return total
    },
  }
}
