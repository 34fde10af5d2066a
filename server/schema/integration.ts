// Integrations: connect Notion (token + database, checked live, stored encrypted) or Readwise (an
// access token, checked against its token endpoint), enable or disable,
// settings, disconnect; and the list the dashboard shows. The token travels only as a
// mutation variable and is never returned: the API shows a masked hint.
import { builder } from '../builder.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import type { Context } from '../context.ts'
import { disconnectIntegration, setIntegrationEnabled, updateIntegrationSettings } from '../sync/integrationActions.ts'
import { connectNotion } from '../notion/connection/connectNotion.ts'
import { countIntegrationItems } from '../sync/integrationCounts.ts'
import { NOTION_TARGET } from '../notion/connection/notionIntegration.ts'
import { readIntegrationSettings } from '../sync/integrationSettings.ts'
import { NotionDatabaseNotSharedError, NotionMultipleDataSourcesError } from '../notion/connection/notionErrors.ts'
import { AUTH_ERRORS } from './errors.ts'
import { NOTION_CALL_ERRORS } from './integrationErrors.ts'
import { findIntegration, makeClientFor, makeReadwiseClientFor } from './integrationShared.ts'
import { READWISE_CALL_ERRORS } from './readwiseErrors.ts'
import { connectReadwise } from '../readwise/connectReadwise.ts'
import { READWISE_TARGET } from '../readwise/readwiseModel.ts'
import { IntegrationTargetEnum } from './enums.ts'
import { API_TARGET_NAMES } from '../targets.ts'
import { ownedNodeWhere, readableUserId } from './access.ts'
import { ViewerRef } from './viewer.ts'
// The check and the database picker live in files of their own; this one is what schema/index.ts imports.
import './integrationCheck.ts'
import './notionPicker.ts'

const IntegrationSettingsRef = builder.objectRef<{ dryRun: boolean; cleanUpOnDelete: boolean; sendPageNotes: boolean }>('IntegrationSettings').implement({
  fields: (t) => ({
    dryRun: t.exposeBoolean('dryRun', { description: 'Record what would be sent, send nothing.' }),
    cleanUpOnDelete: t.exposeBoolean('cleanUpOnDelete', { description: "Remove a notebook's page (Readwise: its highlights) from the target when the notebook is deleted." }),
    sendPageNotes: t.exposeBoolean('sendPageNotes', { description: "Readwise: each page's notes go too, as a highlight with a note (off by default)." }),
  }),
})

const IntegrationCountsRef = builder.objectRef<{ synced: number; pending: number; failed: number }>('IntegrationCounts').implement({
  fields: (t) => ({
    synced: t.exposeInt('synced'),
    pending: t.exposeInt('pending', { description: 'Waiting or scheduled for a retry.' }),
    failed: t.exposeInt('failed'),
  }),
})

