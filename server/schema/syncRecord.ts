// A sync record: one item's delivery state at one target; and the viewer's list of them, to find
// everything that failed (or is pending…) at a target, in a notebook, newest change first.
import { builder } from '../builder.ts'
import { IntegrationTargetEnum, SyncItemTypeEnum, SyncStatusEnum } from './enums.ts'
import { API_TARGETS_WHERE, ownedNodeWhere, readableUserId } from './access.ts'
import { parseGlobalId } from './globalIds.ts'
import { ViewerRef } from './viewer.ts'
import type { Context } from '../context.ts'
import type { Prisma } from '../generated/prisma/client.ts'

export const SyncRecordRef = builder.prismaNode('SyncRecord', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ ...ownedNodeWhere(id, ctx), ...API_TARGETS_WHERE }),
  description: "One item's delivery state at one target.",
  fields: (t) => ({
    itemType: t.field({ type: SyncItemTypeEnum, resolve: (r) => r.itemType as 'page_text' | 'todo' | 'highlight' | 'notebook_metadata' }),
    target: t.field({ type: IntegrationTargetEnum, resolve: (r) => r.targetName }),
    status: t.expose('status', { type: SyncStatusEnum }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    retryCount: t.exposeInt('retryCount'),
    externalId: t.exposeString('externalId', { nullable: true, description: 'The id at the target (e.g. the Notion block id).' }),
    notebookUuid: t.exposeString('notebookUuid', { nullable: true }),
    pageUuid: t.exposeString('pageUuid', { nullable: true }),
    pageNumber: t.exposeInt('pageNumber', { nullable: true }),
    removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true }),
    syncedAt: t.expose('syncedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

interface SyncRecordFilter {
  target?: string | null
  status?: readonly string[] | null
  notebookId?: string | number | null
}

/** The `where` of a viewer's sync record list; null when a notebookId names no notebook of theirs. */
async function makeSyncRecordWhere(ctx: Context, userId: number, args: SyncRecordFilter): Promise<Prisma.SyncRecordWhereInput | null> {
  const owner = readableUserId(ctx) === userId ? userId : -1
  let notebookUuid: string | undefined
  if (args.notebookId != null) {
    let id: number
    try {
      id = parseGlobalId(String(args.notebookId), 'Notebook')
    } catch {
      return null
    }
    const notebook = await ctx.db.notebook.findFirst({ where: { id, userId: owner }, select: { uuid: true } })
    if (!notebook) return null
    notebookUuid = notebook.uuid
  }
  return {
    userId: owner,
    targetName: args.target != null ? args.target : API_TARGETS_WHERE.targetName,
    ...(args.status?.length ? { status: { in: [...args.status] as ('pending' | 'success' | 'failed' | 'retry')[] } } : {}),
    ...(notebookUuid !== undefined ? { notebookUuid } : {}),
  }
}

// The list and its totalCount resolve with the same arguments object: the notebook is looked up once.
const whereByArgs = new WeakMap<object, Promise<Prisma.SyncRecordWhereInput | null>>()
function readSyncRecordWhere(ctx: Context, userId: number, args: SyncRecordFilter) {
  let where = whereByArgs.get(args)
  if (!where) whereByArgs.set(args, (where = makeSyncRecordWhere(ctx, userId, args)))
  return where
}

builder.prismaObjectField(ViewerRef, 'syncRecords', (t) =>
  t.prismaConnection({
    type: SyncRecordRef,
    cursor: 'id',
    description: 'Your sync records, newest change first: e.g. everything that failed at a target, or in one notebook.',
    args: {
      target: t.arg({ type: IntegrationTargetEnum }),
      status: t.arg({ type: [SyncStatusEnum], description: 'Any of these statuses (all when unset or empty).' }),
      notebookId: t.arg.id({ description: 'Only the records of this notebook and its pages, todos and highlights.' }),
    },
    totalCount: async (user, args, ctx) => {
      const where = await readSyncRecordWhere(ctx, user.id, args)
      return where ? ctx.db.syncRecord.count({ where }) : 0
    },
    resolve: async (query, user, args, ctx) => {
      const where = await readSyncRecordWhere(ctx, user.id, args)
      if (!where) return []
      return ctx.db.syncRecord.findMany({ ...query, where, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }] })
    },
  }),
)
