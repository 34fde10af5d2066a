import { compactId } from './ids.ts'
import { renderPropertyValues, titleOf } from './propertyValues.ts'
import { renderSchema } from './schema.ts'
import { plainTextOf } from './richText.ts'
import type { BlockRecord, DatabaseRecord, DataSourceRecord, Integration, NodeRecord, PageRecord, Store } from './store.ts'
import type { Json } from './validate.ts'

// Response shapes of API version 2025-09-03 (SDK 5.26 types and the sample responses in
// jsaabel/kotlin-notion-client reference/notion-api/sample_responses): dashed ids, minute-precision
// timestamps, both in_trash and its deprecated alias archived.

/** Notion reports times rounded down to the minute, e.g. 2022-03-01T19:05:00.000Z. */
export function formatMinute(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString()
}

function userRef(id: string): Json {
  return { object: 'user', id }
}

function timestamps(node: NodeRecord): Json {
  return {
    created_time: formatMinute(node.createdTime),
    last_edited_time: formatMinute(node.lastEditedTime),
    created_by: userRef(node.createdBy),
    last_edited_by: userRef(node.lastEditedBy),
  }
}

export function renderParent(store: Store, node: NodeRecord): Json {
  if (node.kind === 'data_source') return { type: 'database_id', database_id: node.databaseId }
  const parent = node.parent
  switch (parent.kind) {
    case 'workspace':
      return { type: 'workspace', workspace: true }
    case 'page':
      return { type: 'page_id', page_id: parent.id }
    case 'block':
      return { type: 'block_id', block_id: parent.id }
    case 'database':
      return { type: 'database_id', database_id: parent.id }
    case 'data_source': {
      const source = store.get(parent.id) as DataSourceRecord | undefined
      return { type: 'data_source_id', data_source_id: parent.id, database_id: source?.databaseId ?? null }
    }
  }
}

export function titleOfNode(store: Store, node: NodeRecord): string {
  if (node.kind === 'page') return plainTextOf(titleOf(store.schemaOf(node), node.values))
  if (node.kind === 'database' || node.kind === 'data_source') return plainTextOf(node.title)
  return ''
}

function urlOf(title: string, id: string): string {
  const slug = title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')
  return `https://www.notion.so/${slug ? `${slug}-` : ''}${compactId(id)}`
}

/** A block, or a page / database in its block form (child_page / child_database). */
export function renderBlock(store: Store, node: BlockRecord | PageRecord | DatabaseRecord): Json {
  let type: string
  let content: Json
  let hasChildren = false
  if (node.kind === 'block') {
    type = node.type
    content = structuredClone(node.content)
    hasChildren = store.liveChildren(node).length > 0
  } else if (node.kind === 'page') {
    type = 'child_page'
    content = { title: titleOfNode(store, node) }
    hasChildren = store.liveChildren(node).length > 0
  } else {
    type = 'child_database'
    content = { title: titleOfNode(store, node) }
  }
  return {
    object: 'block',
    id: node.id,
    parent: renderParent(store, node),
    ...timestamps(node),
    has_children: hasChildren,
    archived: node.inTrash,
    in_trash: node.inTrash,
    type,
    [type]: content,
  }
}

export function renderPage(store: Store, page: PageRecord): Json {
  return {
    object: 'page',
    id: page.id,
    ...timestamps(page),
    cover: structuredClone(page.cover),
    icon: structuredClone(page.icon),
    parent: renderParent(store, page),
    archived: page.inTrash,
    in_trash: page.inTrash,
    is_locked: false,
    properties: renderPropertyValues(store.schemaOf(page), page.values),
    url: urlOf(titleOfNode(store, page), page.id),
    public_url: null,
  }
}

export function renderDatabase(store: Store, database: DatabaseRecord): Json {
  return {
    object: 'database',
    id: database.id,
    title: structuredClone(database.title),
    description: structuredClone(database.description),
    parent: renderParent(store, database),
    is_inline: database.isInline,
    in_trash: database.inTrash,
    archived: database.inTrash,
    is_locked: false,
    created_time: formatMinute(database.createdTime),
    last_edited_time: formatMinute(database.lastEditedTime),
    data_sources: database.dataSourceIds.map((id) => {
      const source = store.get(id) as DataSourceRecord
      return { id, name: plainTextOf(source.title) }
    }),
    icon: structuredClone(database.icon),
    cover: structuredClone(database.cover),
    url: urlOf('', database.id),
    public_url: null,
  }
}

export function renderDataSource(store: Store, source: DataSourceRecord): Json {
  const database = store.get(source.databaseId) as DatabaseRecord
  return {
    object: 'data_source',
    id: source.id,
    title: structuredClone(source.title),
    description: structuredClone(source.description),
    parent: { type: 'database_id', database_id: database.id },
    database_parent: renderParent(store, database),
    is_inline: database.isInline,
    in_trash: source.inTrash,
    archived: source.inTrash,
    ...timestamps(source),
    properties: renderSchema(source.schema),
    icon: structuredClone(source.icon),
    cover: null,
    url: urlOf('', source.id),
    public_url: null,
  }
}

export function renderBotUser(store: Store, integration: Integration): Json {
  return {
    object: 'user',
    id: integration.botId,
    name: integration.name,
    avatar_url: null,
    type: 'bot',
    bot: {
      owner: { type: 'workspace', workspace: true },
      workspace_id: store.workspace.id,
      workspace_name: store.workspace.name,
      workspace_limits: { max_file_upload_size_in_bytes: 5_242_880 },
    },
  }
}

export function renderList(results: Json[], nextCursor: string | null, type: 'block' | 'page_or_data_source'): Json {
  return { object: 'list', results, next_cursor: nextCursor, has_more: nextCursor !== null, type, [type]: {} }
}
