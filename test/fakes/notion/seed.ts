import { checkBlockChildren, SEED_LIMITS, type BlockDraft } from './blocks.ts'
import { makeIssueError, type Issue } from './validate.ts'
import { normalizeId } from './ids.ts'
import { checkPropertyValues, type ValueDraft } from './propertyValues.ts'
import { checkSchema } from './schema.ts'
import { makeTextItems } from './richText.ts'
import { PAGE_TITLE_SCHEMA, type DatabaseRecord, type DataSourceRecord, type PageRecord, type ParentRef, type Store } from './store.ts'

// Test-side seeding of a workspace, as a person would build it in the app: pages, databases and
// their content, created by the workspace owner. Shapes are checked like requests (so seeds cannot hold
// what Notion could not), but per-request limits do not apply.

export interface SeedPageOptions {
  /** A page, a data source, or a database with one data source; none puts the page at workspace level. */
  parentId?: string
  title?: string
  /** Property values in request shape, for pages in a data source. */
  properties?: Record<string, unknown>
  /** Blocks in request shape, nested as deep as needed. */
  children?: unknown[]
  /** Tokens of integrations to share the page with. */
  shareWith?: string | string[]
}

export interface SeedDatabaseOptions {
  /** The page holding the database; none puts it at workspace level. */
  parentId?: string
  title?: string
  /** Schema in request shape (initial_data_source.properties) of the single data source. */
  properties?: Record<string, unknown>
  /** Several data sources, each with its own schema; overrides properties. */
  dataSources?: { title?: string; properties?: Record<string, unknown> }[]
  isInline?: boolean
  shareWith?: string | string[]
}

function throwIssue(what: string, issue: Issue): never {
  throw new Error(`notion fake seed: ${what}: ${makeIssueError(issue).message}`)
}

function resolveParent(store: Store, parentId: string | undefined): { parent: ParentRef; source?: DataSourceRecord } {
  if (parentId === undefined) return { parent: { kind: 'workspace' } }
  const id = normalizeId(parentId)
  const node = id ? store.get(id) : undefined
  if (!node) throw new Error(`notion fake seed: no object with id ${parentId}`)
  if (node.kind === 'page' || node.kind === 'block') return { parent: { kind: node.kind, id: node.id } }
  if (node.kind === 'data_source') return { parent: { kind: 'data_source', id: node.id }, source: node }
  if (node.dataSourceIds.length !== 1) throw new Error(`notion fake seed: database ${node.id} has several data sources; pass one`)
  const source = store.get(node.dataSourceIds[0]) as DataSourceRecord
  return { parent: { kind: 'data_source', id: source.id }, source }
}

export function seedPage(store: Store, options: SeedPageOptions): PageRecord {
  const { parent, source } = resolveParent(store, options.parentId)
  const schema = source?.schema ?? PAGE_TITLE_SCHEMA
  const properties: Record<string, unknown> = { ...(options.properties ?? {}) }
  if (options.title !== undefined) {
    const title = schema.find((p) => p.type === 'title')
    if (title) properties[title.name] = { title: options.title === '' ? [] : [{ text: { content: options.title } }] }
  }
  const values = checkPropertyValues(properties, schema, 'properties')
  if (!values.ok) throwIssue('page properties', values.issue)
  let children: BlockDraft[] = []
  if (options.children !== undefined) {
    const drafts = checkBlockChildren(options.children, 'children', SEED_LIMITS)
    if (!drafts.ok) throwIssue('page children', drafts.issue)
    children = drafts.value
  }
  const page = store.createPage({ parent, values: values.value as ValueDraft[], children, actor: store.owner.id })
  shareWithTokens(store, page.id, options.shareWith)
  return page
}

export function seedDatabase(store: Store, options: SeedDatabaseOptions): DatabaseRecord {
  const { parent } = resolveParent(store, options.parentId)
  if (parent.kind === 'data_source') throw new Error('notion fake seed: a database cannot live in a data source')
  const specs = options.dataSources ?? [{ title: options.title, properties: options.properties }]
  const dataSources = specs.map((spec, i) => {
    const schema = checkSchema(spec.properties, `dataSources[${i}].properties`)
    if (!schema.ok) throwIssue('database schema', schema.issue)
    return { title: makeTextItems(spec.title ?? options.title ?? ''), schema: schema.value }
  })
  const database = store.createDatabase({
    parent, title: makeTextItems(options.title ?? ''), isInline: options.isInline, dataSources, actor: store.owner.id,
  })
  shareWithTokens(store, database.id, options.shareWith)
  return database
}

export function shareWithTokens(store: Store, objectId: string, tokens: string | string[] | undefined) {
  for (const token of typeof tokens === 'string' ? [tokens] : (tokens ?? [])) {
    const integration = store.integrations.get(token)
    if (!integration) throw new Error('notion fake: unknown integration token')
    integration.shared.add(objectId)
  }
}
