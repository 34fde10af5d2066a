import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { makeConfigCipher } from '../../server/crypto/configCipher.ts'
import { generateMasterKey } from '../../server/crypto/keys.ts'
import { EXPECTED_NOTION_PROPERTIES } from '../../server/notion/databaseProperties.ts'
import { seedNotebook, seedPage } from './seedLibrary.ts'
import {
  ConnectNotion,
  CreateDatabase,
  DisconnectNotion,
  FindDatabases,
  IntegrationNode,
  MyIntegrations,
  SetNotionEnabled,
  TestNotion,
  UpdateNotionSettings,
  signUpUser,
} from './operations.ts'

// After connecting: the list the dashboard shows, a live test, enable/disable with catch-up, settings,
// disconnect — and the database picker.

let notion: NotionFake
let app: TestApp

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  app = await startTestApp({ env: { NOTION_API_BASE_URL: notion.url } })
})
afterAll(async () => {
  await app?.close()
  await notion?.close()
})
beforeEach(() => notion.reset())

async function connectedUser(email: string) {
  const user = await signUpUser(app, email)
  const { token } = notion.addIntegration({ name: email })
  const root = notion.createPage({ title: 'Root', shareWith: token })
  const db = notion.createDatabase({ parentId: root.id, title: `${email} db`, properties: { Name: { title: {} }, UUID: { rich_text: {} }, Tags: { multi_select: {} } }, shareWith: token })
  const r = await app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token, databaseId: db.id } } }, user.token)
  if (r.data?.connectIntegration.__typename !== 'Integration') throw new Error(JSON.stringify(r))
  return { ...user, notionToken: token, db, integrationId: r.data.connectIntegration.id, rootId: root.id }
}

async function jobKeys(prefix: string) {
  const r = await app.database.query(`select key from graphile_worker._private_jobs where starts_with(key, $1) order by key`, [prefix])
  return r.rows.map((row) => row.key as string)
}

