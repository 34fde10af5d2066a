// Retrying sync work and reading a dry run's plan.
import { builder } from '../builder.ts'
import { NotAllowedError, NotAuthenticatedError, NotFoundError } from '../errors.ts'
import { parseGlobalId } from './globalIds.ts'
import { SyncRecordRef } from './syncRecord.ts'
import { IntegrationTargetEnum } from './enums.ts'
import { API_TARGETS_WHERE, readableUserId } from './access.ts'
import { requeueRecords } from '../sync/requeueRecords.ts'

const RetrySyncInput = builder.inputType('RetrySyncInput', { fields: (t) => ({ id: t.id({ required: true, description: 'A SyncRecord id.' }) }) })

builder.mutationField('retrySync', (t) =>
  t.withAuth({ write: true }).field({
    type: SyncRecordRef,
    description: 'Queues one item again at its target (a failed one, typically).',
    args: { input: t.arg({ type: RetrySyncInput, required: true }) },
    errors: { types: [NotFoundError, NotAuthenticatedError, NotAllowedError], directResult: true, union: { name: 'RetrySyncResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const id = parseGlobalId(String(input.id), 'SyncRecord')
      return ctx.db.$transaction(async (tx) => {
        const record = await tx.syncRecord.findFirst({ where: { id, userId: viewer.userId, ...API_TARGETS_WHERE } })
        if (!record) throw new NotFoundError('No such sync record')
        await requeueRecords(tx, viewer.userId, [record.id])
        return tx.syncRecord.findUniqueOrThrow({ where: { id } })
      })
    },
  }),
)

const RetryFailedSyncsInput = builder.inputType('RetryFailedSyncsInput', { fields: (t) => ({ notebookId: t.id({ required: true }) }) })
const RetryFailedSyncsPayload = builder.objectRef<{ queued: number }>('RetryFailedSyncsPayload').implement({
  fields: (t) => ({ queued: t.exposeInt('queued', { description: 'Items queued again.' }) }),
})

builder.mutationField('retryFailedSyncs', (t) =>
  t.withAuth({ write: true }).field({
    type: RetryFailedSyncsPayload,
    description: "Queues every failed item of a notebook again, at every target.",
    args: { input: t.arg({ type: RetryFailedSyncsInput, required: true }) },
    errors: { types: [NotFoundError, NotAuthenticatedError, NotAllowedError], directResult: true, union: { name: 'RetryFailedSyncsResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const notebookId = parseGlobalId(String(input.notebookId), 'Notebook')
      return ctx.db.$transaction(async (tx) => {
        const notebook = await tx.notebook.findFirst({ where: { id: notebookId, userId: viewer.userId } })
        if (!notebook) throw new NotFoundError('No such notebook')
        const failed = await tx.syncRecord.findMany({ where: { userId: viewer.userId, notebookUuid: notebook.uuid, status: 'failed' }, select: { id: true } })
        return { queued: await requeueRecords(tx, viewer.userId, failed.map((r) => r.id)) }
      })
    },
  }),
)

const SyncPreviewRef = builder.prismaObject('SyncPreview', {
  description: 'Dry run: the exact requests the last sync of this notebook would have sent.',
  fields: (t) => ({
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    requests: t.expose('requests', { type: 'JSON', description: '[{ method, path, body }] in order.' }),
    requestCount: t.int({ resolve: (p) => (Array.isArray(p.requests) ? p.requests.length : 0) }),
    target: t.field({ type: IntegrationTargetEnum, select: { integration: { select: { targetName: true } } }, resolve: (p) => p.integration.targetName }),
  }),
})

builder.queryField('syncPreview', (t) =>
  t.prismaField({
    type: [SyncPreviewRef],
    authScopes: { read: true },
    description: 'Dry-run plans for a notebook, one per target in dry-run mode.',
    args: { notebookId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      let notebookId: number
      try {
        notebookId = parseGlobalId(String(args.notebookId), 'Notebook')
      } catch {
        return []
      }
      return ctx.db.syncPreview.findMany({ ...query, where: { notebookId, notebook: { userId: readableUserId(ctx) }, integration: API_TARGETS_WHERE } })
    },
  }),
)
