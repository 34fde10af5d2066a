import { normalizeId } from './ids.ts'
import { describeValue, invalid, issueText, valid, type Checked } from './validate.ts'

// Cursor pagination as Notion does it: next_cursor is the id of the first item of the next page, so it
// stays valid while items are inserted before it; has_more says whether that page exists.

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export function paginate<T extends { id: string }>(
  items: T[],
  startCursor: unknown,
  pageSize: number,
  path: string,
): Checked<Page<T>> {
  let start = 0
  if (startCursor !== undefined) {
    const id = normalizeId(startCursor)
    start = id ? items.findIndex((item) => item.id === id) : -1
    // Real wording for an unusable cursor is not documented.
    if (start < 0) {
      return invalid(issueText(`${path} should be a cursor from a previous response, instead was ${describeValue(startCursor)}.`))
    }
  }
  const slice = items.slice(start, start + pageSize)
  const next = items[start + pageSize]
  return valid({ items: slice, nextCursor: next ? next.id : null })
}
