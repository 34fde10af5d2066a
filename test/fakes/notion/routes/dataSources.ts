import { ok } from '../errors.ts'
import { compileFilter, compileSorts, type RowComparator, type RowPredicate, type RowView } from '../filters.ts'
import { checkIcon } from '../icons.ts'
import { checkSchemaUpdate } from '../schema.ts'
import { paginate } from '../pagination.ts'
import { checkRichTextArray } from '../richText.ts'
import { renderDataSource, renderList, renderPage } from '../shapes.ts'
import type { PageRecord } from '../store.ts'
import { checkBoolean, checkEnum, checkKnownKeys, checkPageSize } from '../validate.ts'
import { failArchived, failIssue, findShared, readBody, shapeForReader, type RequestContext, type Reply } from './context.ts'

// Data sources hold the schema and the rows: retrieve, update (title, icon, properties, trash), query
// with filters, sorts and pagination.

/** GET /v1/data_sources/{data_source_id} */
export function retrieveDataSource(ctx: RequestContext): Reply {
  const source = findShared(ctx, ctx.params.data_source_id, ['data_source'], 'data_source')
  if (!source.ok) return source
  return ok(renderDataSource(ctx.store, source.value))
}

/** PATCH /v1/data_sources/{data_source_id} */
export function updateDataSource(ctx: RequestContext): Reply {
  const body = readBody(ctx.body)
  if (!body.ok) return failIssue(body.issue)
  const b = body.value
  const keysIssue = checkKnownKeys(b, ['title', 'icon', 'properties', 'in_trash', 'archived'], 'body')
  if (keysIssue) return failIssue(keysIssue)
  for (const key of ['in_trash', 'archived'] as const) {
    const issue = checkBoolean(b[key], `body.${key}`, true)
    if (issue) return failIssue(issue)
  }
  const title = b.title === undefined ? undefined : checkRichTextArray(b.title, 'body.title')
  if (title && !title.ok) return failIssue(title.issue)
  const icon = b.icon === undefined ? undefined : checkIcon(b.icon, 'body.icon')
  if (icon && !icon.ok) return failIssue(icon.issue)
  const found = findShared(ctx, ctx.params.data_source_id, ['data_source'], 'data_source')
  if (!found.ok) return found
  const source = found.value
  const schema = b.properties === undefined ? undefined : checkSchemaUpdate(b.properties, source.schema, 'body.properties')
  if (schema && !schema.ok) return failIssue(schema.issue)
  const inTrash = (b.in_trash ?? b.archived) as boolean | undefined
  if (ctx.store.hasTrashedAncestor(source) || (source.inTrash && inTrash !== false)) return failArchived()
  if (title?.ok) source.title = title.value
  if (icon?.ok) source.icon = icon.value
  if (schema?.ok) {
    const kept = new Set(schema.value.map((p) => p.id))
    source.schema = schema.value
    // Values of removed properties go with them.
    for (const rowId of source.rows) {
      const row = ctx.store.get(rowId) as PageRecord
      for (const propertyId of Object.keys(row.values)) if (!kept.has(propertyId)) delete row.values[propertyId]
    }
  }
  if (inTrash !== undefined) source.inTrash = inTrash
  ctx.store.touch(source, ctx.integration.botId)
  return ok(shapeForReader(ctx, renderDataSource(ctx.store, source)))
}

/** POST /v1/data_sources/{data_source_id}/query — pages in the data source, trashed ones left out. */
export function queryDataSource(ctx: RequestContext): Reply {
  const body = readBody(ctx.body)
  if (!body.ok) return failIssue(body.issue)
  const b = body.value
  const keysIssue = checkKnownKeys(b, ['filter', 'sorts', 'start_cursor', 'page_size', 'in_trash', 'archived', 'result_type'], 'body')
  if (keysIssue) return failIssue(keysIssue)
  const pageSize = checkPageSize(b.page_size, 'body.page_size')
  if (!pageSize.ok) return failIssue(pageSize.issue)
  const trashIssue = checkBoolean(b.in_trash, 'body.in_trash', true) ?? checkBoolean(b.archived, 'body.archived', true)
  if (trashIssue) return failIssue(trashIssue)
  const resultTypeIssue = checkEnum(b.result_type, ['page', 'data_source'], 'body.result_type', true)
  if (resultTypeIssue) return failIssue(resultTypeIssue)
  const found = findShared(ctx, ctx.params.data_source_id, ['data_source'], 'data_source')
  if (!found.ok) return found
  const source = found.value
  let predicate: RowPredicate = () => true
  if (b.filter !== undefined) {
    const compiled = compileFilter(b.filter, source.schema)
    if (!compiled.ok) return failIssue(compiled.issue)
    predicate = compiled.value
  }
  // Without sorts rows come in creation order (Notion uses the data source's default order).
  let comparator: RowComparator = (a, c) => a.createdTime - c.createdTime
  if (b.sorts !== undefined) {
    const compiled = compileSorts(b.sorts, source.schema)
    if (!compiled.ok) return failIssue(compiled.issue)
    comparator = compiled.value
  }
  // in_trash: true asks for trashed rows as well.
  const withTrash = (b.in_trash ?? b.archived) === true
  const rows = source.rows
    .map((id) => ctx.store.get(id) as PageRecord)
    .filter((page) => withTrash || !page.inTrash)
    .map((page) => ({ page, view: viewOf(page) }))
    .filter((row) => predicate(row.view))
  rows.sort((a, c) => comparator(a.view, c.view))
  // Since 2026-04-20 one query reaches at most 10,000 rows; past that Notion marks the answer incomplete.
  const limit = ctx.store.queryResultLimit
  const limited = rows.length > limit
  const pages = rows.slice(0, limit).map((row) => row.page)
  const page = paginate(pages, b.start_cursor ?? undefined, pageSize.value, 'body.start_cursor')
  if (!page.ok) return failIssue(page.issue)
  const results = page.value.items.map((p) => renderPage(ctx.store, p))
  const list = renderList(results, page.value.nextCursor, 'page_or_data_source')
  if (limited && page.value.nextCursor === null) {
    list.request_status = { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' }
  }
  return ok(list)
}


function viewOf(page: PageRecord): RowView {
  return { values: page.values, createdTime: page.createdTime, lastEditedTime: page.lastEditedTime }
}
