// The agent's way in: library metadata, page files, deletions. Agent mutations take reMarkable uuids
// and act in the caller's own space only.
import { GraphQLScalarType } from 'graphql'
import { builder } from '../builder.ts'
import { NotAllowedError, NotAuthenticatedError, NotFoundError, ValidationError } from '../errors.ts'
import { NotebookTypeEnum } from './enums.ts'
import { NotebookRef } from './notebook.ts'
import { PageRef } from './page.ts'
import { ErrorInterface } from './errors.ts'
import { syncNotebookMetadata, type NotebookMetadataInput } from '../library/syncNotebookMetadata.ts'
import { uploadPage, type UploadOutcome } from '../library/uploadPage.ts'
import { deleteNotebook } from '../library/deleteNotebook.ts'
import { FileTooLargeError, InvalidFileError } from '../library/uploadErrors.ts'
import type { Notebook, Page } from '../generated/prisma/client.ts'
import { UserLimitError } from '../library/userLimits.ts'

builder.addScalarType(
  'Upload',
  new GraphQLScalarType({
    name: 'Upload',
    description: 'A file sent with the GraphQL multipart request spec.',
    serialize: () => {
      throw new TypeError('Upload is an input-only scalar')
    },
    parseValue: (value) => value,
  }),
  {},
)

builder.objectType(InvalidFileError, { name: 'InvalidFileError', interfaces: [ErrorInterface], isTypeOf: (v) => v instanceof InvalidFileError })
builder.objectType(FileTooLargeError, {
  name: 'FileTooLargeError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof FileTooLargeError,
  fields: (t) => ({ maxBytes: t.exposeInt('maxBytes') }),
})

const UserLimitKindEnum = builder.enumType('UserLimitKind', {
  values: {
    PAGES: { description: 'Pages of the account, listed or uploaded (USER_MAX_PAGES).' },
    STORED_BYTES: { description: 'Bytes of the account’s page files (USER_MAX_STORED_BYTES).' },
  } as const,
})

builder.objectType(UserLimitError, {
  name: 'UserLimitError',
  description: 'The call would take the account past what it may store; nothing of it was kept.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof UserLimitError,
  fields: (t) => ({
    limit: t.field({ type: UserLimitKindEnum, resolve: (e) => e.limit }),
    max: t.exposeFloat('max', { description: 'The limit (pages, or bytes), a whole number.' }),
  }),
})

const NotebookMetadataInputType = builder.inputType('NotebookMetadataInput', {
  fields: (t) => ({
    uuid: t.string({ required: true }),
    visibleName: t.string({ required: true }),
    type: t.field({ type: NotebookTypeEnum, required: true }),
    parentUuid: t.string({ description: 'The folder it is in; null or "" at the root.' }),
    pageUuids: t.stringList({ description: 'Page ids in page order, deleted pages excluded. Required for notebooks, PDFs and EPUBs.' }),
    tags: t.stringList(),
    lastModified: t.field({ type: 'DateTime' }),
    lastOpened: t.field({ type: 'DateTime' }),
    lastOpenedPage: t.int(),
    pinned: t.boolean(),
    deleted: t.boolean({ description: 'True removes the notebook, as deleteNotebook does.' }),
  }),
})

const SyncNotebookMetadataInput = builder.inputType('SyncNotebookMetadataInput', {
  fields: (t) => ({ notebooks: t.field({ type: [NotebookMetadataInputType], required: true }) }),
})

const SyncNotebookMetadataPayload = builder.objectRef<{ notebooks: Notebook[]; metadataChanged: number }>('SyncNotebookMetadataPayload').implement({
  fields: (t) => ({
    notebooks: t.field({ type: [NotebookRef], resolve: (p) => p.notebooks }),
    metadataChanged: t.exposeInt('metadataChanged', { description: 'Notebooks whose name, folder path or tags changed (or are new).' }),
  }),
})

