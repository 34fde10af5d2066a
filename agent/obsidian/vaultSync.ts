// `agent obsidian`: an Obsidian vault (any folder) kept as a mirror of the library, one Markdown file
// per notebook. A vault session holds the vault's state (and its lock) and does the two kinds of work:
// a full pass (list every notebook's version, fetch only what changed, remove what was deleted) and
// single notebooks as the live subscription names them (vaultWatch.ts).
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { createApiClient, isAuthError, type ApiError } from '../api.ts'
import type { RetryOptions } from '../retryPolicy.ts'
import { FETCH_BATCH_SIZE, makeMarkdownApi, REPORT_BATCH_SIZE, type AgentWrite, type MarkdownApi } from './markdownApi.ts'
import { needsMarkdown, placeNotebook, removeNotebook, type PlaceOutcome, type RemoteNotebook, type RemoveOutcome, type VaultTarget } from './vaultWriter.ts'
import { openVaultState, type TrackedNotebook, type VaultStateStore } from './vaultState.ts'

export const DEFAULT_VAULT_FOLDER = 'reMarkable'

export interface VaultOptions {
  /** The vault's folder (it must exist). */
  vault: string
  /** Vault-relative folder for the notebooks (default `reMarkable`). */
  folder?: string
  /** Vault-relative folder deleted notebooks' files are moved to; absent: they are removed. */
  archive?: string | null
  url: string
  token: string
  stateDir: string
  log?: (line: string) => void
  retry?: Partial<RetryOptions>
  requestTimeoutMs?: number
  signal?: AbortSignal
}

export interface VaultSummary {
  written: number
  moved: number
  unchanged: number
  conflicts: number
  removed: number
  archived: number
  /** Deleted notebooks whose file was edited by hand and, without an archive folder, left in place. */
  kept: number
  failed: { uuid: string; message: string }[]
  seconds: number
  /** Why the pass stopped early (token refused, listing failed, state locked…). */
  aborted?: ApiError
  /** The files are written, but the server could not be told (it shows them pending until the next report). */
  reportFailed?: ApiError
}

export interface VaultSession {
  readonly target: VaultTarget
  /** A full pass: everything that changed since the last one (or since the vault was empty). */
  syncAll(): Promise<VaultSummary>
  /** One notebook the server announced: fetched and placed if its version or path moved; null = deleted. */
  syncNotebook(uuid: string, remote: RemoteNotebook | null): Promise<VaultSummary>
  close(): Promise<void>
}

export type OpenVaultResult = { ok: true; session: VaultSession; warnings: string[] } | { ok: false; error: ApiError }

export function makeEmptySummary(): VaultSummary {
  return { written: 0, moved: 0, unchanged: 0, conflicts: 0, removed: 0, archived: 0, kept: 0, failed: [], seconds: 0 }
}

export async function openVault(options: VaultOptions): Promise<OpenVaultResult> {
  const vault = path.resolve(options.vault)
  const folder = normalizeVaultFolder(options.folder ?? DEFAULT_VAULT_FOLDER)
  const archive = options.archive ? normalizeVaultFolder(options.archive) : null
  if (!folder) return { ok: false, error: { code: 'BAD_FOLDER', message: '--folder must be a folder inside the vault, such as reMarkable' } }
  const problem = await checkVaultOptions(vault, folder, archive, path.resolve(options.stateDir))
  if (problem) return { ok: false, error: problem }
  const opened = await openVaultState(options.stateDir, vault, folder, options.url)
  if (!opened.ok) return { ok: false, error: { code: opened.code, message: opened.message } }
  const api = makeMarkdownApi(createApiClient({ url: options.url, token: options.token, retry: options.retry, requestTimeoutMs: options.requestTimeoutMs, signal: options.signal }))
  const target: VaultTarget = { vault, folder, archive, state: opened.store.state }
  return { ok: true, session: makeSession(api, target, opened.store, options.log ?? (() => {})), warnings: opened.warnings }
}

