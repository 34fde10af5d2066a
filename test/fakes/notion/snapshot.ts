import { renderParent, formatMinute, titleOfNode } from './shapes.ts'
import { renderPropertyValues } from './propertyValues.ts'
import { renderSchema } from './schema.ts'
import { plainTextOf } from './richText.ts'
import type { Capabilities, Container, NodeRecord, Store } from './store.ts'
import type { Json } from './validate.ts'

// Read-back for tests: the whole workspace as plain data, and one page's live block tree.

export interface BlockSnapshot {
  id: string
  /** Block type, or child_page / child_database for pages and databases inside a page. */
  type: string
  /** Plain text of the block's rich_text (the title for child pages and databases). */
  text: string
  /** The response-shaped type object, e.g. { rich_text, checked, color } for a to_do. */
  content: Json
  in_trash: boolean
  children: BlockSnapshot[]
}

export interface PageSnapshot {
  id: string
  parent: Json
  title: string
  properties: Json
  in_trash: boolean
  created_time: string
  last_edited_time: string
  /** Every block, trashed ones included (marked in_trash), nested and in order. */
  blocks: BlockSnapshot[]
}

export interface DatabaseSnapshot {
  id: string
  parent: Json
  title: string
  in_trash: boolean
  dataSourceIds: string[]
}

export interface DataSourceSnapshot {
  id: string
  databaseId: string
  title: string
  properties: Json
  in_trash: boolean
  /** Page ids in creation order. */
  rows: string[]
}

export interface IntegrationSnapshot {
  name: string
  botId: string
  capabilities: Capabilities
  shared: string[]
}

export interface WorkspaceState {
  databases: DatabaseSnapshot[]
  dataSources: DataSourceSnapshot[]
  pages: PageSnapshot[]
  integrations: IntegrationSnapshot[]
}

export function snapshotWorkspace(store: Store): WorkspaceState {
  const state: WorkspaceState = { databases: [], dataSources: [], pages: [], integrations: [] }
  for (const node of store.nodes.values()) {
    if (node.kind === 'page') {
      state.pages.push({
        id: node.id,
        parent: renderParent(store, node),
        title: titleOfNode(store, node),
        properties: renderPropertyValues(store.schemaOf(node), node.values),
        in_trash: node.inTrash,
        created_time: formatMinute(node.createdTime),
        last_edited_time: formatMinute(node.lastEditedTime),
        blocks: snapshotChildren(store, node, true),
      })
    } else if (node.kind === 'database') {
      state.databases.push({
        id: node.id, parent: renderParent(store, node), title: plainTextOf(node.title), in_trash: node.inTrash,
        dataSourceIds: [...node.dataSourceIds],
      })
    } else if (node.kind === 'data_source') {
      state.dataSources.push({
        id: node.id, databaseId: node.databaseId, title: plainTextOf(node.title), properties: renderSchema(node.schema),
        in_trash: node.inTrash, rows: [...node.rows],
      })
    }
  }
  for (const integration of store.integrations.values()) {
    state.integrations.push({
      name: integration.name, botId: integration.botId, capabilities: { ...integration.capabilities }, shared: [...integration.shared],
    })
  }
  return state
}

/** A page's blocks as a nested array in order, trashed blocks left out. */
export function snapshotPageTree(store: Store, pageId: string): BlockSnapshot[] {
  const page = store.get(pageId)
  if (!page || page.kind !== 'page') throw new Error(`notion fake: no page with id ${pageId}`)
  return snapshotChildren(store, page, false)
}

function snapshotChildren(store: Store, container: Container, includeTrashed: boolean): BlockSnapshot[] {
  const out: BlockSnapshot[] = []
  for (const id of container.children) {
    const child = store.get(id)
    if (!child || (!includeTrashed && child.inTrash)) continue
    out.push(snapshotBlock(store, child, includeTrashed))
  }
  return out
}

function snapshotBlock(store: Store, node: NodeRecord, includeTrashed: boolean): BlockSnapshot {
  if (node.kind === 'block') {
    return {
      id: node.id,
      type: node.type,
      text: plainTextOf(node.content.rich_text),
      content: structuredClone(node.content),
      in_trash: node.inTrash,
      children: snapshotChildren(store, node, includeTrashed),
    }
  }
  const type = node.kind === 'page' ? 'child_page' : 'child_database'
  const title = titleOfNode(store, node)
  // A child page's own blocks are in its own PageSnapshot; the tree stops at its title.
  return { id: node.id, type, text: title, content: { title }, in_trash: node.inTrash, children: [] }
}
