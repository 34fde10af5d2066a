// The desktop agent against the real server: ../shared/fixtures/remarkable-desktop mirrored into the
// service through the upload API, then edited, then broken in places.
import { createHash } from 'node:crypto'
import { readFile, writeFile, copyFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { runUploadPass } from '../../agent/uploadPass.ts'
import {
  DEMO_NOTEBOOK_UUID, DEMO_PAGE_ORDER, DELETED_PAGE_UUID, HAS_DESKTOP_FIXTURE, WORK_FOLDER_UUID, demoPageFile, makeTempDirs, nameFixtureSuite, type TempDirs,
} from '../agent/desktopFixture.ts'
import { FILE_STORAGE_KINDS, startFileStorageBackend, type FileStorageBackend } from '../helpers/fileStorageBackends.ts'
import type { FileStorageKind } from '../../server/config.ts'

let app: TestApp
let user: TestUser
let dirs: TempDirs
let backend: FileStorageBackend

/** A server whose page files live in `kind` storage, and a fresh copy of the desktop folder. */
async function setUp(kind: FileStorageKind): Promise<void> {
  backend = await startFileStorageBackend(kind)
  app = await startTestApp({ env: { UPLOAD_MAX_BYTES: '100000', ...backend.env } })
  expect(app.services.storage.kind).toBe(kind)
  user = await createTestUser(app.database.db, 'agent-user@example.com')
  dirs = await makeTempDirs()
}

async function tearDown(): Promise<void> {
  await app?.close()
  await dirs?.remove()
  await backend?.close()
}

const pass = () => runUploadPass({ folder: dirs.folder, url: app.url, token: user.apiToken, stateDir: dirs.stateDir, concurrency: 2 })
const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex')

async function jobs() {
  const r = await app.database.query(`select t.identifier, j.key, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id order by j.id`)
  return r.rows as { identifier: string; key: string; payload: { pageId: number } }[]
}

describe.skipIf(!HAS_DESKTOP_FIXTURE).each(FILE_STORAGE_KINDS)(nameFixtureSuite('agent upload into a real server (%s file storage)'), (kind) => {
  beforeAll(() => setUp(kind))
  afterAll(tearDown)

  it('mirrors the folder: the folder, the notebook in it, page order without the deleted page, stored hashes, one extraction job per page', async () => {
    const summary = await pass()
    expect(summary).toMatchObject({ pagesUploaded: 3, pagesFailed: [], aborted: null })
    const db = app.database.db
    const folder = await db.notebook.findUniqueOrThrow({ where: { userId_uuid: { userId: user.id, uuid: WORK_FOLDER_UUID } } })
    expect(folder).toMatchObject({ type: 'FOLDER', visibleName: 'Work', folderPath: '', parentUuid: null })
    const nb = await db.notebook.findUniqueOrThrow({ where: { userId_uuid: { userId: user.id, uuid: DEMO_NOTEBOOK_UUID } } })
    expect(nb).toMatchObject({ type: 'NOTEBOOK', visibleName: 'Demo notebook', folderPath: 'Work', parentUuid: WORK_FOLDER_UUID, tags: ['planning'] })
    expect(nb.lastModified?.toISOString()).toBe('2025-11-24T16:00:00.000Z')
    const pages = await db.page.findMany({ where: { notebookId: nb.id }, include: { notebookPage: true } })
    const ordered = pages.filter((p) => p.notebookPage).sort((a, b) => a.notebookPage!.pageNumber - b.notebookPage!.pageNumber)
    expect(ordered.map((p) => p.uuid)).toEqual(DEMO_PAGE_ORDER)
    expect(ordered.map((p) => p.notebookPage!.pageNumber)).toEqual([1, 2, 3])
    expect(pages.map((p) => p.uuid)).not.toContain(DELETED_PAGE_UUID)
    for (const p of ordered) {
      expect(p.fileSha256).toBe(await sha256(demoPageFile(dirs.folder, p.uuid)))
      expect(p.ocrStatus).toBe('pending')
      const stored = await app.services.storage.get(p.fileSha256!)
      expect(stored && createHash('sha256').update(stored).digest('hex')).toBe(p.fileSha256)
    }
    const queued = await jobs()
    expect(queued.map((j) => j.identifier)).toEqual(['extract_page', 'extract_page', 'extract_page'])
    expect(queued.map((j) => j.payload.pageId).sort()).toEqual(ordered.map((p) => p.id).sort())
  })

  it('a second pass uploads nothing and queues nothing', async () => {
    const before = await jobs()
    const summary = await pass()
    expect(summary).toMatchObject({ pagesUploaded: 0, pagesFailed: [] })
    expect(await jobs()).toEqual(before)
  })

  it('the same bytes sent again are a no-op the result says so', async () => {
    const file = demoPageFile(dirs.folder, DEMO_PAGE_ORDER[1])
    const form = new FormData()
    form.append('operations', JSON.stringify({ query: 'mutation($input: UploadPageInput!) { uploadPage(input: $input) { __typename ... on UploadPagePayload { outcome } } }', variables: { input: { notebookUuid: DEMO_NOTEBOOK_UUID, pageUuid: DEMO_PAGE_ORDER[1], file: null } } }))
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }))
    form.append('0', new Blob([await readFile(file)]), 'page.rm')
    const res = await app.fetch('/graphql', { method: 'POST', headers: { authorization: `Bearer ${user.apiToken}` }, body: form })
    expect(await res.json()).toEqual({ data: { uploadPage: { __typename: 'UploadPagePayload', outcome: 'UNCHANGED' } } })
  })

  it('a one-page edit uploads that page alone, and replaces its pending extraction job', async () => {
    const target = demoPageFile(dirs.folder, DEMO_PAGE_ORDER[1])
    await copyFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[0]), target + '.tmp')
    const bytes = await readFile(target + '.tmp')
    await writeFile(target, Buffer.concat([bytes, Buffer.from([0])]).subarray(0, bytes.length)) // same size, other bytes
    const summary = await pass()
    expect(summary).toMatchObject({ pagesUploaded: 1, pagesFailed: [] })
    const page = await app.database.db.page.findFirstOrThrow({ where: { uuid: DEMO_PAGE_ORDER[1] } })
    expect(page.fileSha256).toBe(await sha256(target))
    const queued = await jobs()
    expect(queued.filter((j) => j.payload.pageId === page.id)).toHaveLength(1)
  })

  it('refuses a corrupt file and an oversized one alone, storing nothing, while the rest continues', async () => {
    const corrupt = demoPageFile(dirs.folder, DEMO_PAGE_ORDER[0])
    const oversized = demoPageFile(dirs.folder, DEMO_PAGE_ORDER[2])
    const before = await app.database.db.page.findMany({ where: { uuid: { in: [DEMO_PAGE_ORDER[0], DEMO_PAGE_ORDER[2]] } }, orderBy: { id: 'asc' } })
    await writeFile(corrupt, Buffer.from('this is not a reMarkable file at all'))
    const header = (await readFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[1]))).subarray(0, 43)
    await writeFile(oversized, Buffer.concat([header, Buffer.alloc(150_000, 1)]))
    // And a new page elsewhere, which must still go through.
    const content = path.join(dirs.folder, `${DEMO_NOTEBOOK_UUID}.content`)
    const json = JSON.parse(await readFile(content, 'utf8'))
    json.cPages.pages.push({ id: 'aaaaaaaa-0000-4000-8000-000000000001', idx: { timestamp: '1:9', value: 'bd' } })
    await writeFile(content, JSON.stringify(json))
    await copyFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[1]), demoPageFile(dirs.folder, 'aaaaaaaa-0000-4000-8000-000000000001'))

    const summary = await pass()
    expect(summary.pagesUploaded).toBe(1)
    const reasons = Object.fromEntries(summary.pagesFailed.map((f) => [path.basename(f.file, '.rm'), f.reason]))
    expect(reasons[DEMO_PAGE_ORDER[0]]).toMatch(/INVALID_FILE|not a reMarkable/i)
    expect(reasons[DEMO_PAGE_ORDER[2]]).toMatch(/FILE_TOO_LARGE|too large|at most/i)
    const after = await app.database.db.page.findMany({ where: { uuid: { in: [DEMO_PAGE_ORDER[0], DEMO_PAGE_ORDER[2]] } }, orderBy: { id: 'asc' } })
    expect(after.map((p) => p.fileSha256)).toEqual(before.map((p) => p.fileSha256))
    const added = await app.database.db.page.findFirstOrThrow({ where: { uuid: 'aaaaaaaa-0000-4000-8000-000000000001' }, include: { notebookPage: true } })
    expect(added.notebookPage?.pageNumber).toBe(4)
    expect(added.fileSha256).not.toBeNull()
  })

  it('deleting a notebook removes it, its pages and unreferenced files, and leaves a tombstone', async () => {
    const nb = await app.database.db.notebook.findFirstOrThrow({ where: { uuid: DEMO_NOTEBOOK_UUID } })
    const hashes = (await app.database.db.page.findMany({ where: { notebookId: nb.id } })).map((p) => p.fileSha256).filter(Boolean) as string[]
    const res = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.apiToken}` },
      body: JSON.stringify({ query: `mutation { deleteNotebook(input: { uuid: "${DEMO_NOTEBOOK_UUID}" }) { __typename ... on DeleteNotebookPayload { uuid } } }` }),
    })
    expect(await res.json()).toEqual({ data: { deleteNotebook: { __typename: 'DeleteNotebookPayload', uuid: DEMO_NOTEBOOK_UUID } } })
    expect(await app.database.db.page.count({ where: { notebookId: nb.id } })).toBe(0)
    for (const h of hashes) expect(await app.services.storage.get(h)).toBeNull()
    const tomb = await app.database.db.notebookTombstone.findMany({ where: { userId: user.id } })
    expect(tomb).toEqual([expect.objectContaining({ notebookUuid: DEMO_NOTEBOOK_UUID, visibleName: 'Demo notebook' })])
    // Idempotent: a second delete (an agent retrying) is a clean NOT_FOUND.
    const again = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.apiToken}` },
      body: JSON.stringify({ query: `mutation { deleteNotebook(input: { uuid: "${DEMO_NOTEBOOK_UUID}" }) { __typename ... on Error { code } } }` }),
    })
    expect(await again.json()).toEqual({ data: { deleteNotebook: { __typename: 'NotFoundError', code: 'NOT_FOUND' } } })
  })
})
