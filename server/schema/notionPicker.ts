// The Notion database picker: the databases a token can see, and one created with every property the
// sync fills. Mutations, so the token travels only in a POST body.
import { builder } from '../builder.ts'
import { ValidationError } from '../errors.ts'
import { readNotionToken } from '../notion/connection/notionConnection.ts'
import { createNotionDatabase, findNotionDatabases, type NotionDatabaseSummary } from '../notion/connection/notionDatabases.ts'
import { NotionPageNotSharedError } from '../notion/connection/notionErrors.ts'
import { AUTH_ERRORS } from './errors.ts'
import { NOTION_CALL_ERRORS } from './integrationErrors.ts'
import { makeClientFor } from './integrationShared.ts'

const NotionDataSourceRef = builder.objectRef<NotionDatabaseSummary['dataSources'][number]>('NotionDataSource').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    missingProperties: t.exposeStringList('missingProperties', { description: 'Expected properties it lacks; the sync fills only those present.' }),
  }),
})

const NotionDatabaseRef = builder.objectRef<NotionDatabaseSummary>('NotionDatabase').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    title: t.exposeString('title'),
    url: t.exposeString('url', { nullable: true }),
    dataSources: t.field({ type: [NotionDataSourceRef], resolve: (d) => d.dataSources }),
  }),
})

const FindNotionDatabasesPayload = builder.objectRef<{ databases: NotionDatabaseSummary[] }>('FindNotionDatabasesPayload').implement({
  fields: (t) => ({ databases: t.field({ type: [NotionDatabaseRef], resolve: (p) => p.databases }) }),
})

const FindNotionDatabasesInput = builder.inputType('FindNotionDatabasesInput', {
  fields: (t) => ({ token: t.string({ required: true }) }),
})

builder.mutationField('findNotionDatabases', (t) =>
  t.withAuth({ write: true }).field({
    type: FindNotionDatabasesPayload,
    description: 'The databases and data sources the token can see (a mutation, so the token travels only in a POST body).',
    args: { input: t.arg({ type: FindNotionDatabasesInput, required: true }) },
    errors: { types: [ValidationError, ...NOTION_CALL_ERRORS, ...AUTH_ERRORS], directResult: true, union: { name: 'FindNotionDatabasesResult' } },
    resolve: async (_root, { input }, ctx) => {
      const token = readNotionToken(input.token, 'token')
      if (!token.ok) throw token.error
      const found = await findNotionDatabases(makeClientFor(ctx, token.value))
      if (!found.ok) throw found.error
      return { databases: found.value }
    },
  }),
)

const CreateNotionDatabaseInput = builder.inputType('CreateNotionDatabaseInput', {
  fields: (t) => ({
    token: t.string({ required: true }),
    parentPageId: t.string({ required: true, description: 'The page (shared with the integration) to create it in: id or link.' }),
    title: t.string({ description: 'Default "reMarkable notebooks".' }),
  }),
})

builder.mutationField('createNotionDatabase', (t) =>
  t.withAuth({ write: true }).field({
    type: NotionDatabaseRef,
    description: 'Creates a database with every property the sync fills, for connectIntegration to use.',
    args: { input: t.arg({ type: CreateNotionDatabaseInput, required: true }) },
    errors: { types: [ValidationError, NotionPageNotSharedError, ...NOTION_CALL_ERRORS, ...AUTH_ERRORS], directResult: true, union: { name: 'CreateNotionDatabaseResult' } },
    resolve: async (_root, { input }, ctx) => {
      const token = readNotionToken(input.token, 'token')
      if (!token.ok) throw token.error
      const created = await createNotionDatabase(makeClientFor(ctx, token.value), { parentPageId: input.parentPageId, title: input.title })
      if (!created.ok) throw created.error
      return created.value
    },
  }),
)
