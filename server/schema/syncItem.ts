// SyncRecord.item: what a sync record is about — a notebook (its page and properties at the target),
// a page's text, a todo or a highlight — loaded in batches (loaders.ts), so a list of records and
// their items is a few statements whatever its length.
import { builder } from '../builder.ts'
import { SyncRecordRef } from './syncRecord.ts'
import { NotebookRef } from './notebook.ts'
import { PageRef } from './page.ts'
import { TodoRef } from './todo.ts'
import { HighlightRef } from './highlight.ts'
import type { SyncItem } from './loaders.ts'

const TYPENAME: Record<SyncItem['type'], string> = { notebook_metadata: 'Notebook', page_text: 'Page', todo: 'Todo', highlight: 'Highlight' }
// Rows are plain objects of four models; the item field says which one each is as it loads it.
const typenameOf = new WeakMap<object, string>()

export const SyncItemRef = builder.unionType('SyncItem', {
  description: 'What a sync record is about.',
  types: [NotebookRef, PageRef, TodoRef, HighlightRef],
  resolveType: (row) => typenameOf.get(row),
})

builder.objectField(SyncRecordRef, 'item', (t) =>
  t.field({
    type: SyncItemRef,
    nullable: true,
    description: 'The notebook, page, todo or highlight this record is about; null once it no longer exists.',
    resolve: async (record, _args, ctx) => {
      const item = await ctx.loaders.syncItem(record.itemType, record.itemId)
      if (!item) return null
      typenameOf.set(item.row, TYPENAME[item.type])
      return item.row
    },
  }),
)
