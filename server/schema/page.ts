import { builder } from '../builder.ts'
import { SyncRecordRef } from './syncRecord.ts'
import { OcrStatusEnum } from './enums.ts'
import { ownedNodeWhere } from './access.ts'

export const PageRef = builder.prismaNode('Page', {
  // The agent's upload receipt (id, uuid, fileSha256, ocrStatus) needs only a token; everything else the read scope.
  id: { field: 'id', skipTypeScopes: true },
  authScopes: { read: true },
  nullable: true,
  findUnique: ownedNodeWhere,
  description: 'One page of a notebook.',
  fields: (t) => ({
    uuid: t.exposeString('uuid', { skipTypeScopes: true, description: "reMarkable's own page id." }),
    notebookUuid: t.exposeString('notebookUuid'),
    notebook: t.relation('notebook'),
    pageNumber: t.int({
      nullable: true,
      description: '1-based position among the notebook’s pages; null once the page left the notebook.',
      select: { notebookPage: { select: { pageNumber: true } } },
      resolve: (page) => page.notebookPage?.pageNumber ?? null,
    }),
    fileSha256: t.exposeString('fileSha256', { skipTypeScopes: true, nullable: true, description: 'sha256 of the uploaded .rm file; null until uploaded.' }),
    fileSize: t.exposeInt('fileSize', { nullable: true }),
    ocrStatus: t.expose('ocrStatus', { type: OcrStatusEnum, skipTypeScopes: true }),
    ocrError: t.exposeString('ocrError', { nullable: true, description: 'Why reading failed or was skipped.' }),
    text: t.exposeString('ocrText', { nullable: true, description: 'The page as Markdown: typed text, then handwriting.' }),
    hasHandwriting: t.exposeBoolean('hasHandwriting'),
    uploadedAt: t.expose('uploadedAt', { type: 'DateTime', nullable: true }),
    textReadyAt: t.expose('textReadyAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    todos: t.relation('todos', { query: { where: { removedAt: null }, orderBy: { id: 'asc' } } }),
    highlights: t.relation('highlights', { query: { where: { removedAt: null }, orderBy: { id: 'asc' } } }),
    syncRecords: t.field({
      type: [SyncRecordRef],
      description: "This page's text sync state, one per target.",
      resolve: (page, _a, ctx) => ctx.loaders.syncRecords('page_text').load(String(page.id)),
    }),
  }),
})
