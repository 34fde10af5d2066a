// Generated from the schema, beside the tenant-isolation sweep: every field that states a scope
// (authScopes on the field, or on its type unless the field skips it) — root queries, mutations,
// subscriptions, the Viewer's fields and every field of the node types — called with each token
// that lacks the scope is refused (NOT_ALLOWED / NotAllowedError) and changes nothing; called with
// a token that has it, it is not refused. Root fields without a scope must be on the public list.
// New fields are covered without touching this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLOutputType,
} from 'graphql'
import { schema } from '../../server/schema/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { hashToken, makeToken } from '../../server/auth/tokens.ts'
import { makeGraphqlBody, UPLOAD_MARKER } from '../helpers/graphqlBody.ts'

/** Root fields anyone may call (they check their own input): everything else must state a scope. */
const PUBLIC_ROOT_FIELDS = ['Query.viewer', 'Query.node', 'Query.nodes', 'Mutation.signUp', 'Mutation.logIn']
/** Stands for the caller's own notebook id (known once the data is made). */
const OWN_NOTEBOOK_ID = '\u0001own-notebook'
const V6_PAGE = Buffer.from('reMarkable .lines file, version=6          ')

type ScopeMap = Record<string, unknown>
type Caller = { name: string; token: string; has: Set<string> }

let app: TestApp
let userId: number
const callers: Caller[] = []
const ownIds: Record<string, string> = {}

beforeAll(async () => {
  app = await startTestApp()
  const db = app.database.db
  const u = await db.user.create({ data: { email: 'scopes@example.com', passwordHash: 'x' } })
  userId = u.id
  const nb = await db.notebook.create({ data: { userId: u.id, uuid: 's-nb', visibleName: 'Scoped', type: 'NOTEBOOK' } })
  const page = await db.page.create({ data: { userId: u.id, notebookId: nb.id, notebookUuid: nb.uuid, uuid: 's-pg', ocrText: 'text', ocrStatus: 'completed', fileSha256: 'a'.repeat(64) } })
  await db.notebookPage.create({ data: { notebookId: nb.id, pageId: page.id, pageNumber: 1 } })
  const todo = await db.todo.create({ data: { userId: u.id, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, text: 'todo', contentHash: 'c', fuzzySignature: 's', confusionKey: 'k' } })
  const hl = await db.highlight.create({ data: { userId: u.id, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, originalText: 'hl', originalTextHash: 'h', sourceFile: 'f', color: 'yellow', contentHash: 'hc' } })
  const sr = await db.syncRecord.create({ data: { userId: u.id, itemType: 'page_text', itemId: String(page.id), contentHash: 'x', targetName: 'notion', status: 'failed', notebookUuid: nb.uuid } })
  Object.assign(ownIds, { Notebook: encodeGlobalID('Notebook', nb.id), Page: encodeGlobalID('Page', page.id), Todo: encodeGlobalID('Todo', todo.id), Highlight: encodeGlobalID('Highlight', hl.id), SyncRecord: encodeGlobalID('SyncRecord', sr.id), Viewer: encodeGlobalID('Viewer', u.id) })
  callers.push({ name: 'session', token: await createSession(db, u.id), has: new Set(['signedIn', 'session', 'agent', 'read', 'write']) })
  const subsets = [['agent'], ['read'], ['write'], ['agent', 'read'], ['agent', 'write'], ['read', 'write'], ['agent', 'read', 'write']]
  for (const scopes of subsets) {
    const token = makeToken('api_token')
    const row = await db.apiToken.create({ data: { userId: u.id, name: scopes.join('+'), scopes, tokenHash: hashToken(token), prefix: token.slice(0, 8) } })
    ownIds.ApiToken ??= encodeGlobalID('ApiToken', row.id)
    callers.push({ name: `api token [${scopes.join(', ')}]`, token, has: new Set(['signedIn', ...scopes]) })
  }
})
afterAll(async () => {
  await app?.close()
})

function passes(map: ScopeMap, has: Set<string>, strategy: 'any' | 'all' = 'any'): boolean {
  const results = Object.entries(map).map(([k, v]) => (k === '$all' ? passes(v as ScopeMap, has, 'all') : k === '$any' ? passes(v as ScopeMap, has, 'any') : v === true && has.has(k)))
  return strategy === 'all' ? results.every(Boolean) : results.some(Boolean)
}

const optionsOf = (x: { extensions?: unknown }) => ((x.extensions as any)?.pothosOptions ?? {}) as { authScopes?: ScopeMap; skipTypeScopes?: boolean }

/** The scopes a field needs: its own, else its type's unless it skips them. */
function scopesOf(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): ScopeMap | undefined {
  const own = optionsOf(field)
  if (own.authScopes && typeof own.authScopes === 'object') return own.authScopes
  if (own.skipTypeScopes) return undefined
  const typeScopes = optionsOf(type).authScopes
  return typeScopes && typeof typeScopes === 'object' ? typeScopes : undefined
}

function valueFor(type: GraphQLInputType): unknown {
  const t = getNullableType(type) as GraphQLInputType
  if (isListType(t)) return [valueFor(t.ofType)]
  if (isInputObjectType(t)) return Object.fromEntries(Object.values(t.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, valueFor(f.type)]))
  if (isEnumType(t)) return t.getValues()[0].name
  const name = getNamedType(t).name
  if (name === 'Int' || name === 'Float') return 1
  if (name === 'Boolean') return false
  if (name === 'DateTime') return new Date(0).toISOString()
  if (name === 'ID') return OWN_NOTEBOOK_ID
  if (name === 'Upload') return UPLOAD_MARKER
  return 'x'
}

