import { ok } from '../errors.ts'
import { paginate } from '../pagination.ts'
import { renderDataSource, renderList, renderPage, titleOfNode } from '../shapes.ts'
import type { DataSourceRecord, PageRecord } from '../store.ts'
import { atKey, checkBoolean, checkEnum, checkKnownKeys, checkObject, checkPageSize, checkString, type Json } from '../validate.ts'
import { failIssue, readBody, type RequestContext, type Reply } from './context.ts'

// POST /v1/search: pages and data sources shared with the integration whose title contains the query
// (case-insensitive), optionally only one object kind; "database" is no longer a valid kind in 2025-09-03.

export function search(ctx: RequestContext): Reply {
  const body = readBody(ctx.body)
  if (!body.ok) return failIssue(body.issue)
  const b = body.value
  const keysIssue = checkKnownKeys(b, ['query', 'filter', 'sort', 'start_cursor', 'page_size'], 'body')
  if (keysIssue) return failIssue(keysIssue)
  const queryIssue = checkString(b.query, 'body.query', { optional: true })
  if (queryIssue) return failIssue(queryIssue)
  const pageSize = checkPageSize(b.page_size, 'body.page_size')
  if (!pageSize.ok) return failIssue(pageSize.issue)
  let only: 'page' | 'data_source' | undefined
  if (b.filter !== undefined) {
    const path = 'body.filter'
    const issue =
      checkObject(b.filter, path) ??
      checkKnownKeys(b.filter as Json, ['property', 'value', 'in_trash'], path) ??
      checkEnum((b.filter as Json).property, ['object'], atKey(path, 'property'), true) ??
      checkEnum((b.filter as Json).value, ['page', 'data_source'], atKey(path, 'value'), (b.filter as Json).property === undefined) ??
      checkBoolean((b.filter as Json).in_trash, atKey(path, 'in_trash'), true)
    if (issue) return failIssue(issue)
    only = (b.filter as Json).value as typeof only
  }
  let descending = true
  if (b.sort !== undefined) {
    const path = 'body.sort'
    const issue =
      checkObject(b.sort, path) ??
      checkKnownKeys(b.sort as Json, ['timestamp', 'direction'], path) ??
      checkEnum((b.sort as Json).timestamp, ['last_edited_time'], atKey(path, 'timestamp')) ??
      checkEnum((b.sort as Json).direction, ['ascending', 'descending'], atKey(path, 'direction'))
    if (issue) return failIssue(issue)
    descending = (b.sort as Json).direction === 'descending'
  }
  const needle = ((b.query as string | undefined) ?? '').toLowerCase()
  const matches: (PageRecord | DataSourceRecord)[] = []
  for (const node of ctx.store.nodes.values()) {
    if (node.kind !== 'page' && node.kind !== 'data_source') continue
    if (only && node.kind !== only) continue
    if (ctx.store.isTrashedDeep(node.id) || !ctx.store.canAccess(ctx.integration, node.id)) continue
    if (!titleOfNode(ctx.store, node).toLowerCase().includes(needle)) continue
    matches.push(node)
  }
  // Most recently edited first unless asked otherwise; ties keep creation order.
  const sign = descending ? -1 : 1
  matches.sort((a, c) => sign * (a.lastEditedTime - c.lastEditedTime))
  const page = paginate(matches, b.start_cursor ?? undefined, pageSize.value, 'body.start_cursor')
  if (!page.ok) return failIssue(page.issue)
  const results = page.value.items.map((node) =>
    node.kind === 'page' ? renderPage(ctx.store, node) : renderDataSource(ctx.store, node),
  )
  return ok(renderList(results, page.value.nextCursor, 'page_or_data_source'))
}
