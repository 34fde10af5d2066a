// What a sync record is about, in words: "Page 3 of Reading notes", "Todo “Call the printer”".
export type SyncItemLike =
  | { __typename: 'Page'; pageNumber?: number | null; notebook: { visibleName: string } }
  | { __typename: 'Todo'; text: string; notebook: { visibleName: string } }
  | { __typename: 'Highlight'; text: string; notebook: { visibleName: string } }
  | { __typename: 'Notebook'; visibleName: string }
  | null
  | undefined

const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 59)}…` : s}”`

export function describeSyncItem(item: SyncItemLike): string {
  switch (item?.__typename) {
    case 'Page':
      return item.pageNumber != null ? `Page ${item.pageNumber} of ${item.notebook.visibleName}` : `A removed page of ${item.notebook.visibleName}`
    case 'Todo':
      return `Todo ${quote(item.text)} in ${item.notebook.visibleName}`
    case 'Highlight':
      return `Highlight ${quote(item.text)} in ${item.notebook.visibleName}`
    case 'Notebook':
      return `${item.visibleName} (its page and properties)`
    default:
      return 'An item that no longer exists'
  }
}
