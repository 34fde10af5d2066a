// One pass over the folder: metadata first, then the pages whose bytes changed since the last
// successful upload, then the deletions. Each bad file is reported and skipped; the rest go on.
import type { Stats } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { createApiClient, isAuthError, type ApiClient, type ApiError } from './api.ts'
import { DEFAULT_MAX_FILE_BYTES, hashBytes, makePageKey, makePageRecord, planPageUploads, type PageCandidate } from './planPageUploads.ts'
import type { ProgressSink } from './progress.ts'
import { readLibrary, type FileProblem, type Library, type LibraryItem } from './readLibrary.ts'
import type { RetryOptions } from './retryPolicy.ts'
import { runPool } from './runPool.ts'
import { openStateStore, type AgentState, type StateStore } from './state.ts'
import { syncChangedMetadata } from './syncMetadata.ts'

export interface UploadPassOptions {
  folder: string
  /** The service's base URL (the agent posts to `${url}/graphql`). */
  url: string
  token: string
  /** Where the state file goes (config.ts resolveStateDir() for the real agent); never inside `folder`. */
  stateDir: string
  /** Uploads in flight at once (default 4). */
  concurrency?: number
  log?: (line: string) => void
  progress?: ProgressSink
  retry?: Partial<RetryOptions>
  requestTimeoutMs?: number
  /** Files above this are refused without sending (default 20 MB, the server's limit). */
  maxFileBytes?: number
  signal?: AbortSignal
}

export interface PassSummary {
  /** Live notebooks and folders read from the folder. */
  notebooks: number
  notebooksSynced: number
  notebooksDeleted: number
  /** Stored by the server (outcome STORED or RETRIED). */
  pagesUploaded: number
  /** Same bytes as the last upload (not sent), or sent and answered UNCHANGED. */
  pagesUnchanged: number
  /** Refused or failed in this pass. */
  pagesFailed: FileProblem[]
  /** Refused in an earlier pass, bytes unchanged since: not sent again. */
  pagesSkipped: FileProblem[]
  /** Files that could not be read, metadata the server refused, deletions not reported. */
  problems: FileProblem[]
  bytes: number
  seconds: number
  /** Failures another pass may fix without any change to the folder (network, server, notebook unknown). */
  transientFailures: number
  /** Why the pass stopped early (token refused, state locked, folder missing…), else null. */
  aborted: ApiError | null
}

// Refusals of the bytes themselves: the same bytes would be refused again, so they are remembered and
// not re-sent until they change. Other refusals (e.g. INVALID_INPUT) are tried again on the next pass.
const REFUSED_BYTES_ERRORS = new Set(['INVALID_FILE', 'FILE_TOO_LARGE'])
// Refusals about the request, not the connection: a later pass without a change would meet them again.
const REQUEST_ERRORS = new Set(['INVALID_INPUT', 'VALIDATION_ERROR', 'NOT_ALLOWED', 'CONFLICT'])

export function makeEmptySummary(): PassSummary {
  return { notebooks: 0, notebooksSynced: 0, notebooksDeleted: 0, pagesUploaded: 0, pagesUnchanged: 0, pagesFailed: [], pagesSkipped: [], problems: [], bytes: 0, seconds: 0, transientFailures: 0, aborted: null }
}

export async function runUploadPass(options: UploadPassOptions): Promise<PassSummary> {
  const startedAt = performance.now()
  const summary = makeEmptySummary()
  const finish = () => ({ ...summary, seconds: (performance.now() - startedAt) / 1000 })
  const log = options.log ?? (() => {})
  const folder = path.resolve(options.folder)
  const stateDir = path.resolve(options.stateDir)

  const folderError = await checkFolder(folder, stateDir)
  if (folderError) {
    summary.aborted = folderError
    return finish()
  }
  const opened = await openStateStore(stateDir, folder, options.url)
  if (!opened.ok) {
    summary.aborted = { code: opened.code, message: opened.message }
    return finish()
  }
  for (const warning of opened.warnings) log(`warning: ${warning}`)
  const store = opened.store
  try {
    const api = createApiClient({
      url: options.url,
      token: options.token,
      retry: options.retry,
      requestTimeoutMs: options.requestTimeoutMs,
      signal: options.signal,
      onRetry: ({ operation, attempt, delayMs, reason }) => log(`retrying ${operation} in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt} failed: ${reason})`),
    })
    await runPassSteps({ api, store, folder, options, summary, log })
  } finally {
    await store.close()
  }
  return finish()
}

interface PassContext {
  api: ApiClient
  store: StateStore
  folder: string
  options: UploadPassOptions
  summary: PassSummary
  log: (line: string) => void
}

