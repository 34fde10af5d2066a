// The pieces of a xochitl `.content` file the service needs: page order and tags.

export type ContentResult =
  | { ok: true; pageUuids: string[]; tags: string[]; fileType: string }
  | { ok: false; reason: string }

/**
 * Page order: `cPages.pages[]` sorted by `idx.value` compared as plain strings (the app's fractional
 * indices), entries with `deleted.value == 1` left out; older files list page uuids in `pages`, in order.
 */
export function readContent(json: unknown): ContentResult {
  if (!isObject(json)) return { ok: false, reason: '.content is not a JSON object' }
  const order = readPageOrder(json)
  if (!order.ok) return order
  return { ok: true, pageUuids: order.pageUuids, tags: readTags(json.tags), fileType: typeof json.fileType === 'string' ? json.fileType : '' }
}

function readPageOrder(json: Record<string, unknown>): { ok: true; pageUuids: string[] } | { ok: false; reason: string } {
  const cPages = json.cPages
  if (isObject(cPages) && Array.isArray(cPages.pages)) {
    const live: { id: string; idx: string }[] = []
    for (const entry of cPages.pages as unknown[]) {
      if (!isObject(entry) || typeof entry.id !== 'string') return { ok: false, reason: 'cPages.pages has an entry without an id' }
      if (Number(readValue(entry.deleted)) === 1) continue
      const idx = readValue(entry.idx)
      if (typeof idx !== 'string') return { ok: false, reason: `page ${entry.id} has no idx.value` }
      live.push({ id: entry.id, idx })
    }
    // Code-unit comparison, not localeCompare: the app's indices are ordered byte-wise. Ties fall back to the id.
    live.sort((a, b) => compareStrings(a.idx, b.idx) || compareStrings(a.id, b.id))
    return { ok: true, pageUuids: dedupe(live.map((p) => p.id)) }
  }
  if (Array.isArray(json.pages)) {
    if (!json.pages.every((p) => typeof p === 'string')) return { ok: false, reason: 'pages is not a list of page uuids' }
    return { ok: true, pageUuids: dedupe(json.pages as string[]) }
  }
  // A new document the app has not given pages yet, or a PDF still being imported.
  return { ok: true, pageUuids: [] }
}

/** Newer files hold `[{ name, timestamp }]`, older ones plain strings. */
function readTags(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  const names = value
    .map((tag) => (typeof tag === 'string' ? tag : isObject(tag) && typeof tag.name === 'string' ? tag.name : null))
    .filter((name): name is string => name !== null && name.trim() !== '')
  return dedupe(names)
}

/** The app wraps each field as `{ timestamp, value }` (a CRDT register). */
function readValue(register: unknown): unknown {
  return isObject(register) ? register.value : undefined
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)]
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
