// Live per-page, per-todo and per-sync-record status over graphql-ws or SSE. Each event is the row
// read once by the server's listener; a subscription ends when the token that opened it is revoked or
// expires.
// Every per-notebook subscription takes the notebook's global id as `notebookId`.
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import type { RowEventKind } from '../events/appEvent.ts'
import type { Viewer } from '../auth/authenticate.ts'
import { PageRef } from './page.ts'
import { TodoRef } from './todo.ts'
import { SyncRecordRef } from './syncRecord.ts'
import { NotebookRef } from './notebook.ts'
import { HighlightRef } from './highlight.ts'
import { parseGlobalId } from './globalIds.ts'

builder.subscriptionType({ description: 'Live updates of your own data.' })

/** A signed-in caller's context (the fields below are t.withAuth({ read: true })). */
export type ReaderContext = Context & { viewer: Viewer }

export function subscribeToRows<T>(ctx: ReaderContext, kind: RowEventKind, accept: (row: T) => boolean): AsyncIterableIterator<T> {
  const { tokenHash, expiresAt } = ctx.viewer
  return ctx.services.events.subscribe<T>(ctx.viewer.userId, kind, { tokenHash, expiresAt }, accept)
}

function notebookFilter(notebookId: string | number | null | undefined): number | undefined {
  return notebookId != null ? parseGlobalId(String(notebookId), 'Notebook') : undefined
}

const NOTEBOOK_ID_ARG = 'Only this notebook (its global id), e.g. the one on screen.'
const WITH_SYNC_STATUS = ' Also when its sync status changes at a target, so `syncRecords` is current.'

/** Rows of one kind (pages, todos, highlights), of one notebook if asked. */
function subscribeToItems(ctx: ReaderContext, kind: 'page' | 'todo' | 'highlight', notebookId: string | number | null | undefined) {
  const nb = notebookFilter(notebookId)
  return subscribeToRows<{ notebookId: number }>(ctx, kind, (row) => nb === undefined || row.notebookId === nb)
}

builder.subscriptionField('pageUpdated', (t) =>
  t.withAuth({ read: true }).field({
    type: PageRef,
    description: 'A page changed: uploaded, text status, text.' + WITH_SYNC_STATUS,
    args: { notebookId: t.arg.id({ required: false, description: NOTEBOOK_ID_ARG }) },
    subscribe: (_root, args, ctx) => subscribeToItems(ctx, 'page', args.notebookId),
    resolve: (row) => row as any,
  }),
)

builder.subscriptionField('todoUpdated', (t) =>
  t.withAuth({ read: true }).field({
    type: TodoRef,
    description: 'A todo was found, changed, ticked or removed.' + WITH_SYNC_STATUS,
    args: { notebookId: t.arg.id({ required: false, description: NOTEBOOK_ID_ARG }) },
    subscribe: (_root, args, ctx) => subscribeToItems(ctx, 'todo', args.notebookId),
    resolve: (row) => row as any,
  }),
)

builder.subscriptionField('highlightUpdated', (t) =>
  t.withAuth({ read: true }).field({
    type: HighlightRef,
    description: 'A highlight was found, corrected or removed.' + WITH_SYNC_STATUS,
    args: { notebookId: t.arg.id({ required: false, description: NOTEBOOK_ID_ARG }) },
    subscribe: (_root, args, ctx) => subscribeToItems(ctx, 'highlight', args.notebookId),
    resolve: (row) => row as any,
  }),
)

builder.subscriptionField('notebookUpdated', (t) =>
  t.withAuth({ read: true }).field({
    type: NotebookRef,
    description: 'A notebook changed (name, folder, tags…), or the sync status of it or of anything in it.',
    args: { notebookId: t.arg.id({ required: false, description: NOTEBOOK_ID_ARG }) },
    subscribe: (_root, args, ctx) => {
      const nb = notebookFilter(args.notebookId)
      return subscribeToRows<{ id: number }>(ctx, 'notebook', (row) => nb === undefined || row.id === nb)
    },
    resolve: (row) => row as any,
  }),
)

builder.subscriptionField('syncRecordUpdated', (t) =>
  t.withAuth({ read: true }).field({
    type: SyncRecordRef,
    description: 'An item’s sync status changed at a target (pending → success / failed / retry).',
    args: { notebookId: t.arg.id({ required: false, description: NOTEBOOK_ID_ARG }) },
    subscribe: async (_root, args, ctx) => {
      const nb = notebookFilter(args.notebookId)
      // Records name their notebook by uuid: look it up once (another user's notebook matches nothing).
      const uuid = nb === undefined ? undefined : ((await ctx.db.notebook.findFirst({ where: { id: nb, userId: ctx.viewer.userId }, select: { uuid: true } }))?.uuid ?? null)
      return subscribeToRows<{ notebookUuid: string | null }>(ctx, 'sync_record', (row) => uuid === undefined || (uuid !== null && row.notebookUuid === uuid))
    },
    resolve: (row) => row as any,
  }),
)
