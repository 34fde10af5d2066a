// The integration failures as GraphQL types implementing Error (errors plugin), so a client can act
// on each: paste the token again, share the database, pick a data source, retry later.
import { builder } from '../builder.ts'
import {
  NotionCapabilityMissingError,
  NotionDatabaseNotSharedError,
  NotionMultipleDataSourcesError,
  NotionPageNotSharedError,
  NotionRateLimitedError,
  NotionTokenRejectedError,
  NotionUnreachableError,
  type NotionDataSourceChoice,
} from '../notion/connection/notionErrors.ts'
import { ErrorInterface } from './errors.ts'

export const NotionDataSourceChoiceRef = builder.objectRef<NotionDataSourceChoice>('NotionDataSourceChoice').implement({
  description: 'A data source of a Notion database, to choose from.',
  fields: (t) => ({ id: t.exposeString('id'), name: t.exposeString('name') }),
})

builder.objectType(NotionTokenRejectedError, {
  name: 'NotionTokenRejectedError',
  description: 'Notion does not accept the token (401).',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof NotionTokenRejectedError,
})

builder.objectType(NotionDatabaseNotSharedError, {
  name: 'NotionDatabaseNotSharedError',
  description: 'No such database is shared with the integration (404).',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof NotionDatabaseNotSharedError,
  fields: (t) => ({ databaseId: t.exposeString('databaseId') }),
})

builder.objectType(NotionPageNotSharedError, {
  name: 'NotionPageNotSharedError',
  description: 'No such page is shared with the integration (404).',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof NotionPageNotSharedError,
  fields: (t) => ({ pageId: t.exposeString('pageId') }),
})

builder.objectType(NotionMultipleDataSourcesError, {
  name: 'NotionMultipleDataSourcesError',
  description: 'The database holds several data sources: send dataSourceId with one of them.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof NotionMultipleDataSourcesError,
  fields: (t) => ({
    databaseId: t.exposeString('databaseId'),
    dataSources: t.field({ type: [NotionDataSourceChoiceRef], resolve: (e) => [...e.dataSources] }),
  }),
})

builder.objectType(NotionCapabilityMissingError, {
  name: 'NotionCapabilityMissingError',
  description: 'The integration lacks a capability (read, update or insert content) it needs (403).',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof NotionCapabilityMissingError,
})

builder.objectType(NotionUnreachableError, {
  name: 'NotionUnreachableError',
  description: 'Notion did not answer, or answered with a server error; retry later.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof NotionUnreachableError,
  fields: (t) => ({ status: t.exposeInt('status', { nullable: true, description: 'The HTTP status, or null when no answer came.' }) }),
})

builder.objectType(NotionRateLimitedError, {
  name: 'NotionRateLimitedError',
  description: "Notion asked this integration to wait (its rate limit, shared by all of the token's work).",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof NotionRateLimitedError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
})

/** What any call to Notion on the user's behalf can answer. */
export const NOTION_CALL_ERRORS = [
  NotionTokenRejectedError,
  NotionCapabilityMissingError,
  NotionUnreachableError,
  NotionRateLimitedError,
] as const