describe('integrations after connecting', () => {
  it('lists the integration with a masked hint, to its owner only', async () => {
    const ana = await connectedUser('ana@example.com')
    const ben = await connectedUser('ben@example.com')
    const mine = await app.gql(MyIntegrations, {}, ana.token)
    expect(mine.data?.integrations).toEqual([
      expect.objectContaining({ id: ana.integrationId, target: 'NOTION', enabled: true, credentialHint: `••••${ana.notionToken.slice(-4)}`, databaseId: ana.db.id, databaseTitle: 'ana@example.com db' }),
    ])
    expect(mine.data?.viewer?.integrations).toEqual([expect.objectContaining({ id: ana.integrationId })])
    expect(JSON.stringify(mine)).not.toContain(ana.notionToken)
    // Another user's integration id is simply not found.
    const theirs = await app.gql(IntegrationNode, { id: ben.integrationId }, ana.token)
    expect(theirs.data?.node).toBeNull()
    expect((await app.gql(IntegrationNode, { id: ana.integrationId }, ana.token)).data?.node).toMatchObject({ __typename: 'Integration', target: 'NOTION' })
    // Without a token, refused (reading needs the read scope), not an empty list.
    const anonymous = await app.gql(MyIntegrations, {})
    expect(anonymous.data?.integrations ?? null).toBeNull()
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_AUTHENTICATED' })
  })

  it('testIntegration reports the token, the database and which expected properties it has', async () => {
    const cleo = await connectedUser('cleo@example.com')
    const r = await app.gql(TestNotion, { input: { target: 'NOTION' } }, cleo.token)
    const result = r.data?.testIntegration
    expect(result).toMatchObject({ __typename: 'IntegrationTestResult', ok: true, tokenAccepted: true, databaseReachable: true, databaseId: cleo.db.id, dataSourceId: cleo.db.dataSourceId, problem: null })
    if (result?.__typename !== 'IntegrationTestResult') throw new Error('no result')
    expect(result.properties.map((p) => [p.name, p.matches])).toEqual(EXPECTED_NOTION_PROPERTIES.map((p) => [p.name, ['Name', 'UUID', 'Tags'].includes(p.name)]))

    // Stored credentials no longer open (another master key): reported, not thrown.
    const foreign = makeConfigCipher(generateMasterKey()).encrypt(cleo.userId, { token: cleo.notionToken, databaseId: cleo.db.id })
    await app.database.query(`update integration_configs set config_encrypted = $1 where user_id = $2`, [foreign, cleo.userId])
    const unreadable = await app.gql(TestNotion, { input: { target: 'NOTION' } }, cleo.token)
    expect(unreadable.data?.testIntegration).toMatchObject({ ok: false, tokenAccepted: null, problem: { code: 'CREDENTIALS_UNREADABLE' } })

    // A token Notion rejects.
    const bogus = app.services.cipher.encrypt(cleo.userId, { token: 'ntn_revoked_000000000000000000000000000000000000', databaseId: cleo.db.id, dataSourceId: null })
    await app.database.query(`update integration_configs set config_encrypted = $1 where user_id = $2`, [bogus, cleo.userId])
    const rejected = await app.gql(TestNotion, { input: { target: 'NOTION' } }, cleo.token)
    expect(rejected.data?.testIntegration).toMatchObject({ ok: false, tokenAccepted: false, problem: { code: 'NOTION_TOKEN_REJECTED' } })

    // A config without a data source (as imported) on a database with two: which ones to pick from.
    const multi = notion.createDatabase({
      parentId: cleo.rootId,
      title: 'Two sources',
      dataSources: [{ title: 'One', properties: { Name: { title: {} } } }, { title: 'Two', properties: { Name: { title: {} } } }],
      shareWith: cleo.notionToken,
    })
    const unpicked = app.services.cipher.encrypt(cleo.userId, { token: cleo.notionToken, databaseId: multi.id, dataSourceId: null })
    await app.database.query(`update integration_configs set config_encrypted = $1 where user_id = $2`, [unpicked, cleo.userId])
    const toPick = await app.gql(TestNotion, { input: { target: 'NOTION' } }, cleo.token)
    expect(toPick.data?.testIntegration).toMatchObject({
      ok: false,
      tokenAccepted: true,
      databaseReachable: true,
      problem: { code: 'NOTION_MULTIPLE_DATA_SOURCES', dataSources: [{ id: multi.dataSourceIds[0], name: 'One' }, { id: multi.dataSourceIds[1], name: 'Two' }] },
    })

    const nobody = await signUpUser(app, 'nobody@example.com')
    expect((await app.gql(TestNotion, { input: { target: 'NOTION' } }, nobody.token)).data?.testIntegration).toMatchObject({ __typename: 'NotFoundError' })
  })

  it('disabling withdraws queued sync jobs; enabling again queues the catch-up', async () => {
    const dan = await connectedUser('dan@example.com')
    const nb = await seedNotebook(app.database.db, dan.userId, { name: 'Journal' })
    await seedPage(app.database.db, dan.userId, nb, 1, 'first page')
    const integrationId = Number((await app.database.query(`select id from integration_configs where user_id = $1`, [dan.userId])).rows[0].id)
    const prefix = `sync_notebook:${integrationId}:`

    const off = await app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: false } }, dan.token)
    expect(off.data?.setIntegrationEnabled).toMatchObject({ __typename: 'Integration', enabled: false })
    expect(await jobKeys(prefix)).toEqual([])

    const on = await app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: true } }, dan.token)
    expect(on.data?.setIntegrationEnabled).toMatchObject({ __typename: 'Integration', enabled: true, counts: { synced: 0, pending: 2, failed: 0 } })
    expect(await jobKeys(prefix)).toEqual([`${prefix}${nb.id}`])
    const payloads = await app.database.query(`select payload from graphile_worker._private_jobs where key = $1`, [`${prefix}${nb.id}`])
    expect(payloads.rows[0].payload).toEqual({ integrationId, notebookId: nb.id })

    // Disabling again takes the queued job away; the items stay pending for the next catch-up.
    await app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: false } }, dan.token)
    expect(await jobKeys(prefix)).toEqual([])
    const pending = await app.database.query(`select count(*)::int as n from sync_records where user_id = $1 and status = 'pending'`, [dan.userId])
    expect(pending.rows[0].n).toBe(2)
  })

  it('updates settings, keeping what was not sent', async () => {
    const eve = await connectedUser('eve@example.com')
    const dry = await app.gql(UpdateNotionSettings, { input: { target: 'NOTION', dryRun: true } }, eve.token)
    expect(dry.data?.updateIntegrationSettings).toMatchObject({ settings: { dryRun: true, cleanUpOnDelete: false }, databaseId: eve.db.id })
    const clean = await app.gql(UpdateNotionSettings, { input: { target: 'NOTION', cleanUpOnDelete: true } }, eve.token)
    expect(clean.data?.updateIntegrationSettings).toMatchObject({ settings: { dryRun: true, cleanUpOnDelete: true }, databaseId: eve.db.id })
    // Reconnecting keeps the settings.
    const again = await app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token: eve.notionToken, databaseId: eve.db.id } } }, eve.token)
    expect(again.data?.connectIntegration).toMatchObject({ settings: { dryRun: true, cleanUpOnDelete: true } })
  })

  it('disconnects, removing the credentials and keeping or clearing the sync records', async () => {
    for (const keep of [true, false]) {
      const user = await connectedUser(`fay-${keep}@example.com`)
      const nb = await seedNotebook(app.database.db, user.userId)
      await app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: false } }, user.token)
      await app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: true } }, user.token)
      const integrationId = Number((await app.database.query(`select id from integration_configs where user_id = $1`, [user.userId])).rows[0].id)
      expect(await jobKeys(`sync_notebook:${integrationId}:`)).toEqual([`sync_notebook:${integrationId}:${nb.id}`])
      const r = await app.gql(DisconnectNotion, { input: { target: 'NOTION', keepSyncRecords: keep } }, user.token)
      expect(r.data?.disconnectIntegration).toEqual({ __typename: 'DisconnectIntegrationPayload', target: 'NOTION', syncRecordsDeleted: keep ? 0 : 1, syncRecordsKept: keep ? 1 : 0 })
      expect((await app.database.query(`select count(*)::int as n from integration_configs where user_id = $1`, [user.userId])).rows[0].n).toBe(0)
      expect((await app.database.query(`select count(*)::int as n from sync_records where user_id = $1`, [user.userId])).rows[0].n).toBe(keep ? 1 : 0)
      expect(await jobKeys(`sync_notebook:${integrationId}:`)).toEqual([])
      const listed = await app.gql(MyIntegrations, {}, user.token)
      expect(listed.data?.integrations).toEqual([])
      expect((await app.gql(DisconnectNotion, { input: { target: 'NOTION', keepSyncRecords: keep } }, user.token)).data?.disconnectIntegration).toMatchObject({ __typename: 'NotFoundError' })
    }
  })
})

