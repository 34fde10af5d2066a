import type { Handler } from './routes/context.ts'
import { appendBlockChildren, deleteBlock, listBlockChildren, retrieveBlock, updateBlock } from './routes/blocks.ts'
import { createDatabase, retrieveDatabase } from './routes/databases.ts'
import { queryDataSource, retrieveDataSource, updateDataSource } from './routes/dataSources.ts'
import { createPage, retrievePage, updatePage } from './routes/pages.ts'
import { search } from './routes/search.ts'
import { retrieveSelf } from './routes/users.ts'
import type { Capabilities } from './store.ts'

// The endpoints the fake serves, the capability each needs (developers.notion.com/reference/capabilities:
// reading, inserting new content, updating existing content) and the key they are counted under.

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** Path pattern; `:name` segments are ids, validated as UUIDs and named in errors as path.<name>. */
  pattern: string
  /** Request name used in stats and in Notion's "Unsupported request" message. */
  name: string
  capability: keyof Capabilities | null
  handler: Handler
}

export const ROUTES: Route[] = [
  { method: 'GET', pattern: '/v1/users/me', name: 'users.me', capability: null, handler: retrieveSelf },
  { method: 'POST', pattern: '/v1/databases', name: 'databases.create', capability: 'insert', handler: createDatabase },
  { method: 'GET', pattern: '/v1/databases/:database_id', name: 'databases.retrieve', capability: 'read', handler: retrieveDatabase },
  { method: 'GET', pattern: '/v1/data_sources/:data_source_id', name: 'dataSources.retrieve', capability: 'read', handler: retrieveDataSource },
  { method: 'PATCH', pattern: '/v1/data_sources/:data_source_id', name: 'dataSources.update', capability: 'update', handler: updateDataSource },
  { method: 'POST', pattern: '/v1/data_sources/:data_source_id/query', name: 'dataSources.query', capability: 'read', handler: queryDataSource },
  { method: 'POST', pattern: '/v1/pages', name: 'pages.create', capability: 'insert', handler: createPage },
  { method: 'GET', pattern: '/v1/pages/:page_id', name: 'pages.retrieve', capability: 'read', handler: retrievePage },
  { method: 'PATCH', pattern: '/v1/pages/:page_id', name: 'pages.update', capability: 'update', handler: updatePage },
  { method: 'GET', pattern: '/v1/blocks/:block_id', name: 'blocks.retrieve', capability: 'read', handler: retrieveBlock },
  { method: 'PATCH', pattern: '/v1/blocks/:block_id', name: 'blocks.update', capability: 'update', handler: updateBlock },
  { method: 'DELETE', pattern: '/v1/blocks/:block_id', name: 'blocks.delete', capability: 'update', handler: deleteBlock },
  { method: 'GET', pattern: '/v1/blocks/:block_id/children', name: 'blocks.children.list', capability: 'read', handler: listBlockChildren },
  { method: 'PATCH', pattern: '/v1/blocks/:block_id/children', name: 'blocks.children.append', capability: 'insert', handler: appendBlockChildren },
  { method: 'POST', pattern: '/v1/search', name: 'search', capability: 'read', handler: search },
]

/** The key a route is counted under in stats, e.g. "PATCH /v1/blocks/:id/children". */
export function endpointKeyOf(route: Route): string {
  return `${route.method} ${route.pattern.replace(/:[a-z_]+/g, ':id')}`
}

export type RouteMatch =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'wrong_method'; patternKey: string }
  | { kind: 'unknown_url' }

export function matchRoute(method: string, pathname: string): RouteMatch {
  const segments = pathname.replace(/\/+$/, '').split('/')
  let patternKey: string | undefined
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, segments)
    if (!params) continue
    if (route.method === method) return { kind: 'route', route, params }
    patternKey = route.pattern.replace(/:[a-z_]+/g, ':id')
  }
  return patternKey ? { kind: 'wrong_method', patternKey } : { kind: 'unknown_url' }
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/')
  if (parts.length !== segments.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, part] of parts.entries()) {
    if (part.startsWith(':')) {
      if (segments[i] === '') return undefined
      params[part.slice(1)] = decodeURIComponent(segments[i])
    } else if (part !== segments[i]) return undefined
  }
  return params
}
