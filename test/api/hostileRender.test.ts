// A crafted page cannot freeze the server (issue 15 item 1): a valid page 100 × 20000 asked 1404 wide
// is drawn within the render bounds, in a render thread; /healthz answers on a database connection
// of its own even when every connection of the pool is held.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { BodyWriter, makeBlock, makeRmFile } from '../rm/rmWriter.ts'
import { readPngSize } from '../rm/pngSize.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'

/** A page whose SceneInfo block states a paper size of `width` × `height`. */
export function makeCraftedPage(width: number, height: number): Uint8Array {
  const body = new BodyWriter()
    .subblock(1, (w) => w.id(1, 1, 1).id(2, 0, 0))
    .subblock(5, (w) => w.u32(width).u32(height))
    .toBytes()
  return makeRmFile([makeBlock(0x0d, body)])
}

let app: TestApp
let alice: TestUser
beforeAll(async () => {
  app = await startTestApp({ db: { poolSize: 3 } })
  alice = await createTestUser(app.database.db, 'crafted@example.com')
})
afterAll(async () => {
  await app?.close()
})

async function postGraphql(query: string, variables: Record<string, unknown>, token = alice.apiToken): Promise<any> {
  const res = await app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })
  return res.json()
}

describe('a crafted page', () => {
  it('is drawn within the render bounds when asked at the widest thumbnail', async () => {
    await postGraphql('mutation($input: SyncNotebookMetadataInput!) { syncNotebookMetadata(input: $input) { __typename } }', {
      input: { notebooks: [{ uuid: 'crafted-nb', visibleName: 'Crafted', type: 'NOTEBOOK', pageUuids: ['crafted-page'] }] },
    })
    const form = new FormData()
    const query = 'mutation($input: UploadPageInput!) { uploadPage(input: $input) { __typename ... on UploadPagePayload { outcome } } }'
    form.append('operations', JSON.stringify({ query, variables: { input: { notebookUuid: 'crafted-nb', pageUuid: 'crafted-page', file: null } } }))
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }))
    form.append('0', new Blob([Buffer.from(makeCraftedPage(100, 20_000))]), 'page.rm')
    const uploaded = await (await app.fetch('/graphql', { method: 'POST', headers: { authorization: `Bearer ${alice.apiToken}` }, body: form })).json()
    expect(uploaded).toEqual({ data: { uploadPage: { __typename: 'UploadPagePayload', outcome: 'STORED' } } })

    const page = await app.database.db.page.findFirstOrThrow({ where: { uuid: 'crafted-page' } })
    const asked = await postGraphql('query($id: ID!) { node(id: $id) { ... on Page { thumbnailUrl(width: 1404) } } }', { id: encodeGlobalID('Page', page.id) }, alice.session)
    const url = asked.data?.node?.thumbnailUrl
    expect(url ?? JSON.stringify(asked)).toMatch(/thumbnail\.png/)
    const res = await app.fetch(url)
    expect(res.status).toBe(200)
    const size = readPngSize(new Uint8Array(await res.arrayBuffer()))
    // Before: 1404 × 280000 pixels (1.5 GB) drawn on the request thread.
    expect(size.width * size.height).toBeLessThanOrEqual(app.services.config.render.maxPixels)
    expect(size.height / size.width).toBeLessThanOrEqual(app.services.config.render.maxAspect + 0.05)
  })
})

describe('/healthz', () => {
  it('answers ok while every connection of the pool is held by slow requests', async () => {
    const holder = new pg.Client({ connectionString: app.database.url })
    await holder.connect()
    await holder.query('select pg_advisory_lock(4242)')
    // Three statements wait on the lock: the pool (3 connections) has none left.
    const waiting = Array.from({ length: 3 }, () => app.database.db.$queryRaw`select pg_advisory_lock_shared(4242)`.catch(() => undefined))
    try {
      await new Promise((resolve) => setTimeout(resolve, 300))
      const res = await app.fetch('/healthz')
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' })
    } finally {
      await holder.query('select pg_advisory_unlock(4242)')
      await holder.end()
      await Promise.all(waiting)
    }
  })
})