const AGENT_ERRORS = [ValidationError, NotAuthenticatedError, NotAllowedError] as const

builder.mutationField('syncNotebookMetadata', (t) =>
  t.withAuth({ agent: true }).field({
    type: SyncNotebookMetadataPayload,
    args: { input: t.arg({ type: SyncNotebookMetadataInput, required: true }) },
    errors: { types: [...AGENT_ERRORS, UserLimitError], directResult: true, union: { name: 'SyncNotebookMetadataResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const result = await syncNotebookMetadata(ctx.db, viewer.userId, input.notebooks as NotebookMetadataInput[], ctx.config.userLimits)
      for (const sha of result.orphanedFiles) await ctx.services.storage.delete(sha)
      const notebooks = await ctx.db.notebook.findMany({ where: { id: { in: result.notebooks.map((n) => n.id) } }, orderBy: { id: 'asc' } })
      return { notebooks, metadataChanged: result.metadataChanged }
    },
  }),
)

const UploadOutcomeEnum = builder.enumType('UploadOutcome', {
  values: {
    STORED: { description: 'New bytes: stored, and the page is queued for text extraction.' },
    UNCHANGED: { description: 'The same bytes as before: nothing to do.' },
    RETRIED: { description: 'The same bytes as before, whose extraction had failed: queued again.' },
  } as const,
})

const UploadPageInput = builder.inputType('UploadPageInput', {
  fields: (t) => ({
    notebookUuid: t.string({ required: true }),
    pageUuid: t.string({ required: true }),
    file: t.field({ type: 'Upload', required: true }),
  }),
})

const UploadPagePayload = builder.objectRef<{ outcome: UploadOutcome; page: Page }>('UploadPagePayload').implement({
  fields: (t) => ({
    outcome: t.field({ type: UploadOutcomeEnum, resolve: (p) => p.outcome }),
    page: t.field({ type: PageRef, resolve: (p) => p.page }),
  }),
})

builder.mutationField('uploadPage', (t) =>
  t.withAuth({ agent: true }).field({
    type: UploadPagePayload,
    args: { input: t.arg({ type: UploadPageInput, required: true }) },
    errors: { types: [...AGENT_ERRORS, NotFoundError, InvalidFileError, FileTooLargeError, UserLimitError], directResult: true, union: { name: 'UploadPageResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const file = input.file as unknown as File
      if (!file || typeof (file as Blob).arrayBuffer !== 'function') throw new ValidationError('file must be a multipart upload', 'file')
      if (file.size > ctx.config.uploadMaxBytes) throw new FileTooLargeError(file.size, ctx.config.uploadMaxBytes)
      const bytes = new Uint8Array(await file.arrayBuffer())
      return uploadPage(ctx.db, ctx.services.storage, viewer.userId, { notebookUuid: input.notebookUuid, pageUuid: input.pageUuid, bytes }, ctx.config.uploadMaxBytes, ctx.config.userLimits)
    },
  }),
)

const DeleteNotebookInput = builder.inputType('DeleteNotebookInput', { fields: (t) => ({ uuid: t.string({ required: true }) }) })
const DeleteNotebookPayload = builder.objectRef<{ uuid: string }>('DeleteNotebookPayload').implement({
  fields: (t) => ({ uuid: t.exposeString('uuid', { description: 'The deleted notebook; its tombstone is in viewer.tombstones.' }) }),
})

builder.mutationField('deleteNotebook', (t) =>
  t.withAuth({ agent: true }).field({
    type: DeleteNotebookPayload,
    args: { input: t.arg({ type: DeleteNotebookInput, required: true }) },
    errors: { types: [...AGENT_ERRORS, NotFoundError], directResult: true, union: { name: 'DeleteNotebookResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const result = await deleteNotebook(ctx.db, ctx.services.storage, viewer.userId, input.uuid)
      if (!result.deleted) throw new NotFoundError(`No notebook ${input.uuid}`)
      return { uuid: input.uuid }
    },
  }),
)
