// connectIntegration for Readwise against the project's Readwise fake: the token checked against
// Readwise's token endpoint, stored only encrypted with its last 4 characters shown, typed errors a
// user can act on, catch-up of what is not delivered, and the page-notes setting.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startReadwiseFake, type ReadwiseFake } from '../fakes/readwise/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { graphql } from '../gql/index.ts'
import { SetNotionEnabled, signUpUser } from './operations.ts'
import { makeSyncTargets } from '../../worker/syncTargets.ts'
import { seedHighlight, seedNotebook, seedPage } from './seedLibrary.ts'

const ConnectReadwise = graphql(`
  mutation ConnectReadwise($input: ConnectIntegrationInput!) {
    connectIntegration(input: $input) {
      __typename
      ... on Integration { id target enabled credentialHint settings { dryRun cleanUpOnDelete sendPageNotes } counts { synced pending failed } }
      ... on Error { code message }
      ... on ValidationError { field }
      ... on ReadwiseUnreachableError { status }
      ... on ReadwiseRateLimitedError { retryAfterSeconds }
    }
  }
`)

const ReadwiseSettings = graphql(`
  mutation ReadwiseSettings($input: UpdateIntegrationSettingsInput!) {
    updateIntegrationSettings(input: $input) { __typename ... on Integration { settings { sendPageNotes } counts { synced pending failed } } ... on Error { code } }
  }
`)

let readwise: ReadwiseFake
let app: TestApp
let session: string
let userId: number

beforeAll(async () => {
  readwise = await startReadwiseFake({ rateLimit: false })
  app = await startTestApp({ env: { READWISE_API_BASE_URL: readwise.url } })
  ;({ token: session, userId } = await signUpUser(app, 'readwise@example.com'))
})
afterAll(async () => {
  await app?.close()
  await readwise?.close()
})
beforeEach(() => readwise.reset())

const connect = (token: string | undefined, as = session) => app.gql(ConnectReadwise, { input: { target: 'READWISE', ...(token === undefined ? {} : { readwise: { token } }) } }, as)

describe('connectIntegration (Readwise)', () => {
  it('refuses a token Readwise rejects, one that is no token, and no token at all, storing nothing', async () => {
    const refused = await connect('x'.repeat(50))
    expect(refused.data?.connectIntegration).toMatchObject({ __typename: 'ReadwiseTokenRejectedError', code: 'READWISE_TOKEN_REJECTED' })
    expect(readwise.stats().byEndpoint).toEqual({ 'GET /api/v2/auth/': 1 })
    expect((await connect('   ')).data?.connectIntegration).toMatchObject({ __typename: 'ValidationError', field: 'readwise.token' })
    expect((await connect('has spaces inside it')).data?.connectIntegration).toMatchObject({ __typename: 'ValidationError', field: 'readwise.token' })
    expect((await connect(undefined)).data?.connectIntegration).toMatchObject({ __typename: 'ValidationError', field: 'readwise' })
    expect((await app.database.query('select count(*)::int as n from integration_configs')).rows[0].n).toBe(0)
  })

  it('says when Readwise does not answer, or asks to wait', async () => {
    const { token } = readwise.addAccount()
    readwise.faults.failNext(1, { status: 503 })
    expect((await connect(token)).data?.connectIntegration).toMatchObject({ __typename: 'ReadwiseUnreachableError', code: 'READWISE_UNREACHABLE', status: 503 })
    readwise.faults.failNext(1, { status: 429, retryAfterSeconds: 30 })
    expect((await connect(token)).data?.connectIntegration).toMatchObject({ __typename: 'ReadwiseRateLimitedError', code: 'READWISE_RATE_LIMITED', retryAfterSeconds: 30 })
  })

  it('checks the token with one request, stores it encrypted with its last 4 shown, and queues what is not delivered', async () => {
    const nb = await seedNotebook(app.database.db, userId, { name: 'Seeded', tags: ['t'] })
    const page = await seedPage(app.database.db, userId, nb, 1, 'page text')
    await seedHighlight(app.database.db, userId, nb, page, 1, 'a seeded passage')
    const { token } = readwise.addAccount()
    const r = await connect(`  ${token} `)
    expect(r.data?.connectIntegration).toMatchObject({
      __typename: 'Integration',
      target: 'READWISE',
      enabled: true,
      credentialHint: `••••${token.slice(-4)}`,
      settings: { dryRun: false, cleanUpOnDelete: false, sendPageNotes: false },
      // The highlight and the notebook (its book); the page's text only with sendPageNotes.
      counts: { synced: 0, pending: 2, failed: 0 },
    })
    expect(readwise.stats()).toMatchObject({ requests: 1, byEndpoint: { 'GET /api/v2/auth/': 1 } })
    const row = (await app.database.query(`select * from integration_configs where user_id = $1 and target_name = 'readwise'`, [userId])).rows[0]
    expect(JSON.stringify(row)).not.toContain(token)
    expect(app.services.cipher.decrypt(userId, row.config_encrypted)).toMatchObject({ ok: true, config: { token } })
    const jobs = await app.database.query(`select key from graphile_worker._private_jobs where key like 'sync_notebook:%'`)
    expect(jobs.rows.map((j) => j.key)).toEqual([`sync_notebook:${row.id}:${nb.id}`])

    // Page notes on: the page's text is queued too; off: it is not delivered, so nothing to undo.
    const on = await app.gql(ReadwiseSettings, { input: { target: 'READWISE', sendPageNotes: true } }, session)
    expect(on.data?.updateIntegrationSettings).toMatchObject({ settings: { sendPageNotes: true }, counts: { pending: 3 } })
  })

  it('catch-up: disabled, a new highlight waits; enabled again, it is queued for Readwise', async () => {
    const off = await app.gql(SetNotionEnabled, { input: { target: 'READWISE', enabled: false } }, session)
    expect(off.data?.setIntegrationEnabled).toMatchObject({ __typename: 'Integration', enabled: false })
    await app.database.query(`delete from graphile_worker._private_jobs`)
    const nb = await seedNotebook(app.database.db, userId, { name: 'While off' })
    const page = await seedPage(app.database.db, userId, nb, 1, 'text')
    await seedHighlight(app.database.db, userId, nb, page, 1, 'found while Readwise was off')
    const on = await app.gql(SetNotionEnabled, { input: { target: 'READWISE', enabled: true } }, session)
    expect(on.data?.setIntegrationEnabled).toMatchObject({ __typename: 'Integration', enabled: true })
    const row = (await app.database.query(`select id from integration_configs where user_id = $1 and target_name = 'readwise'`, [userId])).rows[0]
    const jobs = await app.database.query(`select key from graphile_worker._private_jobs where key like 'sync_notebook:%' order by key`)
    expect(jobs.rows.map((j) => j.key)).toContain(`sync_notebook:${row.id}:${nb.id}`)
    // The worker has a Readwise target for those jobs.
    expect(Object.keys(makeSyncTargets(app.services.config, app.database.db)).sort()).toEqual(['notion', 'readwise'])
  })
})
