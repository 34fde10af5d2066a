// Generated from the schema: every mutation, called so that it succeeds, answers its payload with
// every field selectable — each field of the payload type, to depth 3 (deeper objects answer their
// __typename, so their resolvers run too), through unions and connections. A new mutation fails
// "covers every mutation" until it gets a successful call below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  getNamedType, isEnumType, isInterfaceType, isNonNullType, isObjectType, isScalarType, isUnionType,
  type GraphQLField, type GraphQLObjectType, type GraphQLOutputType,
} from 'graphql'
import { schema } from '../../server/schema/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { makeGraphqlBody, UPLOAD_MARKER } from '../helpers/graphqlBody.ts'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { makeNotionDatabaseSchema } from '../../server/notion/databaseProperties.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { makeRmFile, makeRootTextBlock } from '../rm/rmWriter.ts'

const DEPTH = 3
const TYPED_PAGE = makeRmFile([makeRootTextBlock([{ id: [1, 10], left: [0, 0], right: [0, 0], text: 'Hello\n- [ ] a todo' }], [])])

/** Every field without required arguments of every type `type` can be, to `depth`; below it, __typename. */
function selectionFor(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type)
  if (isScalarType(named) || isEnumType(named)) return ''
  if (depth === 0) return '{ __typename }'
  const possible: readonly GraphQLObjectType[] = isObjectType(named) ? [named] : isUnionType(named) || isInterfaceType(named) ? schema.getPossibleTypes(named) : []
  // Same-named fields of different types in two members would conflict; alias only those.
  const typesByName = new Map<string, Set<string>>()
  for (const obj of possible) for (const f of Object.values(obj.getFields())) typesByName.set(f.name, (typesByName.get(f.name) ?? new Set()).add(f.type.toString()))
  const spreads = possible.map((obj) => {
    const fields = Object.values(obj.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined))
    const select = (f: GraphQLField<unknown, unknown>) => `${typesByName.get(f.name)!.size > 1 ? `${obj.name}_${f.name}: ` : ''}${f.name} ${selectionFor(f.type, depth - 1)}`
    return `... on ${obj.name} { ${fields.map(select).join(' ')} }`
  })
  return `{ __typename ${spreads.join(' ')} }`
}

const mutations = Object.values(schema.getMutationType()!.getFields())

/** The member of a mutation's result union that is its success (the one that is not an Error). */
function successTypeOf(field: GraphQLField<unknown, unknown>): GraphQLObjectType {
  const named = getNamedType(field.type)
  const members = isUnionType(named) ? named.getTypes() : [named as GraphQLObjectType]
  const ok = members.filter((m) => !m.getInterfaces().some((i) => i.name === 'Error'))
  expect(ok, field.name).toHaveLength(1)
  return ok[0]
}

