import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { ConnectNotion, IntegrationsCreateToken, signUpUser } from './operations.ts'

// connectIntegration against the project's Notion fake: every typed error a user can act on, and a
// connection that stores the token only encrypted.

let notion: NotionFake
let app: TestApp
let session: string
let userId: number

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  app = await startTestApp({ env: { NOTION_API_BASE_URL: notion.url } })
  ;({ token: session, userId } = await signUpUser(app, 'connect@example.com'))
})
afterAll(async () => {
  await app?.close()
  await notion?.close()
})
beforeEach(() => notion.reset())

function sharedDatabase(token: string, title = 'Notebooks') {
  const root = notion.createPage({ title: 'Root', shareWith: token })
  return notion.createDatabase({ parentId: root.id, title, properties: { Name: { title: {} }, UUID: { rich_text: {} }, Pages: { number: {} } }, shareWith: token })
}

const connect = (notionInput: { token: string; databaseId: string; dataSourceId?: string | null }, as = session) =>
  app.gql(ConnectNotion, { input: { target: 'NOTION', notion: notionInput } }, as)

describe('connectIntegration', () => {
  it('checks the connection with two requests, stores the token encrypted, enables and shows a masked hint', async () => {
    const { token } = notion.addIntegration({ name: 'rmirror' })
    const db = sharedDatabase(token)
    const r = await connect({ token, databaseId: db.id.replace(/-/g, '') })
    expect(r.data?.connectIntegration).toMatchObject({
      __typename: 'Integration',
      target: 'NOTION',
      enabled: true,
      credentialHint: `••••${token.slice(-4)}`,
      databaseId: db.id,
      dataSourceId: db.dataSourceId,
      databaseTitle: 'Notebooks',
      settings: { dryRun: false, cleanUpOnDelete: false },
      counts: { synced: 0, pending: 0, failed: 0 },
    })
    expect(notion.stats()).toMatchObject({ requests: 2, byEndpoint: { 'GET /v1/databases/:id': 1, 'GET /v1/data_sources/:id': 1 } })

    const row = (await app.database.query('select * from integration_configs where user_id = $1', [userId])).rows[0]
    expect(JSON.stringify(row)).not.toContain(token)
    expect(row.config_encrypted).toMatch(/^gAAAAA/)
    const opened = app.services.cipher.decrypt(userId, row.config_encrypted)
    expect(opened).toMatchObject({ ok: true, keyIndex: 0, config: { token, databaseId: db.id, dataSourceId: db.dataSourceId } })
    // Another user's key does not open it.
    expect(app.services.cipher.decrypt(userId + 1, row.config_encrypted).ok).toBe(false)
  })

  it('accepts the database as a Notion link', async () => {
    const { token } = notion.addIntegration()
    const db = sharedDatabase(token, 'Linked')
    const link = `https://www.notion.so/acme/Linked-${db.id.replace(/-/g, '')}?v=0123456789abcdef0123456789abcdef`
    const r = await connect({ token, databaseId: link })
    expect(r.data?.connectIntegration).toMatchObject({ __typename: 'Integration', databaseId: db.id, databaseTitle: 'Linked' })
  })

  it('answers NotionTokenRejectedError for a token Notion does not know (401)', async () => {
    const owner = notion.addIntegration()
    const db = sharedDatabase(owner.token)
    const r = await connect({ token: 'ntn_0000000000000000000000000000000000000000000000', databaseId: db.id })
    expect(r.data?.connectIntegration).toMatchObject({ __typename: 'NotionTokenRejectedError', code: 'NOTION_TOKEN_REJECTED' })
    expect(notion.stats().byStatus).toEqual({ 401: 1 })
  })

  it('answers NotionDatabaseNotSharedError for a database not shared with the integration (404)', async () => {
    const { token } = notion.addIntegration()
    const root = notion.createPage({ title: 'Private' })
    const db = notion.createDatabase({ parentId: root.id, title: 'Private db', properties: { Name: { title: {} } } })
    const r = await connect({ token, databaseId: db.id })
    expect(r.data?.connectIntegration).toMatchObject({ __typename: 'NotionDatabaseNotSharedError', code: 'NOTION_DATABASE_NOT_SHARED', notSharedDatabaseId: db.id })
    expect(notion.stats().byStatus).toEqual({ 404: 1 })
  })

  it('answers NotionMultipleDataSourcesError listing the data sources, then connects the one picked', async () => {
    const { token } = notion.addIntegration()
    const root = notion.createPage({ title: 'Root', shareWith: token })
    const db = notion.createDatabase({
      parentId: root.id,
      title: 'Multi',
      dataSources: [
        { title: 'Work', properties: { Name: { title: {} } } },
        { title: 'Home', properties: { Title: { title: {} }, Tags: { multi_select: {} } } },
      ],
      shareWith: token,
    })
    const r = await connect({ token, databaseId: db.id })
    expect(r.data?.connectIntegration).toEqual({
      __typename: 'NotionMultipleDataSourcesError',
      code: 'NOTION_MULTIPLE_DATA_SOURCES',
      message: expect.stringContaining('2 data sources'),
      multiSourceDatabaseId: db.id,
      dataSources: [
        { id: db.dataSourceIds[0], name: 'Work' },
        { id: db.dataSourceIds[1], name: 'Home' },
      ],
    })
    const picked = await connect({ token, databaseId: db.id, dataSourceId: db.dataSourceIds[1] })
    expect(picked.data?.connectIntegration).toMatchObject({ __typename: 'Integration', dataSourceId: db.dataSourceIds[1] })
    const wrong = await connect({ token, databaseId: db.id, dataSourceId: '0123456789abcdef0123456789abcdef' })
    expect(wrong.data?.connectIntegration).toMatchObject({ __typename: 'ValidationError', field: 'notion.dataSourceId' })
  })

  it('answers NotionUnreachableError for a 5xx and for a closed port', async () => {
    const { token } = notion.addIntegration()
    const db = sharedDatabase(token)
    notion.faults.failNext(1, { status: 503 })
    const r = await connect({ token, databaseId: db.id })
    expect(r.data?.connectIntegration).toMatchObject({ __typename: 'NotionUnreachableError', code: 'NOTION_UNREACHABLE', status: 503 })

    // Port 1: nothing listens there, and unlike a port found free a moment ago, no parallel test can take it.
    const closed = await startTestApp({ env: { NOTION_API_BASE_URL: 'http://127.0.0.1:1' } })
    try {
      const { token: other } = await signUpUser(closed, 'closed@example.com')
      const down = await closed.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token, databaseId: db.id } } }, other)
      expect(down.data?.connectIntegration).toMatchObject({ __typename: 'NotionUnreachableError', status: null })
      expect((await closed.database.query('select count(*)::int as n from integration_configs')).rows[0].n).toBe(0)
    } finally {
      await closed.close()
    }
  })

  it('answers NotionCapabilityMissingError when the integration may not read content (403)', async () => {
    const { token } = notion.addIntegration({ capabilities: { read: false } })
    const db = sharedDatabase(token)
    const r = await connect({ token, databaseId: db.id })
    expect(r.data?.connectIntegration).toMatchObject({ __typename: 'NotionCapabilityMissingError', code: 'NOTION_CAPABILITY_MISSING' })
  })

  it('answers ValidationError, naming the field, before calling Notion', async () => {
    const cases = [
      [{ token: '   ', databaseId: '0123456789abcdef0123456789abcdef' }, 'notion.token'],
      [{ token: 'ntn_has a space', databaseId: '0123456789abcdef0123456789abcdef' }, 'notion.token'],
      [{ token: 'ntn_fine', databaseId: 'not-an-id' }, 'notion.databaseId'],
      [{ token: 'ntn_fine', databaseId: '0123456789abcdef0123456789abcdef', dataSourceId: 'nope' }, 'notion.dataSourceId'],
    ] as const
    for (const [input, field] of cases) {
      const r = await connect(input)
      expect(r.data?.connectIntegration).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field })
    }
    const none = await app.gql(ConnectNotion, { input: { target: 'NOTION' } }, session)
    expect(none.data?.connectIntegration).toMatchObject({ __typename: 'ValidationError', field: 'notion' })
    expect(notion.stats().requests).toBe(0)
  })

  it('refuses callers without a session or the write scope', async () => {
    const input = { token: 'ntn_fine', databaseId: '0123456789abcdef0123456789abcdef' }
    const anonymous = await app.gql(ConnectNotion, { input: { target: 'NOTION', notion: input } })
    expect(anonymous.data?.connectIntegration).toMatchObject({ __typename: 'NotAuthenticatedError' })
    const created = await app.gql(IntegrationsCreateToken, { input: { name: 'reader', scopes: ['read'] } }, session)
    const readOnly = (created.data?.createApiToken as { token: string }).token
    const refused = await app.gql(ConnectNotion, { input: { target: 'NOTION', notion: input } }, readOnly)
    expect(refused.data?.connectIntegration).toMatchObject({ __typename: 'NotAllowedError' })
    expect(notion.stats().requests).toBe(0)
  })
})
