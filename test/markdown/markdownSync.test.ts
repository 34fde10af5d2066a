// What a client mirroring the library as Markdown relies on: markdownVersion moves whenever the
// Markdown does (and not when only things it does not show change), a listing pages through a changing library without skipping anything, and the
// markdownChanged feed names every notebook whose Markdown may have changed — and deleted ones.
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import type { LibraryQuery, LibraryQueryVariables } from '../gql/graphql.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { addHighlight, notebookIdOf, setHandwrittenText, syncLibrary, type LibraryItem } from './markdownLibrary.ts'

const Versioned = graphql(`query Versioned($id: ID!) { node(id: $id) { ... on Notebook { markdown markdownVersion } } }`)
const VersionOnly = graphql(`query VersionOnly($id: ID!) { node(id: $id) { ... on Notebook { markdownVersion } } }`)
const Library = graphql(`
  query Library($first: Int!, $after: String) {
    viewer { markdownLibrary(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { uuid markdownVersion markdownPath } } } }
  }
`)
const HighlightFix = graphql(`mutation HighlightFix($input: UpdateHighlightInput!) { updateHighlight(input: $input) { __typename } }`)

const NB = { uuid: 'v1000000-0000-4000-8000-000000000001', pages: ['v1000000-1111-4000-8000-000000000001', 'v1000000-1111-4000-8000-000000000002'] }
const FOLDER = 'v1000000-0000-4000-8000-00000000f001'
const statements: string[] = []

let app: TestApp
let user: TestUser
let other: TestUser
let gid: string

beforeAll(async () => {
  app = await startTestApp({ db: { onQuery: (sql) => statements.push(sql) } })
  user = await createTestUser(app.database.db, 'sync@example.com', ['agent', 'read', 'write'])
  other = await createTestUser(app.database.db, 'other@example.com', ['agent', 'read'])
  await syncLibrary(app, user, [item()])
  await setHandwrittenText(app, user, NB.uuid, NB.pages[0], 'first page')
  gid = encodeGlobalID('Notebook', await notebookIdOf(app, user, NB.uuid))
})
afterAll(async () => {
  await app?.close()
})

function item(extra: Partial<LibraryItem> = {}): LibraryItem {
  return { uuid: NB.uuid, visibleName: 'Versioned', pageUuids: NB.pages, tags: ['a'], lastModified: '2026-01-01T00:00:00.000Z', ...extra }
}

async function version(): Promise<string> {
  const result = await app.gql(VersionOnly, { id: gid }, user.session)
  return (result.data?.node as { markdownVersion: string }).markdownVersion
}

async function markdownAndVersion(): Promise<{ markdown: string; markdownVersion: string }> {
  const result = await app.gql(Versioned, { id: gid }, user.session)
  return result.data?.node as { markdown: string; markdownVersion: string }
}

describe('Notebook.markdownVersion', () => {
  it('moves with every change the Markdown shows, and not for what it does not show', async () => {
    const seen = new Map<string, string>()
    // expectChange null: the Markdown stays the same, the version may move (it hashes the stored text
    // without rendering it); a client then fetches once for nothing, never misses a change.
    const step = async (label: string, change: () => Promise<unknown>, expectChange: boolean | null) => {
      const before = await markdownAndVersion()
      await change()
      const after = await markdownAndVersion()
      expect(after.markdown !== before.markdown, `${label}: Markdown changed?`).toBe(expectChange ?? false)
      if (expectChange !== null) expect(after.markdownVersion !== before.markdownVersion, `${label}: version changed?`).toBe(expectChange)
      seen.set(label, after.markdownVersion)
    }
    await step('page text', () => setHandwrittenText(app, user, NB.uuid, NB.pages[0], 'first page, edited'), true)
    await step('trailing white space only', () => setHandwrittenText(app, user, NB.uuid, NB.pages[0], 'first page, edited  '), null)
    await step('second page read', () => setHandwrittenText(app, user, NB.uuid, NB.pages[1], 'second page'), true)
    await step('pages reordered', () => syncLibrary(app, user, [item({ pageUuids: [...NB.pages].reverse() })]), true)
    await step('renamed', () => syncLibrary(app, user, [item({ visibleName: 'Renamed', pageUuids: [...NB.pages].reverse() })]), true)
    await step('retagged', () => syncLibrary(app, user, [item({ visibleName: 'Renamed', pageUuids: [...NB.pages].reverse(), tags: ['b'] })]), true)
    await step('last modified', () => syncLibrary(app, user, [item({ visibleName: 'Renamed', pageUuids: [...NB.pages].reverse(), tags: ['b'], lastModified: '2026-02-01T00:00:00.000Z' })]), true)
    await step(
      'moved into a folder',
      () =>
        syncLibrary(app, user, [
          { uuid: FOLDER, visibleName: 'Box', type: 'FOLDER' },
          item({ visibleName: 'Renamed', parentUuid: FOLDER, pageUuids: [...NB.pages].reverse(), tags: ['b'], lastModified: '2026-02-01T00:00:00.000Z' }),
        ]),
      true,
    )
    await step('opened on the tablet (not in the Markdown)', () => app.database.db.notebook.updateMany({ where: { uuid: NB.uuid }, data: { lastOpened: new Date(), pinned: true } }), false)
    let highlightId = 0
    await step('highlight', async () => (highlightId = await addHighlight(app, user, NB.uuid, NB.pages[0], 'teh passage')), true)
    await step('highlight corrected', () => app.gql(HighlightFix, { input: { id: encodeGlobalID('Highlight', highlightId), correctedText: 'the passage' } }, user.session), true)
    // Back to an earlier text: the version is the earlier one again (it is a hash of the content).
    const edited = seen.get('highlight corrected')!
    await setHandwrittenText(app, user, NB.uuid, NB.pages[0], 'something else')
    expect(await version()).not.toBe(edited)
    await setHandwrittenText(app, user, NB.uuid, NB.pages[0], 'first page, edited  ')
    expect(await version()).toBe(edited)
  })

  it('asked with the Markdown, comes from the same single statement', async () => {
    statements.length = 0
    await markdownAndVersion()
    expect(statements.filter((s) => s.includes('notebook_markdown_version'))).toHaveLength(1)
  })
})

