// What the agent has already delivered, per (folder, server): the sha256 of every page last uploaded,
// the hash of every notebook's metadata last synced, and the notebooks whose deletion was reported.
// Kept in one JSON file written atomically, so a restart resumes instead of re-uploading everything.
import { createHash } from 'node:crypto'
import { hostname } from 'node:os'
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

export interface PageRecord {
  sha256: string
  /** The file's stat when it was hashed: unchanged stat → unchanged bytes, so no re-hash. */
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
}

/** sha256 is '' when the file was refused before hashing (over the size limit). */
export interface RejectedPage extends PageRecord {
  code: string
  message: string
}

export interface AgentState {
  version: 1
  folder: string
  url: string
  /** uuid → hash of the metadata input last accepted by the server. */
  notebooks: Record<string, { metadataHash: string }>
  /** `${notebookUuid}/${pageUuid}` → the page file last uploaded. */
  pages: Record<string, PageRecord>
  /** Pages the server refused for good (invalid, too large): not re-sent until their bytes change. */
  rejected: Record<string, RejectedPage>
  /** uuid → when its deletion was reported to the server. */
  deleted: Record<string, string>
}

const SAVE_INTERVAL_MS = 1000

export function makeStateKey(folder: string, url: string): string {
  return createHash('sha256').update(`${path.resolve(folder)}\n${url}`).digest('hex').slice(0, 16)
}

export function stateFilePath(stateDir: string, folder: string, url: string): string {
  return path.join(stateDir, `folder-${makeStateKey(folder, url)}.json`)
}

export function makeEmptyState(folder: string, url: string): AgentState {
  return { version: 1, folder: path.resolve(folder), url, notebooks: {}, pages: {}, rejected: {}, deleted: {} }
}

export interface StateStore {
  readonly file: string
  readonly state: AgentState
  /** Something worth keeping happened; written within a second (not on every page: a big pass would rewrite the file thousands of times). */
  saveSoon(): void
  save(): Promise<void>
  /** Saves and releases the lock. */
  close(): Promise<void>
}

export type OpenStateResult = { ok: true; store: StateStore; warnings: string[] } | { ok: false; code: 'STATE_LOCKED' | 'STATE_UNREADABLE'; message: string }

export async function openStateStore(stateDir: string, folder: string, url: string): Promise<OpenStateResult> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 })
  const file = stateFilePath(stateDir, folder, url)
  const lock = await acquireLock(`${file}.lock`)
  if (!lock.ok) return { ok: false, code: 'STATE_LOCKED', message: lock.message }
  const warnings: string[] = []
  let state: AgentState
  try {
    state = await loadState(file, folder, url, warnings)
  } catch (err) {
    await lock.release()
    return { ok: false, code: 'STATE_UNREADABLE', message: `cannot read ${file}: ${(err as Error).message}` }
  }
  return { ok: true, store: makeStore(file, state, lock.release), warnings }
}

async function loadState(file: string, folder: string, url: string, warnings: string[]): Promise<AgentState> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return makeEmptyState(folder, url)
    throw err
  }
  try {
    const parsed = JSON.parse(text) as AgentState
    if (parsed.version !== 1 || typeof parsed.pages !== 'object' || typeof parsed.notebooks !== 'object') throw new Error('unknown layout')
    return { ...makeEmptyState(folder, url), ...parsed }
  } catch (err) {
    // Losing the state costs one re-upload pass (the server answers UNCHANGED), never data: keep the bad file aside.
    const aside = `${file}.corrupt-${Date.now()}`
    await rename(file, aside)
    warnings.push(`state file was unreadable (${(err as Error).message}); moved to ${aside} and starting afresh`)
    return makeEmptyState(folder, url)
  }
}

function makeStore(file: string, state: AgentState, releaseLock: () => Promise<void>): StateStore {
  let writing: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | null = null
  const save = (): Promise<void> => {
    if (timer) clearTimeout(timer)
    timer = null
    // Serialized: two overlapping writes could rename an older snapshot over a newer one.
    writing = writing.then(() => writeStateFile(file, state))
    return writing
  }
  return {
    file,
    state,
    save,
    saveSoon() {
      timer ??= setTimeout(() => void save().catch(() => {}), SAVE_INTERVAL_MS)
    },
    async close() {
      try {
        await save()
      } finally {
        await releaseLock()
      }
    },
  }
}

/** Written to a temporary file, flushed, then renamed over the old one: a reader never sees half of it. */
export async function writeStateFile(file: string, state: unknown): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`
  const handle = await open(temp, 'w', 0o600)
  try {
    await handle.writeFile(JSON.stringify(state))
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, file)
}

export type Lock = { ok: true; release: () => Promise<void> } | { ok: false; message: string }

/** One agent per folder and server at a time; a lock left by a process that is gone is taken over. */
export async function acquireLock(lockFile: string): Promise<Lock> {
  const me = `${process.pid}@${hostname()}`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, me, { flag: 'wx', mode: 0o600 })
      return { ok: true, release: () => rm(lockFile, { force: true }) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const holder = await readFile(lockFile, 'utf8').catch(() => '')
    if (!isStaleLock(holder)) return { ok: false, message: `another agent (${holder || 'unknown'}) is mirroring this folder to this server; lock file ${lockFile}` }
    await rm(lockFile, { force: true })
  }
  return { ok: false, message: `could not take the lock ${lockFile}` }
}

function isStaleLock(holder: string): boolean {
  const [pidText, host] = holder.split('@')
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0) return true
  if (host !== hostname()) return false // another machine sharing the state dir: leave it alone
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}