function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type)
  if (isScalarType(named) || isEnumType(named)) return ''
  const withError = (isUnionType(named) || isInterfaceType(named)) && schema.getPossibleTypes(named).some((t) => t.getInterfaces().some((i) => i.name === 'Error'))
  return `{ __typename${withError ? ' ... on Error { code }' : ''} }`
}

function call(field: GraphQLField<unknown, unknown>, args: readonly GraphQLArgument[] = field.args) {
  const required = args.filter((a) => isNonNullType(a.type))
  const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')
  const callArgs = required.length ? `(${required.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''
  return { defs: defs ? `(${defs})` : '', text: `${field.name}${callArgs} ${selectionFor(field.type)}`, variables: Object.fromEntries(required.map((a) => [a.name, valueFor(a.type)])) }
}

type Probe = { name: string; scopes: ScopeMap; kind: 'query' | 'mutation' | 'subscription'; document: string; variables: Record<string, unknown> }
const probes: Probe[] = []
const unscopedRoots: string[] = []

for (const [kind, type] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!], ['subscription', schema.getSubscriptionType()!]] as const) {
  for (const field of Object.values(type.getFields())) {
    const scopes = scopesOf(type, field)
    if (!scopes) {
      if (!PUBLIC_ROOT_FIELDS.includes(`${type.name}.${field.name}`)) unscopedRoots.push(`${type.name}.${field.name}`)
      continue
    }
    const c = call(field)
    probes.push({ name: `${type.name}.${field.name}`, scopes, kind, document: `${kind} Probe${c.defs} { ${c.text} }`, variables: c.variables })
  }
}
// The Viewer's fields, and every field of the node types, reached through node(id) with the caller's own ids.
const nodeTypes = ['Viewer', 'Notebook', 'Page', 'Todo', 'Highlight', 'SyncRecord', 'ApiToken']
for (const typeName of nodeTypes) {
  const type = schema.getType(typeName) as GraphQLObjectType
  for (const field of Object.values(type.getFields())) {
    const scopes = scopesOf(type, field)
    if (!scopes) continue
    const c = call(field)
    const inner = `... on ${typeName} { ${c.text} }`
    // API tokens are found as nodes by sessions only: reached through the viewer's list.
    const document = typeName === 'Viewer' ? `query Probe${c.defs} { viewer { ${c.text} } }` : typeName === 'ApiToken' ? `query Probe${c.defs} { viewer { apiTokens { ${c.text} } } }` : `query Probe($probeId: ID!${c.defs ? `, ${c.defs.slice(1, -1)}` : ''}) { node(id: $probeId) { ${inner} } }`
    probes.push({ name: `${typeName}.${field.name}`, scopes, kind: 'query', document, variables: { ...c.variables, ...(typeName === 'Viewer' || typeName === 'ApiToken' ? {} : { probeId: typeName }) } })
  }
}

async function send(probe: Probe, token: string): Promise<string> {
  const fill = (v: unknown): unknown => (v === OWN_NOTEBOOK_ID ? ownIds.Notebook : Array.isArray(v) ? v.map(fill) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v)
  const variables = Object.fromEntries(Object.entries(probe.variables).map(([k, v]) => [k, k === 'probeId' ? ownIds[v as string] : fill(v)]))
  const { body, headers } = makeGraphqlBody(probe.document, variables, V6_PAGE)
  const accept: Record<string, string> = probe.kind === 'subscription' ? { accept: 'text/event-stream' } : {}
  const res = await app.fetch('/graphql', { method: 'POST', headers: { ...headers, ...accept, authorization: `Bearer ${token}` }, body })
  if (probe.kind !== 'subscription') return res.text()
  // A refused subscription answers its error and ends; an accepted one stays open: read until either shows.
  const reader = res.body!.getReader()
  let text = ''
  while (!/NOT_ALLOWED|"data"|event: complete/.test(text)) {
    const { value, done } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  await reader.cancel()
  return text
}

async function snapshot(): Promise<string> {
  const parts: unknown[] = []
  for (const table of ['notebooks', 'pages', 'todos', 'highlights', 'sync_records', 'integration_configs', 'api_tokens', 'sessions', 'notebook_tombstones'])
    parts.push((await app.database.query(`select * from ${table} where user_id = $1 order by 1`, [userId])).rows.map((r) => ({ ...r, last_used_at: undefined })))
  return JSON.stringify(parts)
}

describe('scopes (generated from the schema)', () => {
  it('every root field states its scope, or is public', () => {
    expect(unscopedRoots).toEqual([])
    const names = probes.map((p) => p.name)
    console.log(`probing ${names.length} fields against ${8} tokens`)
    expect(names).toEqual(expect.arrayContaining(['Mutation.connectIntegration', 'Viewer.notebooks', 'Viewer.apiTokens', 'Page.text', 'Page.thumbnailUrl', 'Todo.text', 'Highlight.text', 'Subscription.pageUpdated']))
  })

  for (const probe of probes) {
    it(`${probe.name} (${JSON.stringify(probe.scopes)}): refused to each token without it${probe.kind === 'query' ? ', answered to each with it' : ''}`, async () => {
      const before = await snapshot()
      for (const caller of callers) {
        const allowed = passes(probe.scopes, caller.has)
        // Mutations and subscriptions are only sent where they must be refused: run, they would act or stay open.
        if (allowed && probe.kind !== 'query') continue
        const text = await send(probe, caller.token)
        if (allowed) expect(text, `${probe.name} refused ${caller.name}`).not.toMatch(/NOT_ALLOWED|NotAllowedError/)
        else expect(text, `${probe.name} not refused to ${caller.name}`).toMatch(/NOT_ALLOWED|NotAllowedError/)
      }
      if (probe.kind === 'mutation') expect(await snapshot(), `${probe.name} changed data while refused`).toBe(before)
    })
  }
})