async function runPassSteps(ctx: PassContext): Promise<void> {
  const { api, store, folder, summary, log } = ctx
  const state = store.state
  const library = await readLibrary(folder)
  for (const warning of library.warnings) log(`warning: ${warning.file}: ${warning.reason}`)
  for (const problem of library.problems) log(`skipped ${problem.file}: ${problem.reason}`)
  summary.problems.push(...library.problems)
  const live = library.items.filter((item) => !item.deleted)
  summary.notebooks = live.length
  for (const item of live) delete state.deleted[item.uuid] // back from the trash: mirrored again

  const metadata = await syncChangedMetadata(api, state, folder, live, { onSaved: () => store.saveSoon() })
  summary.notebooksSynced += metadata.synced
  summary.transientFailures += metadata.transientFailures
  reportProblems(ctx, metadata.problems)
  if (metadata.fatal) return abort(ctx, metadata.fatal)

  // Only notebooks the server knows can take pages; the others wait for their metadata to go through.
  const documents = live.filter((item) => item.type !== 'FOLDER' && state.notebooks[item.uuid])
  forgetRemovedPages(state, documents)
  const plan = await planPageUploads(folder, documents, state, ctx.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)
  summary.pagesUnchanged += plan.unchanged
  summary.pagesSkipped.push(...plan.skipped)
  for (const failure of plan.failed) log(`refused ${failure.file}: ${failure.reason}`)
  summary.pagesFailed.push(...plan.failed)
  if (plan.failed.length) store.saveSoon()

  const unknownNotebooks = await uploadPages(ctx, plan.uploads)
  if (summary.aborted) return
  if (unknownNotebooks.size > 0) {
    // The server lost track of these notebooks (deleted from the dashboard?): send their metadata again, then their pages.
    const retried = plan.uploads.filter((page) => unknownNotebooks.has(page.notebookUuid))
    for (const uuid of unknownNotebooks) delete state.notebooks[uuid]
    const again = await syncChangedMetadata(api, state, folder, live.filter((item) => unknownNotebooks.has(item.uuid)), { onSaved: () => store.saveSoon() })
    summary.notebooksSynced += again.synced
    summary.transientFailures += again.transientFailures
    reportProblems(ctx, again.problems)
    if (again.fatal) return abort(ctx, again.fatal)
    const stillUnknown = await uploadPages(ctx, retried.filter((page) => state.notebooks[page.notebookUuid]))
    for (const page of retried.filter((p) => stillUnknown.has(p.notebookUuid) || !state.notebooks[p.notebookUuid])) {
      failPage(ctx, page, 'NOT_FOUND: the server does not know this notebook')
      summary.transientFailures++
    }
  }
  if (summary.aborted) return
  await reportDeletions(ctx, library)
}

/** Returns the notebooks the server answered NOT_FOUND for. */
async function uploadPages(ctx: PassContext, pages: PageCandidate[]): Promise<Set<string>> {
  const { api, store, summary, options } = ctx
  const state = store.state
  const unknownNotebooks = new Set<string>()
  const progress = options.progress
  progress?.begin(pages.length, pages.reduce((sum, page) => sum + page.size, 0))
  await runPool(
    pages,
    options.concurrency ?? 4,
    async (page) => {
      const read = await readPage(page, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)
      if (!read.ok) {
        failPage(ctx, page, read.reason)
        summary.transientFailures++
        progress?.advance({ label: page.label, bytes: 0, outcome: 'failed' })
        return
      }
      const { bytes, stats } = read
      const sha256 = hashBytes(bytes)
      const result = await api.uploadPage({ notebookUuid: page.notebookUuid, pageUuid: page.pageUuid, bytes })
      if (result.ok) {
        state.pages[page.key] = makePageRecord(sha256, stats)
        delete state.rejected[page.key]
        store.saveSoon()
        if (result.value.outcome === 'UNCHANGED') summary.pagesUnchanged++
        else summary.pagesUploaded++
        summary.bytes += bytes.length
        progress?.advance({ label: page.label, bytes: bytes.length, outcome: result.value.outcome === 'UNCHANGED' ? 'unchanged' : 'uploaded' })
        return
      }
      const error = result.error
      progress?.advance({ label: page.label, bytes: 0, outcome: 'failed' })
      if (isAuthError(error)) return abort(ctx, error)
      if (error.code === 'ABORTED') return
      if (error.code === 'NOT_FOUND') return void unknownNotebooks.add(page.notebookUuid)
      if (REFUSED_BYTES_ERRORS.has(error.code)) {
        state.rejected[page.key] = { ...makePageRecord(sha256, stats), code: error.code, message: error.message }
        store.saveSoon()
      } else if (!REQUEST_ERRORS.has(error.code)) summary.transientFailures++
      failPage(ctx, page, `${error.code}: ${error.message}`)
    },
    () => ctx.summary.aborted !== null || !!options.signal?.aborted,
  )
  progress?.end()
  return unknownNotebooks
}

