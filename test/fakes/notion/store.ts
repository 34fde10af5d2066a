import { createHash, randomBytes } from 'node:crypto'
import type { BlockDraft, BlockType } from './blocks.ts'
import type { Icon } from './icons.ts'
import { makeId } from './ids.ts'
import { applyPropertyValues, type ValueDraft } from './propertyValues.ts'
import type { PropertySchema } from './schema.ts'
import type { RichTextItem } from './richText.ts'
import type { Json } from './validate.ts'

// The fake workspace: integrations with their tokens and shares, and every database, data source, page
// and block, kept in one map by id. Pages and databases under a page also sit in that page's children,
// as Notion shows them there as child_page / child_database blocks.

export interface Capabilities {
  read: boolean
  insert: boolean
  update: boolean
}

export interface Integration {
  botId: string
  name: string
  token: string
  tokenHash: string
  capabilities: Capabilities
  /** Ids shared with the integration; their descendants are reachable too. */
  shared: Set<string>
}

export interface UserRecord {
  id: string
  name: string
  kind: 'person' | 'bot'
  email?: string
}

export type ParentRef =
  | { kind: 'workspace' }
  | { kind: 'page'; id: string }
  | { kind: 'block'; id: string }
  | { kind: 'data_source'; id: string }
  | { kind: 'database'; id: string }

interface RecordBase {
  id: string
  parent: ParentRef
  inTrash: boolean
  createdTime: number
  lastEditedTime: number
  createdBy: string
  lastEditedBy: string
}

export interface BlockRecord extends RecordBase {
  kind: 'block'
  parent: { kind: 'page' | 'block'; id: string }
  type: BlockType
  content: Json
  children: string[]
}

export interface PageRecord extends RecordBase {
  kind: 'page'
  /** Property values by property id, response-shaped. */
  values: Record<string, unknown>
  icon: Icon | null
  cover: Icon | null
  children: string[]
}

export interface DatabaseRecord extends RecordBase {
  kind: 'database'
  title: RichTextItem[]
  description: RichTextItem[]
  isInline: boolean
  icon: Icon | null
  cover: Icon | null
  dataSourceIds: string[]
}

export interface DataSourceRecord extends RecordBase {
  kind: 'data_source'
  databaseId: string
  title: RichTextItem[]
  description: RichTextItem[]
  schema: PropertySchema[]
  icon: Icon | null
  /** Page ids in creation order. */
  rows: string[]
}

export type NodeRecord = BlockRecord | PageRecord | DatabaseRecord | DataSourceRecord
export type Container = PageRecord | BlockRecord

/** Pages outside a data source have a single title property. */
export const PAGE_TITLE_SCHEMA: PropertySchema[] = [{ id: 'title', name: 'title', type: 'title', description: null, config: {} }]

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12)
}

export interface NewPage {
  parent: ParentRef
  values: ValueDraft[]
  children: BlockDraft[]
  icon?: Icon | null
  cover?: Icon | null
  actor: string
}

export interface NewDatabase {
  parent: ParentRef
  title: RichTextItem[]
  description?: RichTextItem[]
  isInline?: boolean
  icon?: Icon | null
  cover?: Icon | null
  dataSources: { title: RichTextItem[]; schema: PropertySchema[] }[]
  actor: string
}

export class Store {
  readonly nodes = new Map<string, NodeRecord>()
  readonly integrations = new Map<string, Integration>()
  readonly users = new Map<string, UserRecord>()
  readonly owner: UserRecord
  readonly workspace = { id: makeId(), name: 'Fake Workspace' }
  /** Rows one data source query reaches before Notion marks it incomplete (10,000 since 2026-04-20). */
  queryResultLimit = 10_000

  constructor(readonly now: () => number) {
    this.owner = { id: makeId(), name: 'Workspace Owner', kind: 'person', email: 'owner@example.com' }
    this.users.set(this.owner.id, this.owner)
  }

  addIntegration(name: string, capabilities: Capabilities): Integration {
    const token = `ntn_${randomBytes(23).toString('hex')}`
    const integration: Integration = {
      botId: makeId(), name, token, tokenHash: hashToken(token), capabilities, shared: new Set(),
    }
    this.integrations.set(token, integration)
    this.users.set(integration.botId, { id: integration.botId, name, kind: 'bot' })
    return integration
  }

  /** Forgets every object and share; integrations and their tokens stay valid. */
  clearContent() {
    this.nodes.clear()
    for (const integration of this.integrations.values()) integration.shared.clear()
  }

  get(id: string): NodeRecord | undefined {
    return this.nodes.get(id)
  }

  parentIdOf(node: NodeRecord): string | undefined {
    if (node.kind === 'data_source') return node.databaseId
    return node.parent.kind === 'workspace' ? undefined : node.parent.id
  }

