// What `agent obsidian` has written into a vault, per (vault, sub-folder, server): for each notebook,
// the file it manages, the Markdown version and the hash of the bytes it wrote there — the hash is
// how a file edited by hand is told apart from one the agent may replace. Kept with the agent's other
// state (config.ts resolveStateDir), never in the vault, written atomically, one agent at a time.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename } from 'node:fs/promises'
import path from 'node:path'
import { acquireLock, writeStateFile } from '../state.ts'

export interface TrackedNotebook {
  /** The notebook's global id (for fetching it). */
  id: string
  /** Vault-relative path of the file this agent manages ('/'-separated). */
  path: string
  /** The server's markdownPath when the file was placed: a new one means a rename or a move. */
  wantedPath: string
  /** markdownVersion of the content last written (or found already there). */
  version: string
  /** sha256 of the bytes last written to `path`. */
  sha256: string
  /** Set while the file at `path` has been edited by hand: where the agent's newer version went. */
  conflictPath?: string
  conflictSha256?: string
  /** What the server was last told about this notebook. */
  reported?: { version: string; path: string; conflict: boolean }
}

export interface VaultState {
  version: 1
  vault: string
  folder: string
  url: string
  /** The account the vault mirrors (a vault is never switched to another account's library silently). */
  viewerId: string | null
  notebooks: Record<string, TrackedNotebook>
  /** Notebooks removed from the vault whose removal the server has not acknowledged yet. */
  removedUnreported: string[]
}

export interface VaultStateStore {
  readonly file: string
  readonly state: VaultState
  save(): Promise<void>
  close(): Promise<void>
}

export type OpenVaultStateResult = { ok: true; store: VaultStateStore; warnings: string[] } | { ok: false; code: 'STATE_LOCKED' | 'STATE_UNREADABLE'; message: string }

export function vaultStateFilePath(stateDir: string, vault: string, folder: string, url: string): string {
  const key = createHash('sha256').update(`${path.resolve(vault)}\n${folder}\n${url}`).digest('hex').slice(0, 16)
  return path.join(stateDir, `vault-${key}.json`)
}

function makeEmptyVaultState(vault: string, folder: string, url: string): VaultState {
  return { version: 1, vault: path.resolve(vault), folder, url, viewerId: null, notebooks: {}, removedUnreported: [] }
}

export async function openVaultState(stateDir: string, vault: string, folder: string, url: string): Promise<OpenVaultStateResult> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 })
  const file = vaultStateFilePath(stateDir, vault, folder, url)
  const lock = await acquireLock(`${file}.lock`)
  if (!lock.ok) return { ok: false, code: 'STATE_LOCKED', message: lock.message.replace('mirroring this folder', 'writing this vault') }
  const warnings: string[] = []
  let state: VaultState
  try {
    state = await loadVaultState(file, vault, folder, url, warnings)
  } catch (err) {
    await lock.release()
    return { ok: false, code: 'STATE_UNREADABLE', message: `cannot read ${file}: ${(err as Error).message}` }
  }
  let writing: Promise<void> = Promise.resolve()
  const save = () => (writing = writing.then(() => writeStateFile(file, state)))
  return {
    ok: true,
    warnings,
    store: {
      file,
      state,
      save,
      async close() {
        try {
          await save()
        } finally {
          await lock.release()
        }
      },
    },
  }
}

async function loadVaultState(file: string, vault: string, folder: string, url: string, warnings: string[]): Promise<VaultState> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return makeEmptyVaultState(vault, folder, url)
    throw err
  }
  try {
    const parsed = JSON.parse(text) as VaultState
    if (parsed.version !== 1 || typeof parsed.notebooks !== 'object' || parsed.notebooks === null) throw new Error('unknown layout')
    return { ...makeEmptyVaultState(vault, folder, url), ...parsed }
  } catch (err) {
    // Without the state every file looks hand-made: the agent then writes beside them, never over them.
    const aside = `${file}.corrupt-${Date.now()}`
    await rename(file, aside)
    warnings.push(`vault state was unreadable (${(err as Error).message}); moved to ${aside}, starting afresh (existing files are kept; new versions go beside them)`)
    return makeEmptyVaultState(vault, folder, url)
  }
}
