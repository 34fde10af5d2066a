// From page to text, todos and highlights, queued for sync the moment text is ready: the real worker
// over uploads made through the library functions the upload API uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { startWorker, type StartedWorker } from '../../worker/startWorker.ts'
import { quietLogger } from '../helpers/config.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { uploadPage } from '../../server/library/uploadPage.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, readRmFixture } from '../rm/fixturePaths.ts'
import { HANDWRITING_NEEDS_PROVIDER } from '../../server/extraction/extractPage.ts'
import { FILE_STORAGE_KINDS, startFileStorageBackend, type FileStorageBackend } from '../helpers/fileStorageBackends.ts'
import type { FileStorageKind } from '../../server/config.ts'

const NB = 'nb-extract'
const PAGES = ['page-checkbox', 'page-plain', 'page-pdf', 'page-strokes']
const FILES = ['Checkbox_styles.rm', 'Normal_AB.rm', 'Wikipedia_highlighted_p1.rm', 'Normal_A_stroke_2_layers.rm']

let app: TestApp
let user: TestUser
let worker: StartedWorker
let integrationId: number
let backend: FileStorageBackend

/** A server and a worker (in this process) sharing `kind` file storage, as separate machines would. */
async function setUp(kind: FileStorageKind): Promise<void> {
  backend = await startFileStorageBackend(kind)
  app = await startTestApp({ env: backend.env })
  user = await createTestUser(app.database.db, 'extract@example.com')
  integrationId = (await app.database.db.integrationConfig.create({ data: { userId: user.id, targetName: 'notion', configEncrypted: 'not-read-here' } })).id
  await syncNotebookMetadata(app.database.db, user.id, [{ uuid: NB, visibleName: 'Extraction', type: 'NOTEBOOK', pageUuids: PAGES }])
  worker = await startWorker(app.services.config, app.database.url, quietLogger, { pollInterval: 100, onlyTasks: ['extract_page'] })
}

async function tearDown(): Promise<void> {
  await worker?.stop()
  await app?.close()
  await backend?.close()
}

const db = () => app.database.db
const upload = (pageUuid: string, bytes: Uint8Array) => uploadPage(db(), app.services.storage, user.id, { notebookUuid: NB, pageUuid, bytes }, 20 * 1024 * 1024)

async function waitForPages(done: (status: string) => boolean, uuids = PAGES) {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const pages = await db().page.findMany({ where: { uuid: { in: uuids } } })
    if (pages.length === uuids.length && pages.every((p) => done(p.ocrStatus))) return pages
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('pages were not read in time')
}

const settled = (s: string) => s === 'completed' || s === 'skipped' || s === 'failed'

async function pendingSync() {
  const rows = await db().syncRecord.findMany({ where: { userId: user.id, status: 'pending' }, orderBy: [{ itemType: 'asc' }, { pageNumber: 'asc' }, { id: 'asc' }] })
  return rows.map((r) => `${r.itemType}:${r.removedAt ? 'removed' : 'live'}:${r.pageNumber ?? '-'}`)
}

async function syncJobs() {
  const r = await app.database.query(`select j.key from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'sync_notebook'`)
  return r.rows.map((x) => x.key)
}

async function markAllSynced() {
  await db().syncRecord.updateMany({ where: { userId: user.id }, data: { status: 'success' } })
  await app.database.query(`delete from graphile_worker._private_jobs where task_id = (select id from graphile_worker._private_tasks where identifier = 'sync_notebook')`)
}

