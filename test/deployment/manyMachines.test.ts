// Many machines: two servers and three workers, separate processes with separate data directories,
// sharing nothing but one PostgreSQL (the default file storage when DATABASE_URL is set) and the
// secrets every process of one deployment holds. A notebook uploaded through server A is read by
// the workers and synced to Notion while a subscriber on each server watches; server B serves the
// thumbnail of a page A stored.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateMasterKey } from '../../server/crypto/keys.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { makeNotionDatabaseSchema } from '../../server/notion/databaseProperties.ts'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { findFreePort } from '../helpers/ports.ts'
import { spawnEntry, waitForHealthy, type SpawnedProcess } from '../helpers/processes.ts'
import { makeRmFile, makeRootTextBlock } from '../rm/rmWriter.ts'

const NOTEBOOK = 'dddddddd-0000-4000-8000-000000000001'
const PAGES = [1, 2, 3].map((i) => `dddddddd-1111-4000-8000-00000000000${i}`)
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

let database: TestDatabase
let notion: NotionFake
let user: TestUser
const processes: SpawnedProcess[] = []
const dataDirs: string[] = []
const clients: Client[] = []
let servers: { url: string; proc: SpawnedProcess; dataDir: string }[] = []

/** A typed page: a title line, then a checkbox paragraph (a todo). */
function makePage(title: string, todo: string): Uint8Array {
  return makeRmFile([makeRootTextBlock([{ id: [1, 10], left: [0, 0], right: [0, 0], text: `${title}\n${todo}` }], [{ char: [1, 10 + title.length], code: 6 }])])
}

beforeAll(async () => {
  database = await createTestDatabase()
  notion = await startNotionFake({ rateLimit: false })
  user = await createTestUser(database.db, 'fleet@example.com', ['agent', 'read', 'write'])
  // What every process of one deployment is given alike (an operator's secrets), and nothing more.
  const shared = {
    DATABASE_URL: database.url,
    INTEGRATION_MASTER_KEY: generateMasterKey(),
    SIGNING_SECRET: 'one signing secret for every server of this deployment',
    NOTION_API_BASE_URL: notion.url,
    NOTION_REQUESTS_PER_SECOND: '100',
    NOTION_REQUEST_BURST: '50',
    RETRY_BASE_MS: '100',
    LOG_LEVEL: 'warn',
  }
  const ownDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-machine-'))
    dataDirs.push(dir)
    return dir
  }
  const ports = [await findFreePort(), await findFreePort()]
  servers = ports.map((port) => {
    const dataDir = ownDataDir()
    const proc = spawnEntry('server/index.ts', { ...shared, PORT: String(port), RMIRROR_DATA_DIR: dataDir, SERVE_WEB: 'false', API_RATE_LIMIT_PER_SECOND: '1000', API_RATE_LIMIT_BURST: '1000' })
    processes.push(proc)
    return { url: `http://127.0.0.1:${port}`, proc, dataDir }
  })
  for (let i = 0; i < 3; i++) {
    processes.push(spawnEntry('worker/index.ts', { ...shared, RMIRROR_DATA_DIR: ownDataDir(), WORKER_CONCURRENCY: '2', WORKER_HEARTBEAT_MS: '200', WORKER_DEAD_AFTER_MS: '5000' }))
  }
  for (const s of servers) expect(await waitForHealthy(s.url, s.proc)).toMatchObject({ status: 'ok', storage: 'ok', fileStorage: 'postgres' })
  await waitFor(async () => (await database.query(`select count(distinct process)::int as n from worker_heartbeats`)).rows[0].n === 3, 'three workers')
}, 180_000)

