import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { stateFilePath } from '../../agent/state.ts'
import { runUploadPass, type UploadPassOptions } from '../../agent/uploadPass.ts'
import {
  DELETED_PAGE_UUID,
  DEMO_NOTEBOOK_UUID,
  DEMO_PAGE_ORDER,
  HAS_DESKTOP_FIXTURE,
  WORK_FOLDER_UUID,
  demoPageFile,
  makeTempDirs,
  nameFixtureSuite,
  type TempDirs,
} from './desktopFixture.ts'
import { STUB_TOKEN, startGraphqlStub, type GraphqlStub } from './graphqlStub.ts'

const [PAGE_A, PAGE_B, PAGE_C] = DEMO_PAGE_ORDER

let stub: GraphqlStub
let dirs: TempDirs

async function startStub(options: Parameters<typeof startGraphqlStub>[0] = {}): Promise<void> {
  await stub?.close()
  stub = await startGraphqlStub(options)
}

function pass(extra: Partial<UploadPassOptions> = {}) {
  return runUploadPass({ folder: dirs.folder, url: stub.url, token: STUB_TOKEN, stateDir: dirs.stateDir, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...extra })
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const uploadedPageUuids = (from = 0) => stub.callsOf('UploadPage').slice(from).map((call) => call.variables.input.pageUuid)

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true })
  return entries.map(String).sort()
}

