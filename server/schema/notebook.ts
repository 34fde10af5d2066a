import { builder } from '../builder.ts'
import { SyncRecordRef } from './syncRecord.ts'
import { NotebookTypeEnum } from './enums.ts'
import { ownedNodeWhere } from './access.ts'

export const NotebookRef = builder.prismaNode('Notebook', {
  // The agent's receipt (id, uuid) needs only a token; everything else the read scope.
  id: { field: 'id', skipTypeScopes: true },
  authScopes: { read: true },
  nullable: true,
  findUnique: ownedNodeWhere,
  description: 'A reMarkable notebook, PDF, EPUB or folder.',
  fields: (t) => ({
    uuid: t.exposeString('uuid', { skipTypeScopes: true, description: "reMarkable's own id." }),
    visibleName: t.exposeString('visibleName'),
    type: t.expose('type', { type: NotebookTypeEnum }),
    parentUuid: t.exposeString('parentUuid', { nullable: true }),
    folderPath: t.exposeString('folderPath', { description: 'Folder names from the root joined by " / "; "" at the root.' }),
    tags: t.exposeStringList('tags'),
    lastModified: t.expose('lastModified', { type: 'DateTime', nullable: true }),
    lastOpened: t.expose('lastOpened', { type: 'DateTime', nullable: true }),
    lastOpenedPage: t.exposeInt('lastOpenedPage', { nullable: true }),
    pinned: t.exposeBoolean('pinned'),
    deleted: t.exposeBoolean('deleted'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    pages: t.relatedConnection('pages', {
      cursor: 'id',
      description: 'Pages in page order.',
      totalCount: true,
      query: { where: { notebookPage: { isNot: null } }, orderBy: [{ notebookPage: { pageNumber: 'asc' } }, { id: 'asc' }] },
    }),
    todos: t.relatedConnection('todos', {
      cursor: 'id',
      args: { includeRemoved: t.arg.boolean({ defaultValue: false }), completed: t.arg.boolean() },
      totalCount: true,
      query: (args) => ({
        where: { ...(args.includeRemoved ? {} : { removedAt: null }), ...(args.completed != null ? { completed: args.completed } : {}) },
        orderBy: [{ pageNumber: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      }),
    }),
    highlights: t.relatedConnection('highlights', {
      cursor: 'id',
      args: { includeRemoved: t.arg.boolean({ defaultValue: false }) },
      totalCount: true,
      query: (args) => ({
        where: args.includeRemoved ? {} : { removedAt: null },
        orderBy: [{ pageNumber: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      }),
    }),
    syncRecords: t.field({
      type: [SyncRecordRef],
      description: "The notebook's own sync state per target (its page in Notion, its properties).",
      resolve: (nb, _a, ctx) => ctx.loaders.syncRecords('notebook_metadata').load(String(nb.id)),
    }),
  }),
})