afterAll(async () => {
  for (const c of clients) await c.dispose()
  const codes = await Promise.all(processes.map((p) => p.stop()))
  await notion?.close()
  await database?.drop()
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
  // Each stopped cleanly (storage, pools and listeners closed): exit code 0.
  expect(codes).toEqual(processes.map(() => 0))
})

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  const state = await database.query(`select (select json_agg(json_build_object('page', uuid, 'status', ocr_status, 'error', ocr_error)) from pages) as pages,
    (select json_agg(json_build_object('item', item_type, 'status', status, 'error', error_message)) from sync_records) as records,
    (select json_agg(json_build_object('task', t.identifier, 'attempts', j.attempts, 'error', j.last_error)) from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id) as jobs`)
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state.rows[0])}\n${processes.map((p) => p.output()).join('\n')}`)
}

async function post(baseUrl: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  })
  return res.json()
}

/** The agent's upload: a GraphQL multipart request. */
async function upload(baseUrl: string, pageUuid: string, bytes: Uint8Array): Promise<any> {
  const form = new FormData()
  const query = 'mutation($input: UploadPageInput!) { uploadPage(input: $input) { __typename ... on UploadPagePayload { outcome page { id } } } }'
  form.append('operations', JSON.stringify({ query, variables: { input: { notebookUuid: NOTEBOOK, pageUuid, file: null } } }))
  form.append('map', JSON.stringify({ 0: ['variables.input.file'] }))
  form.append('0', new Blob([Buffer.from(bytes)]), 'page.rm')
  const res = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${user.apiToken}` }, body: form })
  return res.json()
}

interface Watcher {
  /** Last status seen per page uuid, and per sync record id. */
  pages: Map<string, string>
  records: Map<string, string>
  events: number
}

async function watch(baseUrl: string): Promise<Watcher> {
  const watcher: Watcher = { pages: new Map(), records: new Map(), events: 0 }
  let connected!: () => void
  const ready = new Promise<void>((r) => (connected = r))
  const client = createClient({
    url: `${baseUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${user.session}` },
    retryAttempts: 0,
    on: { connected: () => connected() },
  })
  clients.push(client)
  const sink = (apply: (data: any) => void) => ({ next: (v: any) => (watcher.events++, apply(v.data)), error: (e: unknown) => void console.error(e), complete: () => {} })
  client.subscribe({ query: 'subscription { pageUpdated { uuid ocrStatus } }' }, sink((d) => watcher.pages.set(d.pageUpdated.uuid, d.pageUpdated.ocrStatus)))
  client.subscribe({ query: 'subscription { syncRecordUpdated { id itemType status } }' }, sink((d) => watcher.records.set(d.syncRecordUpdated.id, d.syncRecordUpdated.status)))
  await ready
  return watcher
}

