import { builder } from '../builder.ts'

builder.prismaObject('NotebookTombstone', {
  authScopes: { read: true },
  name: 'NotebookTombstone',
  description: 'A deleted notebook, kept until every target has been cleaned up.',
  fields: (t) => ({
    notebookUuid: t.exposeString('notebookUuid'),
    visibleName: t.exposeString('visibleName'),
    externalIds: t.expose('externalIds', { type: 'JSON', description: 'Per target, the ids still to clean up (e.g. the Notion page id).' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime' }),
    cleanedAt: t.expose('cleanedAt', { type: 'DateTime', nullable: true }),
  }),
})