describe('viewer.markdownLibrary', () => {
  it('pages through every document oldest first, one statement for all versions of a page', async () => {
    await syncLibrary(app, user, Array.from({ length: 7 }, (_, i) => ({ uuid: `v2000000-0000-4000-8000-00000000000${i}`, visibleName: `Doc ${i}`, pageUuids: [] })))
    const seen: string[] = []
    let after: string | null = null
    for (;;) {
      statements.length = 0
      const result: Awaited<ReturnType<typeof app.gql<LibraryQuery, LibraryQueryVariables>>> = await app.gql(Library, { first: 3, after }, user.apiToken)
      const page = result.data!.viewer!.markdownLibrary
      expect(statements.filter((s) => s.includes('notebook_markdown_version'))).toHaveLength(1)
      seen.push(...page.edges.map((e) => e.node.uuid))
      expect(page.totalCount).toBe(8)
      if (!page.pageInfo.hasNextPage) break
      after = page.pageInfo.endCursor
      // A notebook changing while the client pages keeps its place (the order is by age, not by change).
      await syncLibrary(app, user, [{ uuid: 'v2000000-0000-4000-8000-000000000000', visibleName: `Doc 0 (${seen.length})`, pageUuids: [], lastModified: new Date().toISOString() }])
    }
    expect(seen).toEqual([NB.uuid, ...Array.from({ length: 7 }, (_, i) => `v2000000-0000-4000-8000-00000000000${i}`)])
  })

  it('refuses a token that may not read, rather than answering an empty library', async () => {
    const agentOnly = await createTestUser(app.database.db, 'agent-only@example.com', ['agent'])
    const result = await app.gql(Library, { first: 3 }, agentOnly.apiToken)
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_ALLOWED')
  })
})

describe('the markdownChanged subscription', () => {
  let client: Client
  const received: { notebookUuid: string; notebook: { markdownVersion: string } | null }[] = []

  beforeAll(async () => {
    client = createClient({ url: `${app.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${user.apiToken}` }, retryAttempts: 0 })
    let started: () => void = () => {}
    const subscribed = new Promise<void>((resolve) => (started = resolve))
    client.subscribe<any>(
      { query: 'subscription { markdownChanged { notebookUuid notebook { markdownVersion } } }' },
      { next: (m) => received.push(m.data.markdownChanged), error: () => {}, complete: () => {} },
    )
    // Subscribed once the server has the operation: a change made now is heard.
    client.on('connected', () => setTimeout(started, 100))
    await subscribed
  })
  afterAll(async () => {
    await client?.dispose()
  })

  async function next(check: (e: (typeof received)[number]) => boolean): Promise<(typeof received)[number]> {
    const deadline = performance.now() + 5000
    for (;;) {
      const found = received.find(check)
      if (found) return found
      if (performance.now() > deadline) throw new Error(`no such event; got ${JSON.stringify(received)}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }

  it('names a notebook whose text changed, with its new version', async () => {
    received.length = 0
    await setHandwrittenText(app, user, NB.uuid, NB.pages[1], 'heard live')
    const event = await next((e) => e.notebookUuid === NB.uuid)
    expect(event.notebook?.markdownVersion).toBe(await version())
  })

  it('says when a notebook is deleted (notebook null), and never tells of another user’s', async () => {
    received.length = 0
    await syncLibrary(app, other, [{ uuid: 'x1000000-0000-4000-8000-000000000001', visibleName: 'Not yours', pageUuids: [] }])
    await syncLibrary(app, user, [{ uuid: 'v2000000-0000-4000-8000-000000000003', visibleName: 'Doc 3', type: 'NOTEBOOK', deleted: true }])
    expect(await next((e) => e.notebookUuid === 'v2000000-0000-4000-8000-000000000003')).toEqual({ notebookUuid: 'v2000000-0000-4000-8000-000000000003', notebook: null })
    await new Promise((r) => setTimeout(r, 200))
    expect(received.some((e) => e.notebookUuid.startsWith('x1'))).toBe(false)
  })
})
