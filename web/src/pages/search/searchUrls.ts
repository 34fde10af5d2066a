// The search page's and a hit's addresses: what is searched lives in the URL, so a search can be
// reloaded, shared, and gone back to.
export type SearchKindName = 'PAGE' | 'TODO' | 'HIGHLIGHT'
export const SEARCH_KIND_NAMES: readonly SearchKindName[] = ['PAGE', 'TODO', 'HIGHLIGHT']

export const SEARCH_PATH = '/dashboard/search'
export const OPEN_TODOS_PATH = '/dashboard/todos'

/** `/dashboard/search?q=…&kinds=PAGE,TODO` (no `kinds`: every kind). */
export function searchUrl(query: string, kinds: readonly SearchKindName[] = []): string {
  const params = new URLSearchParams()
  params.set('q', query)
  if (kinds.length && kinds.length < SEARCH_KIND_NAMES.length) params.set('kinds', kinds.join(','))
  return `${SEARCH_PATH}?${params}`
}

export function readKinds(search: URLSearchParams): SearchKindName[] {
  const named = (search.get('kinds') ?? '').split(',').filter((k): k is SearchKindName => (SEARCH_KIND_NAMES as readonly string[]).includes(k))
  return SEARCH_KIND_NAMES.filter((k) => named.includes(k))
}

/** The notebook page scrolled to the hit's page card, with the hit marked (`hit` is the item's id). */
export function hitUrl(notebookId: string, itemId: string, pageNumber: number | null | undefined): string {
  return `/dashboard/notebooks/${encodeURIComponent(notebookId)}?hit=${encodeURIComponent(itemId)}${pageNumber != null ? `#page-${pageNumber}` : ''}`
}