function operationFor(field: GraphQLField<unknown, unknown>): string {
  const success = successTypeOf(field)
  const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')
  const call = field.args.length ? `(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''
  return `mutation Probe${defs ? `(${defs})` : ''} { ${field.name}${call} { __typename ... on Error { code message } ... on ${success.name} ${selectionFor(success, DEPTH)} } }`
}

let app: TestApp
let notion: NotionFake
let seq = 0

async function post(query: string, variables: Record<string, unknown>, token?: string): Promise<{ data?: any; errors?: any[] }> {
  const { body, headers } = makeGraphqlBody(query, variables, TYPED_PAGE)
  const res = await app.fetch('/graphql', { method: 'POST', headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body })
  return res.json()
}

/** A new user signed up through the API; its session token. */
async function signUp(): Promise<{ email: string; password: string; token: string; userId: number }> {
  const email = `payload-${++seq}@example.com`
  const password = 'correct horse battery'
  const r = await post('mutation($input: SignUpInput!) { signUp(input: $input) { ... on AuthPayload { token } } }', { input: { email, password } })
  const user = await app.database.db.user.findUniqueOrThrow({ where: { email } })
  return { email, password, token: r.data.signUp.token, userId: user.id }
}

// Checks that store nothing share one user: sign-ups from one address are rate-limited.
let checksUser: ReturnType<typeof signUp> | undefined
const signUpOnceForChecks = () => (checksUser ??= signUp())

/** A user with a notebook whose page has text, a todo, a highlight and failed sync records. */
async function makeLibrary() {
  const user = await signUp()
  const db = app.database.db
  const nb = await db.notebook.create({ data: { userId: user.userId, uuid: `nb-${seq}`, visibleName: 'Library', type: 'NOTEBOOK' } })
  const page = await db.page.create({ data: { userId: user.userId, notebookId: nb.id, notebookUuid: nb.uuid, uuid: `page-${seq}`, ocrText: '- [ ] a todo', ocrStatus: 'failed', ocrError: 'provider refused', fileSha256: 'f'.repeat(64), fileSize: 10 } })
  await db.notebookPage.create({ data: { notebookId: nb.id, pageId: page.id, pageNumber: 1 } })
  const todo = await db.todo.create({ data: { userId: user.userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, text: 'a todo', contentHash: `t${seq}`, fuzzySignature: 'a_todo', confusionKey: 'a_todo' } })
  const highlight = await db.highlight.create({ data: { userId: user.userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, originalText: 'passage', originalTextHash: `h${seq}`, sourceFile: `${nb.uuid}/${page.uuid}`, color: 'yellow', contentHash: `hc${seq}` } })
  const record = await db.syncRecord.create({ data: { userId: user.userId, itemType: 'todo', itemId: String(todo.id), contentHash: `sr${seq}`, targetName: 'notion', status: 'failed', errorMessage: 'refused', notebookUuid: nb.uuid } })
  return { ...user, notebook: nb, page, highlight, record }
}

/** A Notion integration token with a database of every property, shared with it. */
function makeNotionWorkspace() {
  const { token } = notion.addIntegration({ name: 'rmirror' })
  const root = notion.createPage({ title: 'Home', shareWith: token })
  const database = notion.createDatabase({ parentId: root.id, title: 'reMarkable', properties: makeNotionDatabaseSchema() as any, shareWith: token })
  return { token, rootPageId: root.id, database }
}

/** A user of makeLibrary with Notion connected through the API. */
async function makeConnectedUser() {
  const user = await makeLibrary()
  const ws = makeNotionWorkspace()
  const r = await post('mutation($input: ConnectIntegrationInput!) { connectIntegration(input: $input) { __typename } }', { input: { target: 'NOTION', notion: { token: ws.token, databaseId: ws.database.id } } }, user.token)
  expect(r.data.connectIntegration.__typename).toBe('Integration')
  return user
}

type Call = { variables: Record<string, unknown>; token?: string }

// One successful call per mutation; each makes what it needs, so destructive ones touch nothing shared.
const SUCCESSFUL_CALLS: Record<string, () => Promise<Call>> = {
  signUp: async () => ({ variables: { input: { email: `new-${++seq}@example.com`, password: 'correct horse battery' } } }),
  logIn: async () => {
    const user = await makeLibrary()
    return { variables: { input: { email: user.email, password: user.password } } }
  },
  logOut: async () => ({ variables: {}, token: (await signUp()).token }),
  createApiToken: async () => ({ variables: { input: { name: 'laptop', scopes: ['agent', 'read'] } }, token: (await signUp()).token }),
  revokeApiToken: async () => {
    const user = await signUp()
    const r = await post('mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { ... on CreateApiTokenPayload { apiToken { id } } } }', { input: { name: 'old', scopes: ['agent'] } }, user.token)
    return { variables: { input: { id: r.data.createApiToken.apiToken.id } }, token: user.token }
  },
  syncNotebookMetadata: async () => ({
    variables: { input: { notebooks: [{ uuid: `nb-meta-${++seq}`, visibleName: 'Meta', type: 'NOTEBOOK', pageUuids: ['p-1', 'p-2'], tags: ['work'] }] } },
    token: (await makeLibrary()).token,
  }),
  uploadPage: async () => {
    const user = await makeLibrary()
    return { variables: { input: { notebookUuid: user.notebook.uuid, pageUuid: user.page.uuid, file: UPLOAD_MARKER } }, token: user.token }
  },
  deleteNotebook: async () => {
    const user = await makeLibrary()
    return { variables: { input: { uuid: user.notebook.uuid } }, token: user.token }
  },
  retryPageText: async () => {
    const user = await makeLibrary()
    return { variables: { input: { id: encodeGlobalID('Page', user.page.id) } }, token: user.token }
  },
  updateHighlight: async () => {
    const user = await makeLibrary()
    return { variables: { input: { id: encodeGlobalID('Highlight', user.highlight.id), correctedText: 'the passage' } }, token: user.token }
  },
  retrySync: async () => {
    const user = await makeConnectedUser()
    return { variables: { input: { id: encodeGlobalID('SyncRecord', user.record.id) } }, token: user.token }
  },
  retryFailedSyncs: async () => {
    const user = await makeConnectedUser()
    return { variables: { input: { notebookId: encodeGlobalID('Notebook', user.notebook.id) } }, token: user.token }
  },
  findNotionDatabases: async () => ({ variables: { input: { token: makeNotionWorkspace().token } }, token: (await signUpOnceForChecks()).token }),
  createNotionDatabase: async () => {
    const ws = makeNotionWorkspace()
    return { variables: { input: { token: ws.token, parentPageId: ws.rootPageId, title: 'Notebooks' } }, token: (await signUp()).token }
  },
  connectIntegration: async () => {
    const user = await makeLibrary()
    const ws = makeNotionWorkspace()
    return { variables: { input: { target: 'NOTION', notion: { token: ws.token, databaseId: ws.database.id } } }, token: user.token }
  },
  testIntegration: async () => ({ variables: { input: { target: 'NOTION' } }, token: (await makeConnectedUser()).token }),
  testNotionConnection: async () => {
    const ws = makeNotionWorkspace()
    return { variables: { input: { token: ws.token, databaseId: ws.database.id } }, token: (await signUpOnceForChecks()).token }
  },
  setIntegrationEnabled: async () => ({ variables: { input: { target: 'NOTION', enabled: false } }, token: (await makeConnectedUser()).token }),
  updateIntegrationSettings: async () => ({ variables: { input: { target: 'NOTION', dryRun: true, cleanUpOnDelete: true } }, token: (await makeConnectedUser()).token }),
  disconnectIntegration: async () => ({ variables: { input: { target: 'NOTION', keepSyncRecords: true } }, token: (await makeConnectedUser()).token }),
  reportAgentSync: async () => {
    const user = await makeLibrary()
    const [{ version }] = await app.database.db.$queryRaw<{ version: string }[]>`select notebook_markdown_version(${user.notebook.id}, 'any') as version`
    const written = [{ notebookId: encodeGlobalID('Notebook', user.notebook.id), markdownVersion: version, location: 'reMarkable/Library.md' }]
    return { variables: { input: { target: 'OBSIDIAN', written, removedUuids: [] } }, token: user.token }
  },
}

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  app = await startTestApp({ env: { NOTION_API_BASE_URL: notion.url } })
})
afterAll(async () => {
  await app?.close()
  await notion?.close()
})

describe('mutation payloads (generated from the schema)', () => {
  it('covers every mutation', () => {
    expect(Object.keys(SUCCESSFUL_CALLS).sort()).toEqual(mutations.map((m) => m.name).sort())
  })

  for (const field of mutations) {
    it(`${field.name}: every field of ${successTypeOf(field).name} is selectable after a successful call (depth ${DEPTH})`, async () => {
      const call = SUCCESSFUL_CALLS[field.name]
      expect(call, `no successful call of ${field.name} in this test`).toBeDefined()
      const { variables, token } = await call()
      const r = await post(operationFor(field), variables, token)
      expect(r.errors ?? [], JSON.stringify(r.errors)).toEqual([])
      expect(r.data?.[field.name]?.__typename, JSON.stringify(r.data)).toBe(successTypeOf(field).name)
    })
  }
})
