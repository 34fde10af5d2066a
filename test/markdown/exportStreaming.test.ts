// The library export is pulled by its reader: a batch of notebooks is read only when the previous
// one has been written, so a slow client holds back the reading (memory stays at one batch), and a
// client that goes away stops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { EXPORT_BATCH_SIZE, streamLibraryExport } from '../../server/markdown/exportLibrary.ts'
import { graphql } from '../gql/index.ts'
import { readZip } from './readZip.ts'

const ExportUrl = graphql(`query StreamingExportUrl { viewer { libraryExportUrl { ... on LibraryExport { url } } } }`)

const NOTEBOOKS = EXPORT_BATCH_SIZE * 4
const statements: string[] = []
let app: TestApp
let user: TestUser

beforeAll(async () => {
  app = await startTestApp({ db: { onQuery: (sql) => statements.push(sql) } })
  user = await createTestUser(app.database.db, 'export@example.com', ['read'])
  const db = app.database.db
  await db.$executeRaw`
    insert into notebooks (user_id, uuid, visible_name, type, updated_at)
    select ${user.id}, 'nb-' || n, 'Notebook ' || n, 'NOTEBOOK', now() from generate_series(1, ${NOTEBOOKS}) n`
  await db.$executeRaw`
    insert into pages (user_id, notebook_id, notebook_uuid, uuid, ocr_status, ocr_text, updated_at)
    select ${user.id}, id, uuid, uuid || '-p', 'completed', 'Text of ' || visible_name, now() from notebooks where user_id = ${user.id}`
  await db.$executeRaw`insert into notebook_pages (notebook_id, page_id, page_number) select notebook_id, id, 1 from pages where user_id = ${user.id}`
})
afterAll(async () => {
  await app?.close()
})

const batchesRead = () => statements.filter((s) => s.includes('json_agg')).length

describe('streamLibraryExport', () => {
  it('reads the next batch only once the previous one is written', async () => {
    statements.length = 0
    let release: () => void = () => {}
    const stalled = new Promise<void>((resolve) => (release = resolve))
    let chunks = 0
    const exporting = streamLibraryExport(app.database.db, user.id, async () => {
      if (++chunks === 1) await stalled // the client stops reading after the first chunk
    })
    await new Promise((r) => setTimeout(r, 300))
    expect(batchesRead()).toBe(1)
    release()
    expect(await exporting).toMatchObject({ files: NOTEBOOKS })
    expect(batchesRead()).toBe(4)
  })

  it('stops when the client goes away', async () => {
    statements.length = 0
    const gone = new AbortController()
    const exporting = streamLibraryExport(app.database.db, user.id, async () => gone.abort(new Error('client left')), { signal: gone.signal })
    await expect(exporting).rejects.toThrow('client left')
    expect(batchesRead()).toBe(1)
  })

  it('over HTTP: a download dropped half-way leaves the server serving the next one whole', async () => {
    const url = async () => ((await app.gql(ExportUrl, {}, user.apiToken)).data!.viewer!.libraryExportUrl as { url: string }).url
    const dropped = new AbortController()
    const res = await app.fetch(await url(), { signal: dropped.signal })
    const reader = res.body!.getReader()
    await reader.read()
    dropped.abort()
    await reader.cancel().catch(() => {})
    const whole = await app.fetch(await url())
    expect(readZip(Buffer.from(await whole.arrayBuffer()))).toHaveLength(NOTEBOOKS)
  })
})
