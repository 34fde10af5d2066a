// testIntegration: a live check of the stored credentials, reported as a result the dashboard shows.
import { builder } from '../builder.ts'
import { NotFoundError, type AppError } from '../errors.ts'
import type { NotionPropertyCheck } from '../notion/databaseProperties.ts'
import { NOTION_TARGET, openNotionCredentials } from '../notion/connection/notionIntegration.ts'
import { readNotionConnectionInput } from '../notion/connection/notionConnection.ts'
import { checkNotionIntegration, type IntegrationCheckReport } from '../notion/connection/checkNotionIntegration.ts'
import { NotionMultipleDataSourcesError, NotionRateLimitedError } from '../notion/connection/notionErrors.ts'
import { AUTH_ERRORS } from './errors.ts'
import { NotionDataSourceChoiceRef } from './integrationErrors.ts'
import { findIntegration, makeClientFor, makeReadwiseClientFor } from './integrationShared.ts'
import { testReadwiseIntegration } from '../readwise/readwiseConnection.ts'
import { openReadwiseCredentials } from '../readwise/readwiseIntegration.ts'
import { READWISE_TARGET } from '../readwise/readwiseModel.ts'
import { ReadwiseRateLimitedError } from '../readwise/readwiseErrors.ts'
import { IntegrationTargetEnum } from './enums.ts'

const NotionPropertyCheckRef = builder.objectRef<NotionPropertyCheck>('NotionPropertyCheck').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    expectedType: t.exposeString('expectedType'),
    foundType: t.exposeString('foundType', { nullable: true }),
    foundName: t.exposeString('foundName', { nullable: true, description: 'For the title: the name the database gives it.' }),
    matches: t.exposeBoolean('matches'),
  }),
})

interface IntegrationProblem {
  code: string
  message: string
  dataSources: { id: string; name: string }[] | null
  retryAfterSeconds: number | null
}

// A plain copy, not the Error itself: graphql-js treats a resolved Error instance as a thrown one.
function describeProblem(error: AppError): IntegrationProblem {
  return {
    code: error.code,
    message: error.message,
    dataSources: error instanceof NotionMultipleDataSourcesError ? [...error.dataSources] : null,
    retryAfterSeconds: error instanceof NotionRateLimitedError || error instanceof ReadwiseRateLimitedError ? error.retryAfterSeconds : null,
  }
}

const IntegrationProblemRef = builder.objectRef<IntegrationProblem>('IntegrationProblem').implement({
  description: 'Why a check failed, with the code the connect mutation would answer.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'e.g. NOTION_TOKEN_REJECTED, NOTION_DATABASE_NOT_SHARED, CREDENTIALS_UNREADABLE.' }),
    message: t.exposeString('message'),
    dataSources: t.field({
      type: [NotionDataSourceChoiceRef],
      nullable: true,
      description: 'For NOTION_MULTIPLE_DATA_SOURCES: the data sources to pick from.',
      resolve: (p) => p.dataSources,
    }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', { nullable: true }),
  }),
})

const IntegrationTestResultRef = builder.objectRef<IntegrationCheckReport>('IntegrationTestResult').implement({
  description: 'What a live check of the stored credentials found.',
  fields: (t) => ({
    target: t.field({ type: IntegrationTargetEnum, resolve: (r) => r.target }),
    ok: t.exposeBoolean('ok', { description: 'Token accepted, database reachable, one data source chosen.' }),
    checkedAt: t.expose('checkedAt', { type: 'DateTime' }),
    tokenAccepted: t.exposeBoolean('tokenAccepted', { nullable: true, description: 'null when it could not be told.' }),
    databaseReachable: t.exposeBoolean('databaseReachable', { nullable: true, description: 'null when it could not be told.' }),
    databaseId: t.exposeString('databaseId', { nullable: true }),
    dataSourceId: t.exposeString('dataSourceId', { nullable: true }),
    databaseTitle: t.exposeString('databaseTitle', { nullable: true }),
    properties: t.field({ type: [NotionPropertyCheckRef], resolve: (r) => r.properties }),
    problem: t.field({ type: IntegrationProblemRef, nullable: true, resolve: (r) => (r.problem ? describeProblem(r.problem) : null) }),
  }),
})

const TestIntegrationInput = builder.inputType('TestIntegrationInput', { fields: (t) => ({ target: t.field({ type: IntegrationTargetEnum, required: true }) }) })

builder.mutationField('testIntegration', (t) =>
  t.withAuth({ write: true }).field({
    type: IntegrationTestResultRef,
    description: 'Checks the stored credentials now: token, database, data source, expected properties.',
    args: { input: t.arg({ type: TestIntegrationInput, required: true }) },
    errors: { types: [NotFoundError, ...AUTH_ERRORS], directResult: true, union: { name: 'TestIntegrationResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const integration = await findIntegration(ctx, viewer.userId, input.target)
      if (integration.targetName === READWISE_TARGET) {
        const credentials = openReadwiseCredentials(ctx.services.cipher, viewer.userId, integration.configEncrypted)
        return testReadwiseIntegration(credentials, (token) => makeReadwiseClientFor(ctx, token))
      }
      const credentials = openNotionCredentials(ctx.services.cipher, viewer.userId, integration.configEncrypted)
      return checkNotionIntegration(credentials, (token) => makeClientFor(ctx, token))
    },
  }),
)

const TestNotionConnectionInput = builder.inputType('TestNotionConnectionInput', {
  fields: (t) => ({
    token: t.string({ required: true, description: 'The internal integration secret. Sent only here; never returned or stored.' }),
    databaseId: t.string({ required: true, description: 'The database id, or its Notion link.' }),
    dataSourceId: t.string({ description: 'Needed only for a database with several data sources.' }),
  }),
})

// The dashboard's "Test connection" before anything is saved: the same check connectIntegration makes,
// reported rather than thrown, so the form can say what works and what does not.
builder.mutationField('testNotionConnection', (t) =>
  t.withAuth({ write: true }).field({
    type: IntegrationTestResultRef,
    description: 'Checks a Notion token and database before connecting (nothing is stored): token, database, data source, expected properties.',
    args: { input: t.arg({ type: TestNotionConnectionInput, required: true }) },
    errors: { types: [...AUTH_ERRORS], directResult: true, union: { name: 'TestNotionConnectionResult' } },
    resolve: async (_root, { input }, ctx) => {
      const read = readNotionConnectionInput(input, 'input')
      if (!read.ok) {
        return { target: NOTION_TARGET, ok: false, checkedAt: new Date(), tokenAccepted: null, databaseReachable: null, databaseId: null, dataSourceId: null, databaseTitle: null, properties: [], problem: read.error }
      }
      return checkNotionIntegration({ ok: true, value: read.value }, (token) => makeClientFor(ctx, token))
    },
  }),
)
