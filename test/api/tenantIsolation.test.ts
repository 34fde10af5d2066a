// Generated from the schema: every query and mutation field that takes an id (directly or inside its
// input), and every field of the Viewer that does, called by user B with each of user A's ids, finds
// nothing, leaks nothing, changes nothing.
// Every field taking a reMarkable uuid, called by B with A's uuids, leaves A's rows as they were.
// The viewer's own fields are swept too: those taking an id, and those taking a text to look for
// (search), called by B with A's ids and A's words, return nothing of A's.
// New fields are covered without touching this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType, isInterfaceType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLInputField, type GraphQLObjectType, type GraphQLOutputType,
} from 'graphql'
import { schema } from '../../server/schema/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { hashToken, makeToken } from '../../server/auth/tokens.ts'
import { makeGraphqlBody, UPLOAD_MARKER } from '../helpers/graphqlBody.ts'

const UUID_NAMES = /^(uuid|notebookUuid|pageUuid|parentUuid)$/
// A file with a valid v6 header, so an upload probe gets past the file checks to the ownership ones.
const V6_PAGE = Buffer.from('reMarkable .lines file, version=6          ')
const makeBody = (query: string, variables: Record<string, unknown>) => makeGraphqlBody(query, variables, V6_PAGE)

let app: TestApp
let tokenB: string
const aIds: string[] = []
const aUuids: string[] = []
const aMarkers: string[] = []
let userA: number

async function snapshotOf(userId: number): Promise<string> {
  const parts: unknown[] = []
  for (const table of ['users', 'notebooks', 'pages', 'todos', 'highlights', 'sync_records', 'integration_configs', 'api_tokens', 'sessions', 'notebook_tombstones', 'quota_usage', 'search_words']) {
    const col = table === 'users' ? 'id' : 'user_id'
    // Rows hung under A's notebooks count as A's whoever they name as owner.
    const underNotebooks = ['pages', 'todos', 'highlights'].includes(table) ? ` or notebook_id in (select id from notebooks where user_id = $1)` : ''
    const { rows } = await app.database.query(`select * from ${table} where ${col} = $1${underNotebooks} order by 1`, [userId])
    parts.push(table, rows.map((r) => ({ ...r, last_used_at: undefined })))
  }
  const order = await app.database.query('select np.* from notebook_pages np join notebooks n on n.id = np.notebook_id where n.user_id = $1 order by 1', [userId])
  parts.push(order.rows)
  return JSON.stringify(parts)
}

beforeAll(async () => {
  app = await startTestApp()
  const db = app.database.db
  const a = await db.user.create({ data: { email: 'alice-secret@example.com', passwordHash: 'x' } })
  const b = await db.user.create({ data: { email: 'bob@example.com', passwordHash: 'x' } })
  userA = a.id
  await createSession(db, a.id)
  tokenB = await createSession(db, b.id)
  const nb = await db.notebook.create({ data: { userId: a.id, uuid: 'a-notebook-uuid', visibleName: 'Alice Private Diary', type: 'NOTEBOOK', tags: ['alice-tag'] } })
  const folder = await db.notebook.create({ data: { userId: a.id, uuid: 'a-folder-uuid', visibleName: 'Alice Folder', type: 'FOLDER' } })
  const page = await db.page.create({ data: { userId: a.id, notebookId: nb.id, notebookUuid: nb.uuid, uuid: 'a-page-uuid', ocrText: 'alice page text', ocrStatus: 'completed' } })
  await db.notebookPage.create({ data: { notebookId: nb.id, pageId: page.id, pageNumber: 1 } })
  const todo = await db.todo.create({ data: { userId: a.id, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, text: 'alice todo text', contentHash: 'c', fuzzySignature: 'alice_text_todo', confusionKey: 'k' } })
  const hl = await db.highlight.create({ data: { userId: a.id, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, originalText: 'alice highlight text', originalTextHash: 'h', sourceFile: `${nb.uuid}/${page.uuid}`, color: 'yellow', contentHash: 'hc' } })
  const sr = await db.syncRecord.create({ data: { userId: a.id, itemType: 'page_text', itemId: String(page.id), contentHash: 'x', targetName: 'notion', status: 'failed', errorMessage: 'alice error', notebookUuid: nb.uuid } })
  const tokenA = makeToken('api_token')
  const tok = await db.apiToken.create({ data: { userId: a.id, name: 'alice token name', scopes: ['agent', 'read', 'write'], tokenHash: hashToken(tokenA), prefix: tokenA.slice(0, 8) } })
  await db.notebookTombstone.create({ data: { userId: a.id, notebookUuid: 'a-deleted-uuid', visibleName: 'Alice Deleted' } })
  aIds.push(
    encodeGlobalID('Notebook', nb.id), encodeGlobalID('Notebook', folder.id), encodeGlobalID('Page', page.id), encodeGlobalID('Todo', todo.id),
    encodeGlobalID('Highlight', hl.id), encodeGlobalID('SyncRecord', sr.id), encodeGlobalID('ApiToken', tok.id), encodeGlobalID('Viewer', a.id),
  )
  aUuids.push(nb.uuid, folder.uuid, page.uuid, 'a-deleted-uuid')
  aMarkers.push('alice', 'Alice', tokenA.slice(0, 8))
})
afterAll(async () => {
  await app?.close()
})

