// Live per-page, per-todo and per-sync-record status over graphql-ws or SSE. Each event is the row
// read once by the server's listener; a subscription ends when the token that opened it is revoked.
import { Repeater } from 'graphql-yoga'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import type { RowEventKind } from '../events/appEvent.ts'
import { NotAllowedError, NotAuthenticatedError } from '../errors.ts'
import { PageRef } from './page.ts'
import { TodoRef } from './todo.ts'
import { SyncRecordRef } from './syncRecord.ts'
import { NotebookRef } from './notebook.ts'
import { HighlightRef } from './highlight.ts'
import { parseGlobalId } from './globalIds.ts'

builder.subscriptionType({ description: 'Live updates of your own data.' })

export function subscribeToRows<T>(ctx: Context, kind: RowEventKind, accept: (row: T) => boolean): AsyncIterable<T> {
  if (!ctx.viewer) throw new NotAuthenticatedError()
  if (!ctx.viewer.scopes.has('read')) throw new NotAllowedError('This token lacks the "read" scope')
  const { pubsub, topicFor } = ctx.services.events
  const tokenHash = ctx.viewer.tokenHash
  const rows = pubsub.subscribe(topicFor(ctx.viewer.userId, kind)) as AsyncIterable<T>
  const revocations = pubsub.subscribe('token_revoked') as AsyncIterable<string>
  return new Repeater<T>(async (push, stop) => {
    const rowIterator = rows[Symbol.asyncIterator]()
    const revokeIterator = revocations[Symbol.asyncIterator]()
    void (async () => {
      for (let r = await revokeIterator.next(); !r.done; r = await revokeIterator.next()) if (r.value === tokenHash) stop()
    })()
    void (async () => {
      for (let r = await rowIterator.next(); !r.done; r = await rowIterator.next()) if (accept(r.value)) await push(r.value)
    })()
    await stop
    await rowIterator.return?.()
    await revokeIterator.return?.()
  })
}

function notebookFilter(ctx: Context, notebookId: string | null | undefined): number | undefined {
  return notebookId ? parseGlobalId(notebookId, 'Notebook') : undefined
}

builder.subscriptionField('pageUpdated', (t) =>
  t.field({
    type: PageRef,
    description: 'A page changed: uploaded, text status, text.',
    args: { notebookId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => {
      const nb = notebookFilter(ctx, args.notebookId as string | undefined)
      return subscribeToRows<{ notebookId: number }>(ctx, 'page', (row) => nb === undefined || row.notebookId === nb)
    },
    resolve: (row) => row as any,
  }),
)

builder.subscriptionField('todoUpdated', (t) =>
  t.field({
    type: TodoRef,
    description: 'A todo was found, changed, ticked or removed.',
    args: { notebookId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => {
      const nb = notebookFilter(ctx, args.notebookId as string | undefined)
      return subscribeToRows<{ notebookId: number }>(ctx, 'todo', (row) => nb === undefined || row.notebookId === nb)
    },
    resolve: (row) => row as any,
  }),
)

builder.subscriptionField('highlightUpdated', (t) =>
  t.field({
    type: HighlightRef,
    args: { notebookId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => {
      const nb = notebookFilter(ctx, args.notebookId as string | undefined)
      return subscribeToRows<{ notebookId: number }>(ctx, 'highlight', (row) => nb === undefined || row.notebookId === nb)
    },
    resolve: (row) => row as any,
  }),
)

builder.subscriptionField('notebookUpdated', (t) =>
  t.field({
    type: NotebookRef,
    subscribe: (_root, _args, ctx) => subscribeToRows(ctx, 'notebook', () => true),
    resolve: (row) => row as any,
  }),
)

builder.subscriptionField('syncRecordUpdated', (t) =>
  t.field({
    type: SyncRecordRef,
    description: 'An item’s sync status changed at a target (pending → success / failed / retry).',
    args: { notebookUuid: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) =>
      subscribeToRows<{ notebookUuid: string | null }>(ctx, 'sync_record', (row) => !args.notebookUuid || row.notebookUuid === args.notebookUuid),
    resolve: (row) => row as any,
  }),
)