type PageRead = { ok: true; bytes: Uint8Array; stats: Stats } | { ok: false; reason: string }

/** Stat before reading: if the app rewrites the file meanwhile, the older stat makes the next pass look again. */
async function readPage(page: PageCandidate, maxFileBytes: number): Promise<PageRead> {
  try {
    const stats = await stat(page.file)
    if (stats.size > maxFileBytes) return { ok: false, reason: `FILE_TOO_LARGE: grew over the limit while waiting` }
    return { ok: true, bytes: new Uint8Array(await readFile(page.file)), stats }
  } catch (err) {
    return { ok: false, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }
  }
}

/**
 * A notebook the server has, whose `.metadata` is gone or says deleted (or in the trash), is reported
 * once with deleteNotebook. An empty folder deletes nothing: more likely an unmounted disk than a wiped library.
 */
async function reportDeletions(ctx: PassContext, library: Library): Promise<void> {
  const { api, store, summary, log, folder } = ctx
  const state = store.state
  const byUuid = new Map<string, LibraryItem>(library.items.map((item) => [item.uuid, item]))
  const gone = Object.keys(state.notebooks).filter((uuid) => !library.present.has(uuid) || byUuid.get(uuid)?.deleted)
  if (gone.length === 0) return
  if (library.present.size === 0) {
    log(`warning: ${folder} has no notebooks at all; not deleting the ${gone.length} the server has (is the folder right?)`)
    return
  }
  for (const uuid of gone) {
    if (summary.aborted || ctx.options.signal?.aborted) return
    const result = await api.deleteNotebook(uuid)
    if (!result.ok && isAuthError(result.error)) return abort(ctx, result.error)
    if (!result.ok && result.error.code !== 'NOT_FOUND') {
      reportProblems(ctx, [{ file: path.join(folder, `${uuid}.metadata`), reason: `deletion not reported: ${result.error.code}: ${result.error.message}` }])
      summary.transientFailures++
      continue
    }
    delete state.notebooks[uuid]
    forgetPagesOf(state, uuid)
    state.deleted[uuid] = new Date().toISOString()
    summary.notebooksDeleted++
    log(`deleted ${uuid} on the server (gone from the folder)`)
    store.saveSoon()
  }
}

/** Pages no longer in their notebook are forgotten, so if one comes back it is sent again. */
function forgetRemovedPages(state: AgentState, documents: LibraryItem[]): void {
  const byNotebook = new Map(documents.map((doc) => [doc.uuid, new Set(doc.pageUuids.map((pageUuid) => makePageKey(doc.uuid, pageUuid)))]))
  for (const table of [state.pages, state.rejected]) {
    for (const key of Object.keys(table)) {
      const keep = byNotebook.get(key.slice(0, key.indexOf('/')))
      if (keep && !keep.has(key)) delete table[key]
    }
  }
}

function forgetPagesOf(state: AgentState, notebookUuid: string): void {
  for (const table of [state.pages, state.rejected]) for (const key of Object.keys(table)) if (key.startsWith(`${notebookUuid}/`)) delete table[key]
}

function failPage(ctx: PassContext, page: PageCandidate, reason: string): void {
  ctx.summary.pagesFailed.push({ file: page.file, reason })
  ctx.log(`refused ${page.label} (${page.file}): ${reason}`)
}

function reportProblems(ctx: PassContext, problems: FileProblem[]): void {
  for (const problem of problems) ctx.log(`skipped ${problem.file}: ${problem.reason}`)
  ctx.summary.problems.push(...problems)
}

function abort(ctx: PassContext, error: ApiError): void {
  if (ctx.summary.aborted) return
  ctx.summary.aborted = error
  ctx.log(isAuthError(error) ? `stopped: the server refused the token (${error.code}: ${error.message}); run \`agent login\` again` : `stopped: ${error.code}: ${error.message}`)
}

async function checkFolder(folder: string, stateDir: string): Promise<ApiError | null> {
  try {
    if (!(await stat(folder)).isDirectory()) return { code: 'FOLDER_MISSING', message: `${folder} is not a folder` }
  } catch {
    return { code: 'FOLDER_MISSING', message: `${folder} does not exist` }
  }
  const relative = path.relative(folder, stateDir)
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)
  if (!outside)
    return { code: 'STATE_INSIDE_FOLDER', message: `the state directory ${stateDir} is inside the watched folder; choose another (RMIRROR_AGENT_STATE_DIR)` }
  return null
}