type Slot = { path: string; kind: 'id' | 'uuid' }

/** Every place in a field's arguments where an id or a uuid goes. */
function findSlots(args: readonly GraphQLArgument[]): Slot[] {
  const slots: Slot[] = []
  const visit = (name: string, type: GraphQLInputType, path: string, depth: number) => {
    const named = getNamedType(type)
    if (isScalarType(named) && named.name === 'ID') slots.push({ path, kind: 'id' })
    else if (isScalarType(named) && named.name === 'String' && UUID_NAMES.test(name)) slots.push({ path, kind: 'uuid' })
    else if (isInputObjectType(named) && depth < 4) for (const f of Object.values(named.getFields())) visit(f.name, f.type, `${path}.${f.name}`, depth + 1)
  }
  for (const a of args) visit(a.name, a.type, a.name, 0)
  return slots
}

/** A value for an input type: required parts filled, the slot at `target` set to `value`. */
function makeValue(type: GraphQLInputType, path: string, target: string, value: string, field?: GraphQLInputField | GraphQLArgument): unknown {
  const nullable = getNullableType(type) as GraphQLInputType
  if (path === target) return isListType(nullable) ? [value] : value
  if (isListType(nullable)) {
    const inner = makeValue(nullable.ofType, path, target, value)
    return target.startsWith(path) ? [inner] : []
  }
  if (isInputObjectType(nullable)) {
    const out: Record<string, unknown> = {}
    for (const f of Object.values(nullable.getFields())) {
      const p = `${path}.${f.name}`
      if (isNonNullType(f.type) || target === p || target.startsWith(`${p}.`)) out[f.name] = makeValue(f.type, p, target, value, f)
    }
    return out
  }
  if (isEnumType(nullable)) return nullable.getValues()[0].value
  const name = getNamedType(nullable).name
  if (name === 'Int' || name === 'Float') return 1
  if (name === 'Boolean') return false
  if (name === 'DateTime') return new Date(0).toISOString()
  if (name === 'ID') return 'VGhpbmc6MQ=='
  if (name === 'Upload') return UPLOAD_MARKER
  return field && UUID_NAMES.test(field.name) ? 'b-own-uuid' : 'x'
}

/** Every scalar field of every object the field can return, so a leak would show in the response. */
function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type)
  if (isScalarType(named) || isEnumType(named)) return ''
  const possible = isObjectType(named) ? [named] : isUnionType(named) || isInterfaceType(named) ? schema.getPossibleTypes(named) : []
  // Same-named fields of different types would conflict; alias only those.
  const typesByName = new Map<string, Set<string>>()
  for (const obj of possible) for (const f of Object.values(obj.getFields())) typesByName.set(f.name, (typesByName.get(f.name) ?? new Set()).add(f.type.toString()))
  const spreads = possible.map((obj) => {
    const scalars = Object.values(obj.getFields()).filter((f) => {
      const t = getNamedType(f.type)
      return (isScalarType(t) || isEnumType(t)) && f.args.every((a) => !isNonNullType(a.type))
    })
    const select = (name: string) => (typesByName.get(name)!.size > 1 ? `${obj.name}_${name}: ${name}` : name)
    // A connection: its nodes too, where a leak would be.
    const edges = obj.getFields().edges
    const nodes = edges ? ` edges { node ${selectionFor((getNamedType(edges.type) as GraphQLObjectType).getFields().node.type)} }` : ''
    return `... on ${obj.name} { ${scalars.map((f) => select(f.name)).join(' ')}${nodes} }`
  })
  return `{ __typename ${spreads.join(' ')} }`
}

