import { builder } from '../builder.ts'
import { SyncRecordRef } from './syncRecord.ts'
import { ownedNodeWhere } from './access.ts'

export const TodoRef = builder.prismaNode('Todo', {
  id: { field: 'id' },
  authScopes: { read: true },
  nullable: true,
  findUnique: ownedNodeWhere,
  description: 'A checkbox line found in a page.',
  fields: (t) => ({
    text: t.exposeString('text'),
    completed: t.exposeBoolean('completed'),
    notebookUuid: t.exposeString('notebookUuid'),
    notebook: t.relation('notebook'),
    page: t.relation('page', { nullable: true, description: 'The page it lives on (the first where it appears).' }),
    pageNumber: t.exposeInt('pageNumber', { nullable: true }),
    removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true, description: 'Set when the line disappeared from its page.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    syncRecords: t.field({
      type: [SyncRecordRef],
      resolve: (todo, _a, ctx) => ctx.loaders.syncRecords('todo').load(String(todo.id)),
    }),
  }),
})
