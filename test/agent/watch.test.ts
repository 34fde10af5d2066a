import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { PassSummary } from '../../agent/uploadPass.ts'
import { startWatch, type WatchHandle, type WatchOptions } from '../../agent/watch.ts'
import { DEMO_NOTEBOOK_UUID, DEMO_PAGE_ORDER, HAS_DESKTOP_FIXTURE, demoPageFile, makeTempDirs, nameFixtureSuite, type TempDirs } from './desktopFixture.ts'
import { STUB_TOKEN, startGraphqlStub, type GraphqlStub } from './graphqlStub.ts'

const NEW_PAGE = '4c5d6e7f-8091-4a23-9d4e-5f6a7b8c9d05'
const NEW_NOTEBOOK = '7e6d5c4b-3a29-4817-a6b5-c4d3e2f1a0b9'

let stub: GraphqlStub
let dirs: TempDirs
let handle: WatchHandle | null
let passes: PassSummary[]

beforeEach(async () => {
  stub = await startGraphqlStub()
  dirs = await makeTempDirs()
  handle = null
  passes = []
})
afterEach(async () => {
  await handle?.stop()
  await stub.close()
  await dirs.remove()
})

function watch(extra: Partial<WatchOptions> = {}): WatchHandle {
  handle = startWatch({
    folder: dirs.folder,
    url: stub.url,
    token: STUB_TOKEN,
    stateDir: dirs.stateDir,
    mode: 'poll',
    pollIntervalMs: 50,
    debounceMs: 100,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    onPass: (summary) => passes.push(summary),
    ...extra,
  })
  return handle
}

/** Waits for a condition; the deadline only turns a hang into a readable failure. */
async function waitFor(what: string, condition: () => boolean, deadlineMs = 15_000): Promise<void> {
  const until = Date.now() + deadlineMs
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function addPageToDemo(): Promise<void> {
  await writeFile(demoPageFile(dirs.folder, NEW_PAGE), await readFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[0])))
  const contentFile = path.join(dirs.folder, `${DEMO_NOTEBOOK_UUID}.content`)
  const content = JSON.parse(await readFile(contentFile, 'utf8'))
  content.cPages.pages.push({ id: NEW_PAGE, idx: { timestamp: '1:10', value: 'bd' } })
  await writeFile(contentFile, JSON.stringify(content))
}

describe.skipIf(!HAS_DESKTOP_FIXTURE)(nameFixtureSuite('agent watch'), () => {
  it('mirrors at start, then picks up a new page (polling), and stops cleanly', async () => {
    const h = watch()
    expect(h.mode).toBe('poll')
    await waitFor('the first pass', () => passes.length >= 1)
    expect(passes[0]).toMatchObject({ pagesUploaded: 3, notebooksSynced: 2 })
    const before = stub.calls.length

    await addPageToDemo()
    await waitFor('the new page', () => passes.some((p) => p.pagesUploaded === 1))
    const calls = stub.calls.slice(before)
    expect(calls.map((call) => call.operationName)).toEqual(['SyncNotebookMetadata', 'UploadPage'])
    expect(calls[0].variables.input.notebooks[0].pageUuids).toEqual([...DEMO_PAGE_ORDER, NEW_PAGE])
    expect(calls[1].variables.input.pageUuid).toBe(NEW_PAGE)

    await h.stop()
    expect(await h.done).toBeNull()
  })

  it('picks up an edit through file-system events', async () => {
    const h = watch({ mode: 'events' })
    expect(h.mode).toBe('events')
    await waitFor('the first pass', () => passes.length >= 1)
    await writeFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[1]), await readFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[0])))
    await waitFor('the edited page', () => stub.callsOf('UploadPage').length === 4)
    expect(stub.callsOf('UploadPage')[3].variables.input.pageUuid).toBe(DEMO_PAGE_ORDER[1])
  })

  it('copes with a notebook written in several steps: metadata first, then content and page', async () => {
    watch()
    await waitFor('the first pass', () => passes.length >= 1)

    await writeFile(path.join(dirs.folder, `${NEW_NOTEBOOK}.metadata`), JSON.stringify({ visibleName: 'Fresh', type: 'DocumentType', parent: '', lastModified: '1764000000000' }))
    await waitFor('a pass that sees the half-written notebook', () => passes.some((p) => p.problems.some((problem) => problem.file.endsWith(`${NEW_NOTEBOOK}.content`))))
    expect(stub.notebooks.has(NEW_NOTEBOOK)).toBe(false)

    await mkdir(path.join(dirs.folder, NEW_NOTEBOOK))
    await writeFile(path.join(dirs.folder, NEW_NOTEBOOK, `${NEW_PAGE}.rm`), await readFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[1])))
    await writeFile(path.join(dirs.folder, `${NEW_NOTEBOOK}.content`), JSON.stringify({ fileType: 'notebook', cPages: { pages: [{ id: NEW_PAGE, idx: { value: 'ba' } }] } }))
    await waitFor('the finished notebook', () => stub.notebooks.get(NEW_NOTEBOOK)?.pages.has(NEW_PAGE) === true)
    expect(stub.notebooks.get(NEW_NOTEBOOK)!.input).toMatchObject({ visibleName: 'Fresh', type: 'NOTEBOOK', pageUuids: [NEW_PAGE] })
  })

  it('stops by itself when the token is refused, saying why', async () => {
    const logged: string[] = []
    const h = watch({ token: 'rmc_revoked', log: (line) => logged.push(line) })
    const reason = await h.done
    expect(reason?.code).toBe('NOT_AUTHENTICATED')
    expect(logged.join('\n')).toContain('run `agent login` again')
  })
})
