import { builder } from '../builder.ts'
import { SyncRecordRef } from './syncRecord.ts'
import { ownedNodeWhere } from './access.ts'

export const HighlightRef = builder.prismaNode('Highlight', {
  id: { field: 'id' },
  authScopes: { read: true },
  nullable: true,
  findUnique: ownedNodeWhere,
  description: 'A passage highlighted on a PDF or EPUB page.',
  fields: (t) => ({
    originalText: t.exposeString('originalText'),
    correctedText: t.exposeString('correctedText', { nullable: true }),
    text: t.string({ description: 'The corrected text if set, else the original.', resolve: (h) => h.correctedText ?? h.originalText }),
    color: t.exposeString('color'),
    sourceFile: t.exposeString('sourceFile'),
    pageNumber: t.exposeInt('pageNumber', { nullable: true }),
    notebook: t.relation('notebook'),
    page: t.relation('page', { nullable: true }),
    removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    syncRecords: t.field({
      type: [SyncRecordRef],
      resolve: (h, _a, ctx) => ctx.loaders.syncRecords('highlight').load(String(h.id)),
    }),
  }),
})
