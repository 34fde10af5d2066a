// What a client that mirrors the library as Markdown files (the desktop agent's Obsidian vault) needs:
// a stable listing of every document with its Markdown version and path, and a live feed of
// notebooks whose Markdown may have changed or that were deleted.
import { Repeater } from 'graphql-yoga'
import { builder } from '../builder.ts'
import type { Notebook, NotebookTombstone } from '../generated/prisma/client.ts'
import { NotebookRef } from './notebook.ts'
import { ViewerRef } from './viewer.ts'
import { subscribeToRows } from './subscriptions.ts'

builder.prismaObjectField(ViewerRef, 'markdownLibrary', (t) =>
  t.relatedConnection('notebooks', {
    cursor: 'id',
    description:
      'Every notebook, PDF and EPUB (folders and deleted ones excluded), oldest first: a stable order to page through while the ' +
      'library changes (a notebook that changes meanwhile keeps its place). With Notebook.markdownVersion and markdownPath, ' +
      'what a client mirroring the library as Markdown files lists to find what changed since it last looked.',
    totalCount: true,
    // Without the read scope refused (the Viewer type's scope), not empty: a mirroring client must
    // never take "no read scope" for "no notebooks" and delete its files.
    query: { where: { type: { not: 'FOLDER' }, deleted: false }, orderBy: { id: 'asc' } },
  }),
)

interface MarkdownChange {
  notebookUuid: string
  notebook: Notebook | null
}

const MarkdownChangeRef = builder.objectRef<MarkdownChange>('MarkdownChange').implement({
  description: "A notebook whose Markdown may have changed (compare its markdownVersion with yours), or that was deleted (notebook null).",
  fields: (t) => ({
    notebookUuid: t.exposeString('notebookUuid'),
    notebook: t.field({ type: NotebookRef, nullable: true, resolve: (c) => c.notebook }),
  }),
})

const changeOfNotebook = new WeakMap<Notebook, MarkdownChange>()
const changeOfTombstone = new WeakMap<NotebookTombstone, MarkdownChange>()

builder.subscriptionField('markdownChanged', (t) =>
  t.withAuth({ read: true }).field({
    type: MarkdownChangeRef,
    description:
      "A notebook's text, highlights, name, folder, tags or pages changed, or it was deleted. One event may stand for several " +
      'changes, and an event may come when the Markdown ends up the same: compare Notebook.markdownVersion.',
    subscribe: (_root, _args, ctx) => {
      const changed = subscribeToRows<Notebook>(ctx, 'markdown', (row) => row.type !== 'FOLDER')
      const deleted = subscribeToRows<NotebookTombstone>(ctx, 'tombstone', () => true)
      return Repeater.merge([
        mapRows(changed, changeOfNotebook, (notebook): MarkdownChange => ({ notebookUuid: notebook.uuid, notebook })),
        mapRows(deleted, changeOfTombstone, (tombstone): MarkdownChange => ({ notebookUuid: tombstone.notebookUuid, notebook: null })),
      ])
    },
    resolve: (change) => change,
  }),
)

/**
 * Each row as a change, the same object for every subscriber that gets the row (so the event is resolved
 * once for all of them, see sharedSubscribe.ts). Ending the feed ends the row subscription at once,
 * even while it waits for a row (an async generator would wait for the next row first).
 */
function mapRows<T extends object, U>(rows: AsyncIterableIterator<T>, mapped: WeakMap<T, U>, map: (row: T) => U): AsyncIterableIterator<U> {
  const once = (row: T) => mapped.get(row) ?? (mapped.set(row, map(row)), mapped.get(row)!)
  const iterator: AsyncIterableIterator<U> = {
    next: async () => {
      const r = await rows.next()
      return r.done ? r : { value: once(r.value), done: false }
    },
    return: async () => (await rows.return?.(), { value: undefined, done: true }),
    [Symbol.asyncIterator]: () => iterator,
  }
  return iterator
}
