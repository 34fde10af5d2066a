// The signed-in user and the roots of everything they own.
import { builder } from '../builder.ts'
import { viewerUserId } from '../auth/requireViewer.ts'
import { NotebookTypeEnum } from './enums.ts'

export const ViewerRef = builder.prismaNode('User', {
  name: 'Viewer',
  id: { field: 'id', skipTypeScopes: true },
  nullable: true,
  // Everything under the viewer needs the read scope; who it is (what the agent's login shows) does not.
  authScopes: { read: true },
  findUnique: (id, ctx) => ({ id: Number(id) === viewerUserId(ctx) ? Number(id) : -1 }),
  fields: (t) => ({
    email: t.exposeString('email', { skipTypeScopes: true }),
    plan: t.exposeString('plan', { skipTypeScopes: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', skipTypeScopes: true }),
    apiTokens: t.relation('apiTokens', {
      description: 'API tokens, newest first (revoked ones included, marked).',
      query: { orderBy: { id: 'desc' } },
    }),
    notebooks: t.relatedConnection('notebooks', {
      cursor: 'id',
      description: 'Notebooks and documents (folders excluded), most recently modified first.',
      args: {
        folderUuid: t.arg.string({ description: 'Only those directly in this folder ("" for the root).' }),
        search: t.arg.string({ description: 'Name contains (case-insensitive).' }),
        type: t.arg({ type: NotebookTypeEnum }),
        includeDeleted: t.arg.boolean({ defaultValue: false }),
      },
      totalCount: true,
      query: (args) => ({
        where: {
          type: args.type ?? { not: 'FOLDER' },
          ...(args.includeDeleted ? {} : { deleted: false }),
          ...(args.folderUuid != null ? { parentUuid: args.folderUuid === '' ? null : args.folderUuid } : {}),
          ...(args.search ? { visibleName: { contains: args.search, mode: 'insensitive' as const } } : {}),
        },
        orderBy: [{ lastModified: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
      }),
    }),
    folders: t.relation('notebooks', {
      description: 'Every folder, by path.',
      query: { where: { type: 'FOLDER', deleted: false }, orderBy: [{ folderPath: 'asc' }, { visibleName: 'asc' }] },
    }),
    todos: t.relatedConnection('todos', {
      cursor: 'id',
      args: {
        completed: t.arg.boolean(),
        includeRemoved: t.arg.boolean({ defaultValue: false }),
      },
      totalCount: true,
      query: (args) => ({
        where: {
          ...(args.completed != null ? { completed: args.completed } : {}),
          ...(args.includeRemoved ? {} : { removedAt: null }),
        },
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      }),
    }),
    tombstones: t.relation('tombstones', {
      description: 'Deleted notebooks and the external ids targets still have to clean up.',
      query: { orderBy: { id: 'desc' } },
    }),
  }),
})

builder.queryField('viewer', (t) =>
  t.prismaField({
    type: ViewerRef,
    nullable: true,
    description: 'The signed-in user; null without a valid token.',
    resolve: (query, _root, _args, ctx) => (ctx.viewer ? ctx.db.user.findUnique({ ...query, where: { id: ctx.viewer.userId } }) : null),
  }),
)
