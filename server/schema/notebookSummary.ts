// What a notebook list shows per row without loading the rows behind it: todo counts and one sync
// summary per connected target (notebookUpdated fires when any item's sync status changes, so a
// subscription carries the new summary).
// Loaders batch within a tick and never cache: a subscription keeps its context for hours, and each
// event must read the counts as they are now.
import DataLoader from 'dataloader'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { readableUserId } from './access.ts'
import { IntegrationTargetEnum } from './enums.ts'
import { API_TARGET_NAMES } from '../targets.ts'
import { NotebookRef } from './notebook.ts'
import { AGGREGATE_COST } from './pageCount.ts'

interface TodoCounts {
  open: number
  done: number
}

interface SyncSummary {
  target: string
  synced: number
  pending: number
  failed: number
  lastSyncedAt: Date | null
}

interface SummaryLoaders {
  todoCounts: DataLoader<number, TodoCounts>
  syncSummary: DataLoader<string, SyncSummary[]>
}

const loadersByContext = new WeakMap<Context, SummaryLoaders>()

function getSummaryLoaders(ctx: Context): SummaryLoaders {
  let loaders = loadersByContext.get(ctx)
  if (loaders) return loaders
  const userId = readableUserId(ctx)
  loaders = {
    todoCounts: new DataLoader(
      async (notebookIds) => {
        const rows = await ctx.db.todo.groupBy({
          by: ['notebookId', 'completed'],
          where: { userId, notebookId: { in: [...notebookIds] }, removedAt: null },
          _count: { _all: true },
        })
        return notebookIds.map((id) => ({
          open: rows.find((r) => r.notebookId === id && !r.completed)?._count._all ?? 0,
          done: rows.find((r) => r.notebookId === id && r.completed)?._count._all ?? 0,
        }))
      },
      { cache: false },
    ),
    syncSummary: new DataLoader(
      async (notebookUuids) => {
        // Only targets the user has connected: records kept after a disconnect describe nothing live.
        const rows = await ctx.db.$queryRaw<{ notebook_uuid: string; target_name: string; status: string; n: number; last_synced_at: Date | null }[]>`
          select s.notebook_uuid, s.target_name, s.status::text as status, count(*)::int as n, max(s.synced_at) as last_synced_at
          from sync_records s
          join integration_configs i on i.user_id = s.user_id and i.target_name = s.target_name
          where s.user_id = ${userId} and s.notebook_uuid = any(${[...notebookUuids]}) and s.removed_at is null
            and s.target_name = any(${[...API_TARGET_NAMES]})
          group by 1, 2, 3
          order by 2`
        return notebookUuids.map((uuid) => {
          const byTarget = new Map<string, SyncSummary>()
          for (const r of rows.filter((row) => row.notebook_uuid === uuid)) {
            const s = byTarget.get(r.target_name) ?? { target: r.target_name, synced: 0, pending: 0, failed: 0, lastSyncedAt: null }
            if (r.status === 'success') s.synced += r.n
            else if (r.status === 'failed') s.failed += r.n
            else s.pending += r.n
            if (r.last_synced_at && (!s.lastSyncedAt || r.last_synced_at > s.lastSyncedAt)) s.lastSyncedAt = r.last_synced_at
            byTarget.set(r.target_name, s)
          }
          return [...byTarget.values()]
        })
      },
      { cache: false },
    ),
  }
  loadersByContext.set(ctx, loaders)
  return loaders
}

const TodoCountsRef = builder.objectRef<TodoCounts>('TodoCounts').implement({
  description: 'Todos of a notebook that are still on its pages.',
  fields: (t) => ({
    open: t.exposeInt('open'),
    done: t.exposeInt('done'),
  }),
})

const NotebookSyncSummaryRef = builder.objectRef<SyncSummary>('NotebookSyncSummary').implement({
  description: 'Where one notebook stands at one connected target: its own record, its pages, todos and highlights.',
  fields: (t) => ({
    target: t.field({ type: IntegrationTargetEnum, resolve: (s) => s.target }),
    synced: t.exposeInt('synced'),
    pending: t.exposeInt('pending', { description: 'Waiting, being sent, or scheduled for a retry.' }),
    failed: t.exposeInt('failed'),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
  }),
})

builder.prismaObjectField(NotebookRef, 'todoCounts', (t) =>
  t.field({
    type: TodoCountsRef,
    extensions: { cost: AGGREGATE_COST },
    resolve: (nb, _args, ctx) => getSummaryLoaders(ctx).todoCounts.load(nb.id),
  }),
)

builder.prismaObjectField(NotebookRef, 'syncSummary', (t) =>
  t.field({
    type: [NotebookSyncSummaryRef],
    description: 'One entry per connected target that has records for this notebook.',
    extensions: { cost: AGGREGATE_COST },
    resolve: (nb, _args, ctx) => getSummaryLoaders(ctx).syncSummary.load(nb.uuid),
  }),
)