type ProbeKind = 'query' | 'mutation' | 'viewer'

function operationFor(kind: ProbeKind, field: GraphQLField<unknown, unknown>): string {
  const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')
  const call = field.args.length ? `(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''
  const selection = `${field.name}${call} ${selectionFor(field.type)}`
  return `${kind === 'mutation' ? 'mutation' : 'query'} Probe${defs ? `(${defs})` : ''} { ${kind === 'viewer' ? `viewer { ${selection} }` : selection} }`
}

// Root fields, and the fields of the caller's own Viewer (its lists take ids too).
const roots = (['query', 'mutation', 'viewer'] as const).flatMap((kind) => {
  const type = kind === 'query' ? schema.getQueryType()! : kind === 'mutation' ? schema.getMutationType()! : (schema.getType('Viewer') as GraphQLObjectType)
  return Object.values(type.getFields()).map((field) => ({ kind, field, slots: findSlots(field.args) }))
})
const probes = roots.filter((r) => r.slots.length > 0)
const probeName = (p: { kind: ProbeKind; field: GraphQLField<unknown, unknown> }) => (p.kind === 'viewer' ? `viewer.${p.field.name}` : p.field.name)

describe('tenant isolation (generated from the schema)', () => {
  it('finds the fields to probe', () => {
    const names = probes.map(probeName)
    console.log(`probing ${names.length} fields: ${names.join(', ')}`)
    expect(names).toEqual(expect.arrayContaining(['node', 'nodes', 'revokeApiToken', 'viewer.syncRecords']))
  })

  for (const { kind, field, slots } of probes) {
    it(`${kind === 'viewer' ? 'query' : kind} ${probeName({ kind, field })}: user B with user A's ${[...new Set(slots.map((s) => s.kind))].join(' and ')}s sees and changes nothing of A's`, async () => {
      const before = await snapshotOf(userA)
      const document = operationFor(kind, field)
      for (const slot of slots) {
        for (const value of slot.kind === 'id' ? aIds : aUuids) {
          const variables: Record<string, unknown> = {}
          for (const arg of field.args) {
            const target = slot.path.split('.')[0] === arg.name ? slot.path : '\u0000'
            if (isNonNullType(arg.type) || target !== '\u0000') variables[arg.name] = makeValue(arg.type, arg.name, target, value, arg)
          }
          const { body, headers } = makeBody(document, variables)
          const res = await app.fetch('/graphql', { method: 'POST', headers: { ...headers, authorization: `Bearer ${tokenB}` }, body })
          const text = await res.text()
          for (const marker of aMarkers) expect(text, `${field.name}(${slot.path}=${value}) leaked "${marker}"`).not.toContain(marker)
          const json = JSON.parse(text)
          // The probe must have run and answered: a refused probe proves nothing.
          expect(json.errors ?? [], text).toEqual([])
          const data = kind === 'viewer' ? json.data?.viewer : json.data
          expect(data, text).toHaveProperty(field.name)
          const result = data?.[field.name]
          const found = Array.isArray(result) ? result.filter(Boolean) : result?.edges ? result.edges.map((e: { node: unknown }) => e.node) : result ? [result] : []
          for (const r of found) {
            if (r.__typename?.endsWith('Error')) continue
            // A result object is only acceptable if it is B's own (the field acted in B's space).
            if (r.id) expect(aIds, `${field.name}(${slot.path}=${value}) returned A's ${r.__typename}`).not.toContain(r.id)
          }
        }
      }
      expect(await snapshotOf(userA), `${field.name} changed A's data`).toBe(before)
    })
  }
})

