import { builder } from '../builder.ts'
import { SyncItemTypeEnum, SyncStatusEnum } from './enums.ts'
import { ownedNodeWhere } from './access.ts'

export const SyncRecordRef = builder.prismaNode('SyncRecord', {
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedNodeWhere,
  description: "One item's delivery state at one target.",
  fields: (t) => ({
    itemType: t.field({ type: SyncItemTypeEnum, resolve: (r) => r.itemType as 'page_text' | 'todo' | 'highlight' | 'notebook_metadata' }),
    target: t.exposeString('targetName', { description: 'notion, readwise, markdown…' }),
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
