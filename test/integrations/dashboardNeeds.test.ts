import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { graphql } from '../gql/index.ts'
import { queueSync } from '../../server/sync/queueSync.ts'
import { makeNotionDatabaseSchema } from '../../server/notion/databaseProperties.ts'
import { seedNotebook } from './seedLibrary.ts'
import { ConnectNotion, SetNotionEnabled, signUpUser } from './operations.ts'

// What the dashboard's integrations page needs from the API: testing credentials before they are
// saved, the OCR provider and plans, and a paused integration that keeps changes pending.

const TestNotionConnection = graphql(`
  mutation TestNotionConnection($input: TestNotionConnectionInput!) {
    testNotionConnection(input: $input) {
      __typename
      ... on IntegrationTestResult {
        ok tokenAccepted databaseReachable databaseId dataSourceId databaseTitle
        properties { name matches }
        problem { code message dataSources { id name } }
      }
      ... on Error { code message }
    }
  }
`)

const OcrSettings = graphql(`
  query OcrSettings { viewer { id ocrUsage { provider plan limit periodDays plans { name pagesPerPeriod } } } }
`)

const IntegrationCounts = graphql(`
  query IntegrationCounts { viewer { id integrations { id enabled counts { synced pending failed } } } }
`)

let notion: NotionFake
let app: TestApp

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: false })
  app = await startTestApp({ env: { NOTION_API_BASE_URL: notion.url, OCR_QUOTA_PLANS: 'free:30,pro:1000,team:5000' } })
})
afterAll(async () => {
  await app?.close()
  await notion?.close()
})
beforeEach(() => notion.reset())

describe('testNotionConnection: a token and database checked before anything is saved', () => {
  it('says what works and what does not, in words, and stores nothing', async () => {
    const user = await signUpUser(app, 'tess@example.com')
    const { token } = notion.addIntegration({ name: 'tess' })
    const home = notion.createPage({ title: 'Home', shareWith: token })
    const shared = notion.createDatabase({ parentId: home.id, title: 'Notes', properties: makeNotionDatabaseSchema() as any, shareWith: token })
    const privatePage = notion.createPage({ title: 'Private page' })
    const unshared = notion.createDatabase({ parentId: privatePage.id, title: 'Private', properties: makeNotionDatabaseSchema() as any })

    const ok = await app.gql(TestNotionConnection, { input: { token, databaseId: shared.id } }, user.token)
    expect(ok.data?.testNotionConnection).toMatchObject({ __typename: 'IntegrationTestResult', ok: true, tokenAccepted: true, databaseReachable: true, databaseTitle: 'Notes', problem: null })

    const rejected = await app.gql(TestNotionConnection, { input: { token: 'ntn_wrong_000000000000000000000000000000000000000', databaseId: shared.id } }, user.token)
    expect(rejected.data?.testNotionConnection).toMatchObject({ ok: false, tokenAccepted: false, problem: { code: 'NOTION_TOKEN_REJECTED' } })

    const notShared = await app.gql(TestNotionConnection, { input: { token, databaseId: unshared.id } }, user.token)
    expect(notShared.data?.testNotionConnection).toMatchObject({ ok: false, tokenAccepted: true, databaseReachable: false, problem: { code: 'NOTION_DATABASE_NOT_SHARED' } })

    const malformed = await app.gql(TestNotionConnection, { input: { token, databaseId: 'not a link' } }, user.token)
    expect(malformed.data?.testNotionConnection).toMatchObject({ ok: false, problem: { code: 'INVALID_INPUT', message: expect.stringContaining('database id') } })

    // Nothing was saved, and the token is never echoed.
    expect((await app.gql(IntegrationCounts, {}, user.token)).data?.viewer?.integrations).toEqual([])
    expect(JSON.stringify([ok, rejected, notShared])).not.toContain(token)
    expect((await app.gql(TestNotionConnection, { input: { token, databaseId: shared.id } })).data?.testNotionConnection).toMatchObject({ __typename: 'NotAuthenticatedError' })
  })
})

describe('ocrUsage names the provider and what each plan allows', () => {
  it('reads the configuration: no provider in tests, the plans smallest first', async () => {
    const user = await signUpUser(app, 'olga@example.com')
    const r = await app.gql(OcrSettings, {}, user.token)
    expect(r.data?.viewer?.ocrUsage).toEqual({
      provider: 'NONE',
      plan: 'free',
      limit: 30,
      periodDays: 30,
      plans: [
        { name: 'free', pagesPerPeriod: 30 },
        { name: 'pro', pagesPerPeriod: 1000 },
        { name: 'team', pagesPerPeriod: 5000 },
      ],
    })
  })
})

describe('a paused integration', () => {
  it('keeps changes pending without sending them, until it is enabled again', async () => {
    const user = await signUpUser(app, 'paula@example.com')
    const { token } = notion.addIntegration({ name: 'paula' })
    const home = notion.createPage({ title: 'Home', shareWith: token })
    const db = notion.createDatabase({ parentId: home.id, title: 'Notes', properties: makeNotionDatabaseSchema() as any, shareWith: token })
    const connected = await app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token, databaseId: db.id } } }, user.token)
    expect(connected.data?.connectIntegration.__typename).toBe('Integration')
    await app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: false } }, user.token)

    const nb = await seedNotebook(app.database.db, user.userId, { name: 'Journal' })
    await app.database.db.$transaction((tx) =>
      queueSync(tx, user.userId, nb.id, [{ itemType: 'notebook_metadata', itemId: String(nb.id), contentHash: 'h1', notebookUuid: nb.uuid }]),
    )
    const counts = await app.gql(IntegrationCounts, {}, user.token)
    expect(counts.data?.viewer?.integrations).toEqual([expect.objectContaining({ enabled: false, counts: { synced: 0, pending: 1, failed: 0 } })])
    const jobs = await app.database.query(`select count(*)::int as n from graphile_worker._private_jobs where starts_with(key, 'sync_notebook:')`)
    expect(jobs.rows[0].n).toBe(0)

    const on = await app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: true } }, user.token)
    expect(on.data?.setIntegrationEnabled).toMatchObject({ enabled: true })
    const queued = await app.database.query(`select count(*)::int as n from graphile_worker._private_jobs where starts_with(key, 'sync_notebook:')`)
    expect(queued.rows[0].n).toBe(1)
  })
})