describe('database picker', () => {
  it('findNotionDatabases lists the shared databases with their data sources and missing properties', async () => {
    const user = await signUpUser(app, 'picker@example.com')
    const { token } = notion.addIntegration()
    const root = notion.createPage({ title: 'Root', shareWith: token })
    const single = notion.createDatabase({ parentId: root.id, title: 'Alpha', properties: { Name: { title: {} }, UUID: { rich_text: {} } }, shareWith: token })
    const multi = notion.createDatabase({
      parentId: root.id,
      title: 'Beta',
      dataSources: [{ title: 'Beta one', properties: { Name: { title: {} } } }, { title: 'Beta two', properties: { Name: { title: {} } } }],
      shareWith: token,
    })
    const hidden = notion.createPage({ title: 'Hidden' })
    notion.createDatabase({ parentId: hidden.id, title: 'Gamma', properties: { Name: { title: {} } } })
    const r = await app.gql(FindDatabases, { input: { token } }, user.token)
    expect(r.data?.findNotionDatabases).toEqual({
      __typename: 'FindNotionDatabasesPayload',
      databases: [
        { id: single.id, title: 'Alpha', url: null, dataSources: [{ id: single.dataSourceId, name: 'Alpha', missingProperties: ['Path', 'Tags', 'Pages', 'Last Synced', 'Status'] }] },
        {
          id: multi.id,
          title: 'Beta',
          url: expect.any(String),
          dataSources: expect.arrayContaining([
            expect.objectContaining({ id: multi.dataSourceIds[0], name: 'Beta one' }),
            expect.objectContaining({ id: multi.dataSourceIds[1], name: 'Beta two' }),
          ]),
        },
      ],
    })
    // One search, one retrieve for the database with two data sources.
    expect(notion.stats().byEndpoint).toEqual({ 'POST /v1/search': 1, 'GET /v1/databases/:id': 1 })
    const bad = await app.gql(FindDatabases, { input: { token: 'ntn_unknown_00000000000000000000000000000000000000' } }, user.token)
    expect(bad.data?.findNotionDatabases).toMatchObject({ __typename: 'NotionTokenRejectedError' })
  })

  it('createNotionDatabase makes a database with every expected property, ready to connect', async () => {
    const user = await signUpUser(app, 'creator@example.com')
    const { token } = notion.addIntegration()
    const page = notion.createPage({ title: 'Home', shareWith: token })
    const created = await app.gql(CreateDatabase, { input: { token, parentPageId: page.id } }, user.token)
    const database = created.data?.createNotionDatabase
    if (database?.__typename !== 'NotionDatabase') throw new Error(JSON.stringify(created))
    expect(database.title).toBe('reMarkable notebooks')
    const connected = await app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token, databaseId: database.id } } }, user.token)
    expect(connected.data?.connectIntegration).toMatchObject({ __typename: 'Integration', dataSourceId: database.dataSources[0].id })
    const tested = await app.gql(TestNotion, { input: { target: 'NOTION' } }, user.token)
    if (tested.data?.testIntegration.__typename !== 'IntegrationTestResult') throw new Error(JSON.stringify(tested))
    expect(tested.data.testIntegration.properties.every((p) => p.matches)).toBe(true)
    const schema = notion.state().dataSources.find((s) => s.id === database.dataSources[0].id)?.properties as Record<string, { type: string; select?: { options: { name: string }[] } }>
    expect(Object.fromEntries(Object.entries(schema).map(([name, p]) => [name, p.type]))).toEqual({
      Name: 'title', UUID: 'rich_text', Path: 'rich_text', Tags: 'multi_select', Pages: 'number', 'Last Synced': 'date', Status: 'select',
    })
    expect(schema.Status.select?.options.map((o) => o.name)).toEqual(['Synced', 'Pending', 'Error', 'Source deleted'])

    const notShared = notion.createPage({ title: 'Private' })
    const refused = await app.gql(CreateDatabase, { input: { token, parentPageId: notShared.id } }, user.token)
    expect(refused.data?.createNotionDatabase).toMatchObject({ __typename: 'NotionPageNotSharedError', pageId: notShared.id })
    const invalid = await app.gql(CreateDatabase, { input: { token, parentPageId: 'nope' } }, user.token)
    expect(invalid.data?.createNotionDatabase).toMatchObject({ __typename: 'ValidationError', field: 'parentPageId' })
  })
})