// The viewer's fields: B's viewer, given A's ids or A's words, must show nothing of A's, however
// deep the answer goes (a search answers hits → items → notebooks).
const TEXT_ARGS = /^(query|search)$/
const A_WORDS = ['alice', 'Alice Private Diary', 'alice page text', '"alice todo"', 'alic*', 'alise', 'highlight text']

/** Every field below `type`, `depth` levels down (fields with required arguments left out). */
function deepSelectionFor(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type)
  if (isScalarType(named) || isEnumType(named)) return ''
  const possible = isObjectType(named) ? [named] : isUnionType(named) || isInterfaceType(named) ? schema.getPossibleTypes(named) : []
  const typesByName = new Map<string, Set<string>>()
  for (const obj of possible) for (const f of Object.values(obj.getFields())) typesByName.set(f.name, (typesByName.get(f.name) ?? new Set()).add(f.type.toString()))
  const spreads = possible.map((obj: GraphQLObjectType) => {
    const fields = Object.values(obj.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)))
    const parts = fields.flatMap((f) => {
      const leaf = isScalarType(getNamedType(f.type)) || isEnumType(getNamedType(f.type))
      if (!leaf && depth <= 0) return []
      const name = typesByName.get(f.name)!.size > 1 ? `${obj.name}_${f.name}: ${f.name}` : f.name
      return [leaf ? name : `${name} ${deepSelectionFor(f.type, depth - 1)}`]
    })
    return `... on ${obj.name} { ${parts.join(' ')} }`
  })
  return `{ __typename ${spreads.join(' ')} }`
}

const viewerType = schema.getType('Viewer') as GraphQLObjectType
const viewerProbes = Object.values(viewerType.getFields())
  .map((field) => ({ field, slots: findSlots(field.args), texts: field.args.filter((a) => TEXT_ARGS.test(a.name) && getNamedType(a.type).name === 'String') }))
  .filter((p) => p.slots.length > 0 || p.texts.length > 0)

describe('tenant isolation of the viewer’s fields (generated from the schema)', () => {
  it('finds the fields to probe', () => {
    const names = viewerProbes.map((p) => p.field.name)
    console.log(`probing viewer fields: ${names.join(', ')}`)
    expect(names).toEqual(expect.arrayContaining(['search', 'notebooks']))
  })

  for (const { field, slots, texts } of viewerProbes) {
    it(`viewer.${field.name}: user B with user A's ids and words sees nothing of A's`, async () => {
      const before = await snapshotOf(userA)
      const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')
      const call = field.args.length ? `(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''
      const document = `query Probe${defs ? `(${defs})` : ''} { viewer { ${field.name}${call} ${deepSelectionFor(field.type, 4)} } }`
      const cases: { path: string; value: string }[] = [
        ...slots.flatMap((slot) => (slot.kind === 'id' ? aIds : aUuids).map((value) => ({ path: slot.path, value }))),
        ...texts.flatMap((arg) => A_WORDS.map((value) => ({ path: arg.name, value }))),
      ]
      for (const { path, value } of cases) {
        const variables: Record<string, unknown> = {}
        for (const arg of field.args) {
          const target = path.split('.')[0] === arg.name ? path : '\u0000'
          if (isNonNullType(arg.type) || target !== '\u0000') variables[arg.name] = makeValue(arg.type, arg.name, target, value, arg)
        }
        const res = await app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenB}` }, body: JSON.stringify({ query: document, variables }) })
        const text = await res.text()
        const json = JSON.parse(text)
        expect(json.errors ?? [], text).toEqual([])
        expect(json.data?.viewer, text).toHaveProperty(field.name)
        for (const marker of aMarkers) expect(text, `viewer.${field.name}(${path}=${value}) leaked "${marker}"`).not.toContain(marker)
        for (const id of aIds) expect(text, `viewer.${field.name}(${path}=${value}) returned A's ${id}`).not.toContain(id)
      }
      expect(await snapshotOf(userA), `viewer.${field.name} changed A's data`).toBe(before)
    })
  }
})