describe.skipIf(!HAS_DESKTOP_FIXTURE)(nameFixtureSuite('an upload pass of the desktop fixture'), () => {
  beforeEach(async () => {
    dirs = await makeTempDirs()
    await startStub()
  })
  afterEach(async () => {
    await stub.close()
    await dirs.remove()
  })

  it('sends metadata first (folder before notebook), then each page as a GraphQL multipart upload', async () => {
    const summary = await pass()
    expect(summary.aborted).toBeNull()
    expect(stub.calls.map((call) => call.operationName)).toEqual(['SyncNotebookMetadata', 'UploadPage', 'UploadPage', 'UploadPage'])

    const [work, demo] = stub.calls[0].variables.input.notebooks
    expect(work).toEqual({
      uuid: WORK_FOLDER_UUID,
      visibleName: 'Work',
      type: 'FOLDER',
      parentUuid: null,
      tags: [],
      lastModified: '2025-10-31T08:40:00.000Z',
      lastOpened: null,
      lastOpenedPage: null,
      pinned: false,
      deleted: false,
    })
    expect(demo).toEqual({
      uuid: DEMO_NOTEBOOK_UUID,
      visibleName: 'Demo notebook',
      type: 'NOTEBOOK',
      parentUuid: WORK_FOLDER_UUID,
      pageUuids: DEMO_PAGE_ORDER,
      tags: ['planning'],
      lastModified: '2025-11-24T16:00:00.000Z',
      lastOpened: '2025-11-24T16:00:00.000Z',
      lastOpenedPage: 1,
      pinned: false,
      deleted: false,
    })

    expect(uploadedPageUuids().sort()).toEqual([...DEMO_PAGE_ORDER].sort())
    expect(uploadedPageUuids()).not.toContain(DELETED_PAGE_UUID)
    let bytes = 0
    for (const call of stub.callsOf('UploadPage')) {
      const pageUuid = call.variables.input.pageUuid
      const onDisk = await readFile(demoPageFile(dirs.folder, pageUuid))
      bytes += onDisk.length
      expect(call.authorization).toBe(`Bearer ${STUB_TOKEN}`)
      expect(call.partNames).toEqual(['operations', 'map', '0'])
      expect(call.map).toEqual({ '0': ['variables.input.file'] })
      expect(call.variables.input).toEqual({ notebookUuid: DEMO_NOTEBOOK_UUID, pageUuid, file: null })
      expect(call.file).toMatchObject({ field: '0', filename: `${pageUuid}.rm`, contentType: 'application/octet-stream', sha256: sha256(onDisk) })
      expect(stub.notebooks.get(DEMO_NOTEBOOK_UUID)!.pages.get(pageUuid)).toBe(sha256(onDisk))
    }
    expect(summary).toMatchObject({ notebooks: 2, notebooksSynced: 2, pagesUploaded: 3, pagesUnchanged: 0, pagesFailed: [], bytes, transientFailures: 0 })
  })

  it('a second pass sends nothing at all, even after files are touched without change', async () => {
    await pass()
    const before = stub.calls.length
    const second = await pass()
    expect(stub.calls.length).toBe(before)
    expect(second).toMatchObject({ pagesUploaded: 0, pagesUnchanged: 3, notebooksSynced: 0, pagesFailed: [] })

    const later = new Date(Date.now() + 60_000)
    await utimes(demoPageFile(dirs.folder, PAGE_B), later, later) // new mtime, same bytes: hashed, not sent
    const third = await pass()
    expect(stub.calls.length).toBe(before)
    expect(third.pagesUnchanged).toBe(3)
  })

  it('a one-page edit uploads exactly that page, and nothing else', async () => {
    await pass()
    const before = stub.calls.length
    const edited = await readFile(demoPageFile(dirs.folder, PAGE_A)) // page A's bytes over page B: a valid, different page
    await writeFile(demoPageFile(dirs.folder, PAGE_B), edited)
    const summary = await pass()
    expect(stub.calls.slice(before).map((call) => call.operationName)).toEqual(['UploadPage'])
    expect(uploadedPageUuids(3)).toEqual([PAGE_B])
    expect(stub.notebooks.get(DEMO_NOTEBOOK_UUID)!.pages.get(PAGE_B)).toBe(sha256(edited))
    expect(summary).toMatchObject({ pagesUploaded: 1, pagesUnchanged: 2, bytes: edited.length })
  })

  it('a reordered notebook re-sends its metadata only', async () => {
    await pass()
    const before = stub.calls.length
    const contentFile = path.join(dirs.folder, `${DEMO_NOTEBOOK_UUID}.content`)
    const content = JSON.parse(await readFile(contentFile, 'utf8'))
    content.cPages.pages.find((p: { id: string }) => p.id === PAGE_C).idx.value = 'b0' // before "ba"
    await writeFile(contentFile, JSON.stringify(content))
    await pass()
    const calls = stub.calls.slice(before)
    expect(calls.map((call) => call.operationName)).toEqual(['SyncNotebookMetadata'])
    expect(calls[0].variables.input.notebooks.map((n: { uuid: string }) => n.uuid)).toEqual([DEMO_NOTEBOOK_UUID])
    expect(calls[0].variables.input.notebooks[0].pageUuids).toEqual([PAGE_C, PAGE_A, PAGE_B])
  })

  it('a corrupt and an oversized page are refused alone; the rest go through; they are not re-sent until they change', async () => {
    await startStub({ maxFileBytes: 10_000 }) // page C (21,855 bytes) is too large for this server
    const goodBytes = await readFile(demoPageFile(dirs.folder, PAGE_A))
    await writeFile(demoPageFile(dirs.folder, PAGE_A), 'this is not a page')
    const first = await pass()
    expect(first.aborted).toBeNull()
    expect(first.pagesUploaded).toBe(1)
    expect(stub.notebooks.get(DEMO_NOTEBOOK_UUID)!.pages.has(PAGE_B)).toBe(true)
    const reasons = Object.fromEntries(first.pagesFailed.map((f) => [path.basename(f.file, '.rm'), f.reason.split(':')[0]]))
    expect(reasons).toEqual({ [PAGE_A]: 'INVALID_FILE', [PAGE_C]: 'FILE_TOO_LARGE' })
    expect(first.transientFailures).toBe(0)

    const before = stub.calls.length
    const second = await pass()
    expect(stub.calls.length).toBe(before)
    expect(second.pagesFailed).toEqual([])
    expect(second.pagesSkipped.map((s) => path.basename(s.file, '.rm')).sort()).toEqual([PAGE_A, PAGE_C].sort())

    await writeFile(demoPageFile(dirs.folder, PAGE_A), goodBytes) // fixed: sent again
    const third = await pass()
    expect(uploadedPageUuids().slice(-1)).toEqual([PAGE_A])
    expect(third.pagesUploaded).toBe(1)
    expect(third.pagesSkipped.map((s) => path.basename(s.file, '.rm'))).toEqual([PAGE_C])
  })

  it('refuses a file over the size limit locally, without sending it', async () => {
    const summary = await pass({ maxFileBytes: 10_000 })
    expect(uploadedPageUuids().sort()).toEqual([PAGE_A, PAGE_B].sort())
    expect(summary.pagesFailed).toEqual([{ file: demoPageFile(dirs.folder, PAGE_C), reason: 'FILE_TOO_LARGE: 21.3 KB is over the 9.8 KB limit' }])
  })

  it('keeps its state outside the folder, keyed by folder and server; refuses a state dir inside the folder', async () => {
    const before = await listTree(dirs.folder)
    await pass()
    expect(await listTree(dirs.folder)).toEqual(before)
    const stateFile = stateFilePath(dirs.stateDir, dirs.folder, stub.url)
    const state = JSON.parse(await readFile(stateFile, 'utf8'))
    expect(state.pages[`${DEMO_NOTEBOOK_UUID}/${PAGE_A}`].sha256).toBe(sha256(await readFile(demoPageFile(dirs.folder, PAGE_A))))
    expect(stateFilePath(dirs.stateDir, dirs.folder, 'http://other.example')).not.toBe(stateFile)

    const calls = stub.calls.length
    const inside = await pass({ stateDir: path.join(dirs.folder, '.rmirror') })
    expect(inside.aborted?.code).toBe('STATE_INSIDE_FOLDER')
    expect(stub.calls.length).toBe(calls)
    await expect(stat(path.join(dirs.folder, '.rmirror'))).rejects.toThrow()
  })

  it('losing the state file costs one pass the server answers UNCHANGED, not duplicates', async () => {
    await pass()
    await rm(stateFilePath(dirs.stateDir, dirs.folder, stub.url))
    const summary = await pass()
    expect(summary).toMatchObject({ pagesUploaded: 0, pagesUnchanged: 3 })
    expect(stub.callsOf('UploadPage').slice(3).map((call) => call.answer)).toEqual(['UploadPagePayload', 'UploadPagePayload', 'UploadPagePayload'])
  })

  it('reports a notebook gone from the folder, or moved to the trash, with deleteNotebook exactly once', async () => {
    await pass()
    await rm(path.join(dirs.folder, `${DEMO_NOTEBOOK_UUID}.metadata`))
    const workFile = path.join(dirs.folder, `${WORK_FOLDER_UUID}.metadata`)
    await writeFile(workFile, JSON.stringify({ ...JSON.parse(await readFile(workFile, 'utf8')), parent: 'trash' }))
    const before = stub.calls.length
    const summary = await pass()
    expect(stub.calls.slice(before).map((call) => `${call.operationName} ${call.variables.input?.uuid}`).sort()).toEqual(
      [`DeleteNotebook ${DEMO_NOTEBOOK_UUID}`, `DeleteNotebook ${WORK_FOLDER_UUID}`].sort(),
    )
    expect(summary.notebooksDeleted).toBe(2)
    const again = stub.calls.length
    await pass()
    expect(stub.calls.length).toBe(again)
  })

  it('deletes nothing when the folder is suddenly empty (an unmounted disk, not a wiped library)', async () => {
    await pass()
    for (const name of await readdir(dirs.folder)) await rm(path.join(dirs.folder, name), { recursive: true })
    const logged: string[] = []
    const summary = await pass({ log: (line) => logged.push(line) })
    expect(stub.callsOf('DeleteNotebook')).toEqual([])
    expect(summary.notebooksDeleted).toBe(0)
    expect(logged.join('\n')).toContain('not deleting the 2')
  })

  it('sends metadata again when the server no longer knows a notebook, then its pages', async () => {
    await pass()
    stub.notebooks.clear() // e.g. deleted from the dashboard
    await writeFile(demoPageFile(dirs.folder, PAGE_B), await readFile(demoPageFile(dirs.folder, PAGE_A)))
    const before = stub.calls.length
    const summary = await pass()
    expect(stub.calls.slice(before).map((call) => `${call.operationName}:${call.answer}`)).toEqual([
      'UploadPage:NotFoundError',
      'SyncNotebookMetadata:SyncNotebookMetadataPayload',
      'UploadPage:UploadPagePayload',
    ])
    expect(summary).toMatchObject({ pagesUploaded: 1, pagesFailed: [] })
  })

  it('skips only the notebook whose metadata the server refuses', async () => {
    await writeFile(path.join(dirs.folder, 'nameless.metadata'), JSON.stringify({ visibleName: '', type: 'CollectionType', parent: '' }))
    const summary = await pass()
    expect(summary.problems.map((p) => [path.basename(p.file), p.reason.split(':').slice(0, 2).join(':')])).toEqual([['nameless.metadata', 'metadata not synced: INVALID_INPUT']])
    expect([...stub.notebooks.keys()].sort()).toEqual([WORK_FOLDER_UUID, DEMO_NOTEBOOK_UUID].sort())
    expect(summary.pagesUploaded).toBe(3)
  })

  it('does not split a batch refused as a whole (schema mismatch): one call, every notebook reported, no pages sent', async () => {
    stub.faults.push({ operationName: 'SyncNotebookMetadata', status: 400, body: { errors: [{ message: 'Unknown field "pinned"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] } })
    const summary = await pass()
    expect(stub.calls.map((call) => call.operationName)).toEqual(['SyncNotebookMetadata'])
    expect(summary.problems.map((p) => p.reason)).toEqual([
      'metadata not synced: GRAPHQL_VALIDATION_FAILED: Unknown field "pinned"',
      'metadata not synced: GRAPHQL_VALIDATION_FAILED: Unknown field "pinned"',
    ])
    expect(summary.pagesUploaded).toBe(0)
  })

  it('stops at once when the token is refused, keeping nothing as synced', async () => {
    const summary = await pass({ token: 'rmc_revoked' })
    expect(summary.aborted?.code).toBe('NOT_AUTHENTICATED')
    expect(stub.calls.map((call) => call.operationName)).toEqual(['SyncNotebookMetadata'])
    const state = JSON.parse(await readFile(stateFilePath(dirs.stateDir, dirs.folder, stub.url), 'utf8'))
    expect(state.notebooks).toEqual({})
  })

  it('waits out a 429 during uploads and finishes the pass', async () => {
    stub.faults.push({ operationName: 'UploadPage', status: 429, headers: { 'retry-after': '1' }, body: { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] } })
    const summary = await pass({ concurrency: 1 })
    expect(summary).toMatchObject({ pagesUploaded: 3, pagesFailed: [] })
    const uploads = stub.callsOf('UploadPage')
    expect(uploads.map((call) => call.answer)).toEqual(['HTTP 429', 'UploadPagePayload', 'UploadPagePayload', 'UploadPagePayload'])
    expect(uploads[1].at - uploads[0].at).toBeGreaterThanOrEqual(900)
  })

  it('reports pages it could not deliver after the retries as transient, and sends them on the next pass', async () => {
    for (let i = 0; i < 3; i++) stub.faults.push({ operationName: 'UploadPage', status: 503 })
    const first = await pass({ concurrency: 1, retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } })
    expect(first.pagesUploaded).toBe(2)
    expect(first.pagesFailed).toHaveLength(1)
    expect(first.pagesFailed[0].reason).toMatch(/^SERVER_ERROR: HTTP 503 \(gave up after 3 attempts\)/)
    expect(first.transientFailures).toBe(1)
    const second = await pass()
    expect(second).toMatchObject({ pagesUploaded: 1, pagesUnchanged: 2, pagesFailed: [] })
  })
})