export const IntegrationRef = builder.prismaNode('IntegrationConfig', {
  name: 'Integration',
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedNodeWhere,
  description: 'A connected target. Its credentials are stored encrypted and never returned.',
  fields: (t) => ({
    target: t.field({ type: IntegrationTargetEnum, resolve: (i) => i.targetName }),
    enabled: t.exposeBoolean('isEnabled'),
    settings: t.field({ type: IntegrationSettingsRef, resolve: (i) => readIntegrationSettings(i.settings) }),
    credentialHint: t.exposeString('credentialHint', { nullable: true, description: 'The token masked: its last 4 characters.' }),
    databaseId: t.string({ nullable: true, resolve: (i) => readIntegrationSettings(i.settings).destination?.databaseId ?? null }),
    dataSourceId: t.string({ nullable: true, resolve: (i) => readIntegrationSettings(i.settings).destination?.dataSourceId ?? null }),
    databaseTitle: t.string({ nullable: true, resolve: (i) => readIntegrationSettings(i.settings).destination?.databaseTitle ?? null }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    counts: t.field({ type: IntegrationCountsRef, resolve: (i, _a, ctx) => countIntegrationItems(ctx.db, i.userId, i.targetName) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

function listIntegrations(query: object, userId: number, ctx: Context) {
  return ctx.db.integrationConfig.findMany({ ...query, where: { userId, targetName: { in: [...API_TARGET_NAMES] } }, orderBy: { targetName: 'asc' } })
}

builder.prismaObjectField(ViewerRef, 'integrations', (t) =>
  t.prismaField({ type: [IntegrationRef], resolve: (query, user, _args, ctx) => listIntegrations(query, user.id, ctx) }),
)

builder.queryField('integrations', (t) =>
  t.prismaField({
    type: [IntegrationRef],
    authScopes: { read: true },
    description: "The caller's integrations.",
    resolve: (query, _root, _args, ctx) => listIntegrations(query, readableUserId(ctx), ctx),
  }),
)

const NotionConnectionInput = builder.inputType('NotionConnectionInput', {
  fields: (t) => ({
    token: t.string({ required: true, extensions: { secret: true }, description: 'The internal integration secret. Sent only here; never returned.' }),
    databaseId: t.string({ required: true, description: 'The database id, or its Notion link.' }),
    dataSourceId: t.string({ description: 'Needed only for a database with several data sources.' }),
  }),
})

const ReadwiseConnectionInput = builder.inputType('ReadwiseConnectionInput', {
  fields: (t) => ({
    token: t.string({ required: true, description: 'The access token from readwise.io/access_token. Sent only here; never returned.' }),
  }),
})

const ConnectIntegrationInput = builder.inputType('ConnectIntegrationInput', {
  fields: (t) => ({
    target: t.field({ type: IntegrationTargetEnum, required: true }),
    notion: t.field({ type: NotionConnectionInput }),
    readwise: t.field({ type: ReadwiseConnectionInput }),
  }),
})

builder.mutationField('connectIntegration', (t) =>
  t.withAuth({ $all: { read: true, write: true } }).field({
    type: IntegrationRef,
    description: 'Checks the credentials with the target, stores them encrypted, enables the integration and queues everything not yet synced.',
    args: { input: t.arg({ type: ConnectIntegrationInput, required: true }) },
    errors: {
      types: [ValidationError, NotionDatabaseNotSharedError, NotionMultipleDataSourcesError, ...NOTION_CALL_ERRORS, ...READWISE_CALL_ERRORS, ...AUTH_ERRORS],
      directResult: true,
      union: { name: 'ConnectIntegrationResult' },
    },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      if (input.target === READWISE_TARGET) {
        if (!input.readwise) throw new ValidationError('Give the Readwise access token', 'readwise')
        return connectReadwise({ db: ctx.db, cipher: ctx.services.cipher, logger: ctx.logger, makeClient: (token) => makeReadwiseClientFor(ctx, token) }, viewer.userId, input.readwise.token)
      }
      // Obsidian has nothing to connect: the desktop agent writes the vault and reports it.
      if (input.target !== NOTION_TARGET) throw new ValidationError('Obsidian is written by the desktop agent (npm run agent -- obsidian VAULT); there is nothing to connect', 'target')
      if (!input.notion) throw new ValidationError('Give the Notion token and database', 'notion')
      return connectNotion({ db: ctx.db, cipher: ctx.services.cipher, logger: ctx.logger, makeClient: (token) => makeClientFor(ctx, token) }, viewer.userId, input.notion)
    },
  }),
)

const SetIntegrationEnabledInput = builder.inputType('SetIntegrationEnabledInput', {
  fields: (t) => ({ target: t.field({ type: IntegrationTargetEnum, required: true }), enabled: t.boolean({ required: true }) }),
})

builder.mutationField('setIntegrationEnabled', (t) =>
  t.withAuth({ write: true }).field({
    type: IntegrationRef,
    description: 'Disabling withdraws queued sync work; enabling again queues everything not yet synced.',
    args: { input: t.arg({ type: SetIntegrationEnabledInput, required: true }) },
    errors: { types: [NotFoundError, ...AUTH_ERRORS], directResult: true, union: { name: 'SetIntegrationEnabledResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const integration = await findIntegration(ctx, viewer.userId, input.target)
      return setIntegrationEnabled(ctx.db, ctx.logger, integration, input.enabled)
    },
  }),
)

const UpdateIntegrationSettingsInput = builder.inputType('UpdateIntegrationSettingsInput', {
  fields: (t) => ({
    target: t.field({ type: IntegrationTargetEnum, required: true }),
    dryRun: t.boolean({ description: 'Unset: unchanged.' }),
    cleanUpOnDelete: t.boolean({ description: 'Unset: unchanged.' }),
    sendPageNotes: t.boolean({ description: "Readwise: each page's notes go too, as a highlight with a note. Unset: unchanged." }),
  }),
})

builder.mutationField('updateIntegrationSettings', (t) =>
  t.withAuth({ write: true }).field({
    type: IntegrationRef,
    args: { input: t.arg({ type: UpdateIntegrationSettingsInput, required: true }) },
    errors: { types: [NotFoundError, ...AUTH_ERRORS], directResult: true, union: { name: 'UpdateIntegrationSettingsResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const integration = await findIntegration(ctx, viewer.userId, input.target)
      return updateIntegrationSettings(ctx.db, integration, input)
    },
  }),
)

const DisconnectIntegrationInput = builder.inputType('DisconnectIntegrationInput', {
  fields: (t) => ({
    target: t.field({ type: IntegrationTargetEnum, required: true }),
    keepSyncRecords: t.boolean({ required: true, description: 'Keep what was delivered where (to reconnect to the same database later).' }),
  }),
})

const DisconnectIntegrationPayload = builder
  .objectRef<{ target: string; syncRecordsDeleted: number; syncRecordsKept: number }>('DisconnectIntegrationPayload')
  .implement({
    fields: (t) => ({
      target: t.field({ type: IntegrationTargetEnum, resolve: (p) => p.target }),
      syncRecordsDeleted: t.exposeInt('syncRecordsDeleted'),
      syncRecordsKept: t.exposeInt('syncRecordsKept'),
    }),
  })

builder.mutationField('disconnectIntegration', (t) =>
  t.withAuth({ write: true }).field({
    type: DisconnectIntegrationPayload,
    description: 'Removes the stored credentials and withdraws queued work; keeps or clears the sync records.',
    args: { input: t.arg({ type: DisconnectIntegrationInput, required: true }) },
    errors: { types: [NotFoundError, ...AUTH_ERRORS], directResult: true, union: { name: 'DisconnectIntegrationResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const integration = await findIntegration(ctx, viewer.userId, input.target)
      return disconnectIntegration(ctx.db, ctx.logger, integration, input.keepSyncRecords)
    },
  }),
)