  /** The object itself or one of its ancestors is shared with the integration. */
  canAccess(integration: Integration, id: string): boolean {
    let node = this.get(id)
    while (node) {
      if (integration.shared.has(node.id)) return true
      const parentId = this.parentIdOf(node)
      node = parentId ? this.get(parentId) : undefined
    }
    return false
  }

  /** The object or one of its ancestors is in the trash (editing it is refused). */
  isTrashedDeep(id: string): boolean {
    let node = this.get(id)
    while (node) {
      if (node.inTrash) return true
      const parentId = this.parentIdOf(node)
      node = parentId ? this.get(parentId) : undefined
    }
    return false
  }

  hasTrashedAncestor(node: NodeRecord): boolean {
    const parentId = this.parentIdOf(node)
    return parentId !== undefined && this.isTrashedDeep(parentId)
  }

  schemaOf(page: PageRecord): PropertySchema[] {
    if (page.parent.kind !== 'data_source') return PAGE_TITLE_SCHEMA
    const source = this.get(page.parent.id)
    return source?.kind === 'data_source' ? source.schema : PAGE_TITLE_SCHEMA
  }

  /** The page whose content holds this node (the node itself if it is a page). */
  containingPage(node: NodeRecord): PageRecord | undefined {
    let current: NodeRecord | undefined = node
    while (current && current.kind === 'block') current = this.get(current.parent.id)
    return current?.kind === 'page' ? current : undefined
  }

  /** Children that are not in the trash, in order. */
  liveChildren(container: Container): NodeRecord[] {
    const out: NodeRecord[] = []
    for (const id of container.children) {
      const child = this.get(id)
      if (child && !child.inTrash) out.push(child)
    }
    return out
  }

  touch(node: NodeRecord, actor: string) {
    const now = this.now()
    node.lastEditedTime = now
    node.lastEditedBy = actor
    const page = this.containingPage(node)
    if (page && page !== node) {
      page.lastEditedTime = now
      page.lastEditedBy = actor
    }
  }

  private base(parent: ParentRef, actor: string) {
    const now = this.now()
    return { id: makeId(), parent, inTrash: false, createdTime: now, lastEditedTime: now, createdBy: actor, lastEditedBy: actor }
  }

  /** Inserts drafts (and their nested children) into container at index; returns the new first-level blocks. */
  insertBlocks(container: Container, drafts: BlockDraft[], index: number, actor: string): BlockRecord[] {
    const created = drafts.map((draft) => this.createBlock(container, draft, actor))
    container.children.splice(index, 0, ...created.map((b) => b.id))
    if (created.length > 0) this.touch(container, actor)
    return created
  }

  private createBlock(container: Container, draft: BlockDraft, actor: string): BlockRecord {
    const parent: BlockRecord['parent'] = { kind: container.kind, id: container.id }
    const block: BlockRecord = {
      ...this.base(parent, actor),
      parent, kind: 'block', type: draft.type, content: structuredClone(draft.content), children: [],
    }
    this.nodes.set(block.id, block)
    block.children = draft.children.map((child) => this.createBlock(block, child, actor).id)
    return block
  }

  createPage(spec: NewPage): PageRecord {
    const page: PageRecord = {
      ...this.base(spec.parent, spec.actor),
      kind: 'page', values: {}, icon: spec.icon ?? null, cover: spec.cover ?? null, children: [],
    }
    this.nodes.set(page.id, page)
    applyPropertyValues(this.schemaOf(page), page.values, spec.values)
    this.attach(page)
    this.insertBlocks(page, spec.children, 0, spec.actor)
    page.lastEditedTime = page.createdTime
    return page
  }

  createDatabase(spec: NewDatabase): DatabaseRecord {
    const database: DatabaseRecord = {
      ...this.base(spec.parent, spec.actor),
      kind: 'database',
      title: spec.title,
      description: spec.description ?? [],
      isInline: spec.isInline ?? false,
      icon: spec.icon ?? null,
      cover: spec.cover ?? null,
      dataSourceIds: [],
    }
    this.nodes.set(database.id, database)
    for (const source of spec.dataSources) this.createDataSource(database, source.title, source.schema, spec.actor)
    this.attach(database)
    return database
  }

  createDataSource(database: DatabaseRecord, title: RichTextItem[], schema: PropertySchema[], actor: string): DataSourceRecord {
    const source: DataSourceRecord = {
      ...this.base({ kind: 'database', id: database.id }, actor),
      kind: 'data_source', databaseId: database.id, title, description: [], schema, icon: null, rows: [],
    }
    this.nodes.set(source.id, source)
    database.dataSourceIds.push(source.id)
    return source
  }

  /** Links a new page or database into its parent: a row of a data source or a child of a page. */
  private attach(node: PageRecord | DatabaseRecord) {
    if (node.parent.kind === 'workspace') return
    const parent = this.get(node.parent.id)
    if (parent?.kind === 'data_source') parent.rows.push(node.id)
    else if (parent?.kind === 'page' || parent?.kind === 'block') {
      parent.children.push(node.id)
      this.touch(parent, node.createdBy)
    }
  }
}