function makeSession(api: MarkdownApi, target: VaultTarget, store: VaultStateStore, log: (line: string) => void): VaultSession {
  const { state } = target
  // One piece of work at a time: a pass and a live event never write the same file together.
  let queue: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work)
    queue = run.catch(() => {})
    return run
  }

  const notePlaced = (summary: VaultSummary, uuid: string, outcome: PlaceOutcome) => {
    if (outcome.kind === 'failed') {
      summary.failed.push({ uuid, message: outcome.message })
      log(`not written ${uuid}: ${outcome.message}`)
      return
    }
    if (outcome.moved) summary.moved++
    if (outcome.kind === 'conflict') {
      summary.conflicts++
      log(`${outcome.path} was edited in the vault: it is kept, and the new version is in ${outcome.conflictPath}`)
    } else summary[outcome.kind]++
  }

  const noteRemoved = (summary: VaultSummary, outcome: RemoveOutcome | null) => {
    if (!outcome || outcome.kind === 'gone') return
    summary[outcome.kind]++
    if (outcome.kind === 'kept') log(`${outcome.path}: its notebook was deleted, but the file was edited in the vault, so it stays`)
    if (outcome.kind === 'archived') log(`${outcome.path}: its notebook was deleted; the file is in the archive folder`)
  }

  /** Fetches what needs fetching among `remotes` (a few per request) and places each. */
  const placeAll = async (remotes: RemoteNotebook[], summary: VaultSummary): Promise<ApiError | null> => {
    // A file that cannot be written or moved (permissions, a full disk) fails alone; the rest go on.
    const place = async (remote: RemoteNotebook, markdown: string | null) => {
      try {
        notePlaced(summary, remote.uuid, await placeNotebook(target, remote, markdown))
      } catch (err) {
        notePlaced(summary, remote.uuid, { kind: 'failed', message: (err as Error).message })
      }
    }
    const toFetch: RemoteNotebook[] = []
    for (const remote of remotes) {
      if (await needsMarkdown(target, remote)) toFetch.push(remote)
      else await place(remote, null)
    }
    for (let at = 0; at < toFetch.length; at += FETCH_BATCH_SIZE) {
      const fetched = await api.fetchMarkdown(toFetch.slice(at, at + FETCH_BATCH_SIZE).map((r) => r.id))
      if (!fetched.ok) return fetched.error
      for (const notebook of fetched.value) await place(notebook, notebook.markdown)
      await store.save()
    }
    return null
  }

  const remove = async (uuid: string, summary: VaultSummary) => {
    try {
      noteRemoved(summary, await removeNotebook(target, uuid))
      state.removedUnreported = [...new Set([...state.removedUnreported, uuid])]
    } catch (err) {
      summary.failed.push({ uuid, message: (err as Error).message })
      log(`could not take ${uuid} out of the vault: ${(err as Error).message}`)
    }
  }

  /**
   * Tells the server what the vault now holds, for every notebook whose file changed since the last
   * report (and the removals not told yet). A failed report is retried with the next one.
   */
  const report = async (summary: VaultSummary) => {
    const written: { uuid: string; write: AgentWrite; told: NonNullable<TrackedNotebook['reported']> }[] = []
    for (const [uuid, t] of Object.entries(state.notebooks)) {
      const told = { version: t.version, path: t.path, conflict: t.conflictPath !== undefined }
      if (t.reported && t.reported.version === told.version && t.reported.path === told.path && t.reported.conflict === told.conflict) continue
      written.push({ uuid, told, write: { notebookId: t.id, markdownVersion: t.version, location: t.path, conflictLocation: t.conflictPath ?? null } })
    }
    const removed = [...state.removedUnreported]
    const calls: { batch: typeof written; gone: string[] }[] = []
    for (let at = 0; at < written.length; at += REPORT_BATCH_SIZE) calls.push({ batch: written.slice(at, at + REPORT_BATCH_SIZE), gone: [] })
    for (let at = 0; at < removed.length; at += REPORT_BATCH_SIZE) calls.push({ batch: [], gone: removed.slice(at, at + REPORT_BATCH_SIZE) })
    for (const { batch, gone } of calls) {
      const result = await api.report(batch.map((b) => b.write), gone)
      if (!result.ok) {
        summary.reportFailed = result.error
        log(`could not tell the server what was written (${result.error.code}: ${result.error.message}); it is told with the next change`)
        return
      }
      for (const b of batch) if (state.notebooks[b.uuid]) state.notebooks[b.uuid].reported = b.told
      state.removedUnreported = state.removedUnreported.filter((uuid) => !gone.includes(uuid))
    }
  }

  const timed = async (work: (summary: VaultSummary) => Promise<void>): Promise<VaultSummary> => {
    const started = performance.now()
    const summary = makeEmptySummary()
    await work(summary)
    // What was written before a failure is reported too; a refused token would refuse this as well.
    if (!(summary.aborted && isAuthError(summary.aborted))) await report(summary)
    await store.save()
    summary.seconds = (performance.now() - started) / 1000
    return summary
  }

  return {
    target,
    syncAll: () =>
      exclusive(() =>
        timed(async (summary) => {
          const listed = await api.listLibrary()
          if (!listed.ok) return void (summary.aborted = listed.error)
          const { viewerId, notebooks } = listed.value
          if (state.viewerId && state.viewerId !== viewerId) {
            summary.aborted = { code: 'OTHER_ACCOUNT', message: 'this vault folder mirrors another account; use another --folder' }
            return
          }
          state.viewerId = viewerId
          const listedUuids = new Set(notebooks.map((n) => n.uuid))
          const gone = Object.keys(state.notebooks).filter((uuid) => !listedUuids.has(uuid))
          if (notebooks.length === 0 && gone.length > 0) {
            // An empty library while the vault holds notebooks is far more likely a mistake than a wish.
            log(`the server lists no notebooks: the ${gone.length} files in the vault are left alone`)
          } else for (const uuid of gone) await remove(uuid, summary)
          const failure = await placeAll(notebooks, summary)
          if (failure) summary.aborted = failure
        }),
      ),
    syncNotebook: (uuid, remote) =>
      exclusive(() =>
        timed(async (summary) => {
          if (!remote) return void (await remove(uuid, summary))
          const failure = await placeAll([remote], summary)
          if (failure) summary.aborted = failure
        }),
      ),
    close: () => exclusive(() => store.close()),
  }
}

/** `reMarkable/` → `reMarkable`; '' or a path leaving the vault → null. */
function normalizeVaultFolder(folder: string): string | null {
  const parts = folder.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.')
  if (parts.length === 0 || parts.some((p) => p === '..')) return null
  return parts.join('/')
}

async function checkVaultOptions(vault: string, folder: string, archive: string | null, stateDir: string): Promise<ApiError | null> {
  const isDirectory = await stat(vault).then((s) => s.isDirectory(), () => false)
  if (!isDirectory) return { code: 'VAULT_NOT_FOUND', message: `${vault} is not a folder (give the vault's folder; it must exist)` }
  if (archive !== null && (archive === folder || archive.startsWith(`${folder}/`) || folder.startsWith(`${archive}/`)))
    return { code: 'BAD_ARCHIVE', message: '--archive must be a folder of the vault outside --folder' }
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep)
  if (inside(stateDir, vault)) return { code: 'STATE_INSIDE_FOLDER', message: `the agent's state folder ${stateDir} is inside the vault; set RMIRROR_AGENT_STATE_DIR elsewhere` }
  return null
}