describe.skipIf(!HAS_RM_FIXTURES).each(FILE_STORAGE_KINDS)(HAS_RM_FIXTURES ? 'text extraction (%s file storage)' : `text extraction (skipped: ${MISSING_FIXTURES_REASON})`, (kind) => {
  beforeAll(() => setUp(kind))
  afterAll(tearDown)

  it('reads typed text as Markdown, todos and highlights, and queues every item for sync in one job', async () => {
    for (const [i, uuid] of PAGES.entries()) await upload(uuid, readRmFixture(FILES[i]))
    const pages = await waitForPages(settled)
    const byUuid = Object.fromEntries(pages.map((p) => [p.uuid, p]))
    expect(byUuid['page-checkbox']).toMatchObject({
      ocrStatus: 'completed',
      ocrError: null,
      ocrText: '## Shared checklist\n\n- [ ] Open item\n- [x] Done item\n- A bullet\n  - A sub bullet\n\n**Bold paragraph**\n\nPlain paragraph',
    })
    expect(byUuid['page-plain']).toMatchObject({ ocrStatus: 'completed', ocrText: 'AB' })
    // Handwriting without a provider: the typed text flows on, the page says why it is not complete.
    expect(byUuid['page-strokes']).toMatchObject({ ocrStatus: 'skipped', ocrError: HANDWRITING_NEEDS_PROVIDER, ocrText: 'A', hasHandwriting: true })
    for (const p of pages) expect(p.textFileSha256).toBe(p.fileSha256)

    const todos = await db().todo.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } })
    expect(todos.map((t) => [t.text, t.completed, t.pageNumber, t.removedAt])).toEqual([
      ['Open item', false, 1, null],
      ['Done item', true, 1, null],
    ])
    const highlights = await db().highlight.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } })
    expect(highlights.map((h) => [h.originalText, h.color, h.pageNumber, h.sourceFile])).toEqual([
      ['The reMarkable uses electronic paper', 'yellow', 3, `${NB}/page-pdf`],
      ['ReMarkable uses its own operating system, named Codex.', 'yellow', 3, `${NB}/page-pdf`],
      ['Codex is based on Linux and optimized for electronic paper', 'yellow', 3, `${NB}/page-pdf`],
      ['display technology.[13]', 'yellow', 3, `${NB}/page-pdf`],
    ])
    // The notebook's metadata, 4 page texts (the PDF page has none of its own: empty text), 2 todos, 4 highlights.
    expect(await pendingSync()).toEqual([
      'highlight:live:3', 'highlight:live:3', 'highlight:live:3', 'highlight:live:3',
      'notebook_metadata:live:-',
      'page_text:live:1', 'page_text:live:2', 'page_text:live:3', 'page_text:live:4',
      'todo:live:1', 'todo:live:1',
    ])
    const nb = await db().notebook.findFirstOrThrow({ where: { uuid: NB } })
    expect(await syncJobs()).toEqual([`sync_notebook:${integrationId}:${nb.id}`])
  })

  it('an identical upload makes no extraction and queues nothing', async () => {
    await markAllSynced()
    const r = await upload('page-checkbox', readRmFixture('Checkbox_styles.rm'))
    expect(r.outcome).toBe('UNCHANGED')
    const extractJobs = await app.database.query(`select count(*)::int as n from graphile_worker._private_jobs`)
    expect(extractJobs.rows[0].n).toBe(0)
    expect(await pendingSync()).toEqual([])
  })

  it('a changed page queues exactly its changed items', async () => {
    await markAllSynced()
    // Page 2 becomes another typed page: its text changes; nothing else.
    await upload('page-plain', readRmFixture('Bold_Heading_Bullet_Normal.rm'))
    await waitForPages((s) => s === 'completed', ['page-plain'])
    await new Promise((r) => setTimeout(r, 300))
    expect(await pendingSync()).toEqual(['page_text:live:2'])
    // Page 1 loses its checklist: its text changes and both todos are removed.
    await markAllSynced()
    await upload('page-checkbox', readRmFixture('Normal_AB.rm'))
    await waitForPages((s) => s === 'completed', ['page-checkbox'])
    await new Promise((r) => setTimeout(r, 300))
    expect(await pendingSync()).toEqual(['page_text:live:1', 'todo:removed:1', 'todo:removed:1'])
    expect(await db().todo.count({ where: { userId: user.id, removedAt: null } })).toBe(0)
  })

  it('a page whose v6 file does not parse fails alone, with the reason', async () => {
    const good = readRmFixture('Normal_AB.rm')
    const broken = new Uint8Array([...good.subarray(0, 43), 0xff, 0xff, 0xff, 0x7f, 1, 2, 3])
    await upload('page-plain', broken)
    const [page] = await waitForPages((s) => s === 'failed', ['page-plain'])
    expect(page.ocrError).toMatch(/^Could not read the page file: /)
    // The last good text stays, and the other pages are untouched.
    expect(page.ocrText).toContain('B is a letter of the alphabet')
    const others = await db().page.findMany({ where: { uuid: { in: ['page-checkbox', 'page-pdf'] } } })
    expect(others.map((p) => p.ocrStatus).sort()).toEqual(['completed', 'completed'])
    // The same bytes again retry a failed page.
    expect((await upload('page-plain', broken)).outcome).toBe('RETRIED')
  })
})