describe('two servers and three workers on one database', () => {
  it('syncs a notebook uploaded through one server to Notion, live on both servers; the other serves its thumbnails', async () => {
    const [a, b] = servers
    // Connect Notion through server B, as a dashboard would.
    const { token } = notion.addIntegration({ name: 'rmirror' })
    const home = notion.createPage({ title: 'Home', shareWith: token })
    const target = notion.createDatabase({ parentId: home.id, title: 'reMarkable', properties: makeNotionDatabaseSchema() as any, shareWith: token })
    const connected = await post(b.url, user.session, 'mutation($input: ConnectIntegrationInput!) { connectIntegration(input: $input) { __typename } }', {
      input: { target: 'NOTION', notion: { token, databaseId: target.id, dataSourceId: target.dataSourceId } },
    })
    expect(connected).toEqual({ data: { connectIntegration: { __typename: 'Integration' } } })

    const watchers = [await watch(a.url), await watch(b.url)]

    // The notebook's metadata through server A. Its pages and its Notion record are news to both
    // subscriptions on both servers; sent again (pages in the other order, so there is news) until
    // every subscriber has heard them: then all four subscriptions are live, before any upload.
    const heardAll = () => watchers.every((w) => w.pages.size === 3 && w.records.size === 1)
    for (let attempt = 0; ; attempt++) {
      const pageUuids = attempt % 2 ? [...PAGES].reverse() : PAGES
      const metadata = await post(a.url, user.apiToken, 'mutation($input: SyncNotebookMetadataInput!) { syncNotebookMetadata(input: $input) { __typename } }', {
        input: { notebooks: [{ uuid: NOTEBOOK, visibleName: 'Fleet notebook', type: 'NOTEBOOK', pageUuids }] },
      })
      expect(metadata).toEqual({ data: { syncNotebookMetadata: { __typename: 'SyncNotebookMetadataPayload' } } })
      if (attempt % 2 === 0 && (await waitFor(heardAll, 'subscribers to hear the notebook', 2_000).then(() => true, () => false))) break
    }
    const uploads = await Promise.all(PAGES.map((uuid, i) => upload(a.url, uuid, makePage(`Machine page ${i + 1}`, `Task ${i + 1} on many machines`))))
    for (const u of uploads) expect(u.data.uploadPage).toMatchObject({ __typename: 'UploadPagePayload', outcome: 'STORED' })

    // Read by the workers, delivered to Notion: the notebook, 3 page texts and 3 todos.
    const synced = async () => (await database.query(`select count(*)::int as n from sync_records where status = 'success'`)).rows[0].n === 7
    await waitFor(synced, 'every item synced')
    const records = (await database.query(`select id, item_type from sync_records`)).rows
    expect(records.map((r) => r.item_type).sort()).toEqual(['notebook_metadata', 'page_text', 'page_text', 'page_text', 'todo', 'todo', 'todo'])
    const pageId = (await database.query(`select external_id from sync_records where item_type = 'notebook_metadata'`)).rows[0].external_id
    const lines = notion.pageTree(pageId).map((block) => `${block.type}: ${block.text}`)
    for (const i of [1, 2, 3]) {
      expect(lines).toContain(`paragraph: Machine page ${i}`)
      expect(lines).toContain(`to_do: Task ${i} on many machines`)
    }

    // Each server's subscriber heard every page and every sync record change, each ending where the
    // database ends. (Changes within one 15 ms batch reach a subscriber as their latest state.)
    const finalRecords = new Map(records.map((r) => [encodeGlobalID('SyncRecord', r.id), 'success']))
    const finalPages = new Map(PAGES.map((uuid) => [uuid, 'completed']))
    for (const watcher of watchers) {
      await waitFor(() => watcher.records.size === 7 && [...watcher.records.values()].every((s) => s === 'success') && [...watcher.pages.values()].filter((s) => s === 'completed').length === 3, `subscribers to see the final states (${JSON.stringify({ pages: [...watcher.pages], records: [...watcher.records], events: watcher.events })})`)
      expect(watcher.pages).toEqual(finalPages)
      expect(watcher.records).toEqual(finalRecords)
    }

    // The files live in the database: no server or worker wrote any to its own disk.
    expect((await database.query(`select count(*)::int as n from file_blobs`)).rows[0].n).toBe(3)
    for (const dir of dataDirs) expect(fs.existsSync(path.join(dir, 'files'))).toBe(false)

    // A thumbnail URL handed out by A is served by B, rendered from the file A stored.
    const pageNodeId = uploads[0].data.uploadPage.page.id
    const asked = await post(a.url, user.session, 'query($id: ID!) { node(id: $id) { ... on Page { thumbnailUrl(width: 200) } } }', { id: pageNodeId })
    const thumbnailUrl: string = asked.data.node.thumbnailUrl
    expect(thumbnailUrl).toMatch(/^\/files\/pages\/\d+\/thumbnail\.png\?/)
    const fromB = await fetch(`${b.url}${thumbnailUrl}`)
    expect(fromB.status).toBe(200)
    expect(fromB.headers.get('content-type')).toBe('image/png')
    const png = Buffer.from(await fromB.arrayBuffer())
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true)
    const fromA = Buffer.from(await (await fetch(`${a.url}${thumbnailUrl}`)).arrayBuffer())
    expect(fromA.equals(png)).toBe(true)
  }, 180_000)
})
