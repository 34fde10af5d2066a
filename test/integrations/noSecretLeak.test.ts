import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/testApp.ts'
import { makeLogger } from '../../server/logger.ts'
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

// The proof that a Notion token, once given to connectIntegration, is nowhere but inside its Fernet
// token: not in any column of any table (graphile-worker's included), not in the logs (trace level),
// not in anything printed, not in SQL text, not in any answer the dashboard gets, not in error messages.

let notion: NotionFake
let app: TestApp
const logLines: string[] = []
const sqlTexts: string[] = []
const printed: string[] = []
const answers: GraphQLResponse<unknown>[] = []
let restoreOutput: () => void

/** Every spelling a leak could take: as is, hex and base64 of its bytes. */
function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  return [secret, bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')]
}

function expectNoSecret(haystack: string, secret: string, where: string) {
  for (const spelling of spellings(secret)) {
    if (haystack.includes(spelling)) throw new Error(`the token appears in ${where}`)
  }
}

function captureOutput(): () => void {
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    printed.push(String(chunk))
    return (out as (...a: unknown[]) => boolean)(chunk, ...rest)
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    printed.push(String(chunk))
    return (err as (...a: unknown[]) => boolean)(chunk, ...rest)
  }) as typeof process.stderr.write
  return () => {
    process.stdout.write = out
    process.stderr.write = err
  }
}

beforeAll(async () => {
  notion = await startNotionFake({ rateLimit: { requestsPerSecond: 3, burst: 10 } })
  const memory = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  const logger = makeLogger({ logLevel: 'trace', logFormat: 'json' }, { process: 'server' }, memory)
  app = await startTestApp({ env: { NOTION_API_BASE_URL: notion.url, LOG_LEVEL: 'trace' }, logger, db: { onQuery: (sql) => sqlTexts.push(sql) } })
  restoreOutput = captureOutput()
})
afterAll(async () => {
  restoreOutput?.()
  await app?.close()
  await notion?.close()
})

async function ask<T>(promise: Promise<GraphQLResponse<T>>): Promise<GraphQLResponse<T>> {
  const r = await promise
  answers.push(r as GraphQLResponse<unknown>)
  return r
}

describe('no plain Notion token anywhere after connecting', () => {
  it('is absent from every table, log line, printed line, SQL text, answer and error message', async () => {
    const user = await signUpUser(app, 'secret-keeper@example.com')
    const { token } = notion.addIntegration({ name: 'Leak check' })
    expect(token).toMatch(/^ntn_[0-9a-f]{46}$/) // recognisable, random, long enough that a hit is a leak
    const page = notion.createPage({ title: 'Home', shareWith: token })
    const hidden = notion.createPage({ title: 'Not shared' })
    const hiddenDb = notion.createDatabase({ parentId: hidden.id, title: 'Hidden', properties: { Name: { title: {} } } })
    const notebook = await seedNotebook(app.database.db, user.userId, { name: 'Journal' })
    await seedPage(app.database.db, user.userId, notebook, 1, 'a page of text')

    // The dashboard's whole flow, failures included.
    const found = await ask(app.gql(FindDatabases, { input: { token } }, user.token))
    expect(found.data?.findNotionDatabases.__typename).toBe('FindNotionDatabasesPayload')
    const created = await ask(app.gql(CreateDatabase, { input: { token, parentPageId: page.id, title: 'Notebooks' } }, user.token))
    if (created.data?.createNotionDatabase.__typename !== 'NotionDatabase') throw new Error(JSON.stringify(created))
    const databaseId = created.data.createNotionDatabase.id
    const failures = [
      await ask(app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token, databaseId: hiddenDb.id } } }, user.token)),
      await ask(app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token: `${token}x`, databaseId } } }, user.token)),
      await ask(app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token: `${token} spaced`, databaseId } } }, user.token)),
    ]
    expect(failures.map((f) => f.data?.connectIntegration.__typename)).toEqual(['NotionDatabaseNotSharedError', 'NotionTokenRejectedError', 'ValidationError'])
    // An unexpected Notion answer: masked to the client, logged with its context on the server.
    notion.faults.failNext(1, { status: 400, code: 'validation_error', message: 'body failed validation: something new.' })
    const unexpected = await ask(app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token, databaseId } } }, user.token))
    expect(unexpected.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR')

    const connected = await ask(app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token, databaseId } } }, user.token))
    if (connected.data?.connectIntegration.__typename !== 'Integration') throw new Error(JSON.stringify(connected))
    const integrationId = connected.data.connectIntegration.id
    await ask(app.gql(TestNotion, { input: { target: 'NOTION' } }, user.token))
    await ask(app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: false } }, user.token))
    await ask(app.gql(SetNotionEnabled, { input: { target: 'NOTION', enabled: true } }, user.token))
    await ask(app.gql(UpdateNotionSettings, { input: { target: 'NOTION', dryRun: true } }, user.token))
    await ask(app.gql(MyIntegrations, {}, user.token))
    await ask(app.gql(IntegrationNode, { id: integrationId }, user.token))
    const jobs = await app.database.query(`select count(*)::int as n from graphile_worker._private_jobs`)
    expect(jobs.rows[0].n).toBeGreaterThan(0) // the catch-up queued work, so job payloads are in the scan

    // 1. Every row of every table of every schema (as pg_dump would see them).
    const tables = await app.database.query<{ table_schema: string; table_name: string }>(`
      select table_schema, table_name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`)
    const schemas = new Set(tables.rows.map((t) => t.table_schema))
    expect(schemas).toContain('public')
    expect(schemas).toContain('graphile_worker')
    let scannedRows = 0
    for (const { table_schema, table_name } of tables.rows) {
      const rows = await app.database.query(`select row_to_json(t)::text as row from "${table_schema}"."${table_name}" t`)
      scannedRows += rows.rowCount ?? 0
      for (const r of rows.rows) expectNoSecret(r.row, token, `${table_schema}.${table_name}`)
    }
    expect(scannedRows).toBeGreaterThan(10)
    const stored = await app.database.query(`select config_encrypted, credential_hint from integration_configs`)
    expect(stored.rows).toEqual([{ config_encrypted: expect.stringMatching(/^gAAAAA/), credential_hint: `••••${token.slice(-4)}` }])

    // 2. Logs at trace level (they were written: requests, Notion calls, the unexpected error).
    const logs = logLines.join('')
    expect(logs).toContain('unexpected error in a GraphQL operation')
    expect(logs).toContain('notion: request')
    expectNoSecret(logs, token, 'the logs')

    // 3. Anything printed (Prisma, the Notion SDK's console logger), and the SQL sent.
    expectNoSecret(printed.join(''), token, 'stdout/stderr')
    expect(sqlTexts.length).toBeGreaterThan(20)
    expectNoSecret(sqlTexts.join('\n'), token, 'SQL text')

    // 4. Every answer the dashboard got, error messages included.
    expect(answers.length).toBeGreaterThan(10)
    for (const a of answers) expectNoSecret(JSON.stringify(a), token, 'a GraphQL answer')

    // And after disconnecting, the encrypted value is gone too.
    await ask(app.gql(DisconnectNotion, { input: { target: 'NOTION', keepSyncRecords: false } }, user.token))
    expect((await app.database.query(`select count(*)::int as n from integration_configs`)).rows[0].n).toBe(0)
  })
})
