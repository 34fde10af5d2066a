import { checkBlockChildren, REQUEST_LIMITS, type BlockDraft } from '../blocks.ts'
import { fail, makeValidationError, MESSAGES, ok, type Result } from '../errors.ts'
import { checkCover, checkIcon, type Icon } from '../icons.ts'
import { applyPropertyValues, checkPropertyValues } from '../propertyValues.ts'
import { renderPage } from '../shapes.ts'
import { PAGE_TITLE_SCHEMA, type DataSourceRecord, type PageRecord, type ParentRef } from '../store.ts'
import { checkBoolean, checkKnownKeys, issueUndefined, type Json } from '../validate.ts'
import { failArchived, failIssue, findShared, readBody, shapeForReader, type RequestContext, type Reply } from './context.ts'
import { checkParent } from './parents.ts'

// Pages: create under a data source, a single-source database or a page (with properties and children),
// retrieve, update properties, trash and restore.

/** POST /v1/pages — answers the page without its blocks' ids. */
export function createPage(ctx: RequestContext): Reply {
  const body = readBody(ctx.body)
  if (!body.ok) return failIssue(body.issue)
  const b = body.value
  const keysIssue = checkKnownKeys(b, ['parent', 'properties', 'children', 'icon', 'cover'], 'body')
  if (keysIssue) return failIssue(keysIssue)
  const parentSpec = checkParent(b.parent, ['page_id', 'database_id', 'data_source_id', 'workspace'])
  if (!parentSpec.ok) return failIssue(parentSpec.issue)
  if (b.properties === undefined) return failIssue(issueUndefined('body.properties'))
  let children: BlockDraft[] = []
  if (b.children !== undefined) {
    const drafts = checkBlockChildren(b.children, 'body.children', REQUEST_LIMITS)
    if (!drafts.ok) return failIssue(drafts.issue)
    children = drafts.value
  }
  const looks = checkLooks(b)
  if (!looks.ok) return looks
  const spec = parentSpec.value
  if (spec.kind === 'workspace') {
    // Internal integrations cannot create workspace-level pages; the exact wording is not documented.
    return fail(makeValidationError('Internal integrations cannot create workspace-level pages; give a page, database or data source parent.'))
  }
  let parent: ParentRef
  let schema = PAGE_TITLE_SCHEMA
  if (spec.kind === 'page_id') {
    const page = findShared(ctx, spec.id, ['page'], 'page')
    if (!page.ok) return page
    parent = { kind: 'page', id: page.value.id }
  } else {
    const source = findDataSourceParent(ctx, spec.kind, spec.id)
    if (!source.ok) return source
    parent = { kind: 'data_source', id: source.value.id }
    schema = source.value.schema
  }
  if (ctx.store.isTrashedDeep(parent.id)) return failArchived()
  const values = checkPropertyValues(b.properties, schema, 'body.properties')
  if (!values.ok) return failIssue(values.issue)
  const page = ctx.store.createPage({
    parent, values: values.value, children, icon: looks.value.icon, cover: looks.value.cover, actor: ctx.integration.botId,
  })
  // A page an integration creates is shared with it.
  ctx.integration.shared.add(page.id)
  return ok(shapeForReader(ctx, renderPage(ctx.store, page)))
}

function findDataSourceParent(ctx: RequestContext, kind: 'database_id' | 'data_source_id', id: string): Result<DataSourceRecord> {
  if (kind === 'data_source_id') return findShared(ctx, id, ['data_source'], 'data_source')
  const database = findShared(ctx, id, ['database'], 'database')
  if (!database.ok) return database
  const sourceIds = database.value.dataSourceIds
  if (sourceIds.length !== 1) {
    return fail(
      makeValidationError(MESSAGES.multipleDataSources, {
        error_type: 'multiple_data_sources_for_database',
        database_id: database.value.id,
        child_data_source_ids: [...sourceIds],
        minimum_api_version: '2025-09-03',
      }),
    )
  }
  return ok(ctx.store.get(sourceIds[0]) as DataSourceRecord)
}

function checkLooks(b: Json): Result<{ icon?: Icon | null; cover?: Icon | null }> {
  const looks: { icon?: Icon | null; cover?: Icon | null } = {}
  if (b.icon !== undefined) {
    const icon = checkIcon(b.icon, 'body.icon')
    if (!icon.ok) return failIssue(icon.issue)
    looks.icon = icon.value
  }
  if (b.cover !== undefined) {
    const cover = checkCover(b.cover, 'body.cover')
    if (!cover.ok) return failIssue(cover.issue)
    looks.cover = cover.value
  }
  return ok(looks)
}

/** GET /v1/pages/{page_id} — trashed pages are still retrievable, with in_trash: true. */
export function retrievePage(ctx: RequestContext): Reply {
  const page = findShared(ctx, ctx.params.page_id, ['page'], 'page')
  if (!page.ok) return page
  return ok(renderPage(ctx.store, page.value))
}

/** PATCH /v1/pages/{page_id} — properties, icon, cover, in_trash (archived is its deprecated alias). */
export function updatePage(ctx: RequestContext): Reply {
  const body = readBody(ctx.body)
  if (!body.ok) return failIssue(body.issue)
  const b = body.value
  const keysIssue = checkKnownKeys(b, ['properties', 'in_trash', 'archived', 'icon', 'cover', 'is_locked'], 'body')
  if (keysIssue) return failIssue(keysIssue)
  for (const key of ['in_trash', 'archived', 'is_locked'] as const) {
    const issue = checkBoolean(b[key], `body.${key}`, true)
    if (issue) return failIssue(issue)
  }
  const looks = checkLooks(b)
  if (!looks.ok) return looks
  const found = findShared(ctx, ctx.params.page_id, ['page'], 'page')
  if (!found.ok) return found
  const page: PageRecord = found.value
  const values = b.properties === undefined ? undefined : checkPropertyValues(b.properties, ctx.store.schemaOf(page), 'body.properties')
  if (values && !values.ok) return failIssue(values.issue)
  const inTrash = (b.in_trash ?? b.archived) as boolean | undefined
  if (ctx.store.hasTrashedAncestor(page) || (page.inTrash && inTrash !== false)) return failArchived()
  if (inTrash === false) page.inTrash = false
  // New select option names are added to the data source's schema, as Notion does.
  if (values?.ok) applyPropertyValues(ctx.store.schemaOf(page), page.values, values.value)
  if (looks.value.icon !== undefined) page.icon = looks.value.icon
  if (looks.value.cover !== undefined) page.cover = looks.value.cover
  if (inTrash === true) page.inTrash = true
  ctx.store.touch(page, ctx.integration.botId)
  return ok(shapeForReader(ctx, renderPage(ctx.store, page)))
}
