// Puts one notebook's Markdown into the vault, or takes a deleted one out, keeping the rules:
// - one file per notebook at <sub-folder>/<its markdownPath>; a path another notebook (or a file of
//   the user's) already has gets the start of the uuid added;
// - a rename or move moves the file (edits and all) rather than writing a new one;
// - a file whose bytes are not what the agent last wrote there was edited by hand: it is never
//   replaced — the new version goes beside it as `Name (rmirror).md`, and the caller says so;
// - a deleted notebook's file is removed, or moved to the archive folder when there is one; a file
//   edited by hand is only ever moved to the archive, never removed.
import path from 'node:path'
import { unlink } from 'node:fs/promises'
import type { TrackedNotebook, VaultState } from './vaultState.ts'
import { addSuffix, fileExists, hashFile, hashText, isSafeRelativePath, makePathKey, moveFile, removeEmptyFolders, writeFileAtomically } from './vaultFiles.ts'

export interface VaultTarget {
  /** The vault's folder, absolute. */
  vault: string
  /** Vault-relative folder the notebooks go into ('/'-separated), e.g. `reMarkable`. */
  folder: string
  /** Vault-relative folder deleted notebooks' files are moved to; null: removed. */
  archive: string | null
  state: VaultState
}

/** A notebook as the server lists it. */
export interface RemoteNotebook {
  id: string
  uuid: string
  version: string
  /** markdownPath: its folders and name, made safe. */
  path: string
}

export type PlaceOutcome =
  | { kind: 'written' | 'unchanged'; path: string; moved: boolean }
  | { kind: 'conflict'; path: string; conflictPath: string; moved: boolean }
  | { kind: 'failed'; message: string }

export type RemoveOutcome = { kind: 'removed' | 'archived' | 'kept' | 'gone'; path: string }

const CONFLICT_SUFFIX = 'rmirror'

const absolute = (target: VaultTarget, relativePath: string) => path.join(target.vault, ...relativePath.split('/'))

/** Does the file need the notebook's Markdown fetched (new, changed, or missing on disk)? A rename alone does not. */
export async function needsMarkdown(target: VaultTarget, remote: RemoteNotebook): Promise<boolean> {
  const tracked = target.state.notebooks[remote.uuid]
  if (!tracked || tracked.version !== remote.version) return true
  return !(await fileExists(absolute(target, tracked.path)))
}

/** Places (moves, writes) the notebook's file; `markdown` null when needsMarkdown said no. */
export async function placeNotebook(target: VaultTarget, remote: RemoteNotebook, markdown: string | null): Promise<PlaceOutcome> {
  if (!isSafeRelativePath(remote.path)) return { kind: 'failed', message: `the server suggested an unsafe path ${JSON.stringify(remote.path)}` }
  let tracked = target.state.notebooks[remote.uuid]
  let moved = false
  if (tracked && tracked.wantedPath !== remote.path) {
    moved = await moveTracked(target, remote.uuid, tracked, remote.path)
  }
  if (markdown === null) return tracked ? { kind: 'unchanged', path: tracked.path, moved } : { kind: 'failed', message: 'its Markdown was not fetched' }
  const newSha = hashText(markdown)

  if (!tracked) {
    const wanted = `${target.folder}/${remote.path}`
    // A file already there with exactly this content (state lost, or a second vault sync) is adopted.
    if (!isTakenByAnother(target, remote.uuid, wanted) && (await hashFile(absolute(target, wanted))) === newSha) {
      target.state.notebooks[remote.uuid] = { id: remote.id, path: wanted, wantedPath: remote.path, version: remote.version, sha256: newSha }
      return { kind: 'unchanged', path: wanted, moved }
    }
    const place = await allocatePath(target, remote.uuid, wanted)
    await writeFileAtomically(absolute(target, place), markdown)
    target.state.notebooks[remote.uuid] = { id: remote.id, path: place, wantedPath: remote.path, version: remote.version, sha256: newSha }
    return { kind: 'written', path: place, moved }
  }

  tracked = target.state.notebooks[remote.uuid]
  const file = absolute(target, tracked.path)
  const onDisk = await hashFile(file)
  tracked.id = remote.id
  tracked.version = remote.version
  if (onDisk === null || onDisk === tracked.sha256 || onDisk === newSha) {
    const kind = onDisk === newSha ? 'unchanged' : 'written'
    if (kind === 'written') await writeFileAtomically(file, markdown)
    tracked.sha256 = newSha
    await dropConflictFile(target, tracked)
    return { kind, path: tracked.path, moved }
  }
  // Edited by hand: the user's file stays; the agent's version goes beside it (into its earlier
  // copy, unless the user edited that one too: then it is theirs, and a new copy is made).
  if (tracked.conflictPath) {
    const copy = await hashFile(absolute(target, tracked.conflictPath))
    if (copy !== null && copy !== tracked.conflictSha256) delete tracked.conflictPath
  }
  const conflictPath = tracked.conflictPath ?? (await allocatePath(target, remote.uuid, addSuffix(tracked.path, CONFLICT_SUFFIX)))
  await writeFileAtomically(absolute(target, conflictPath), markdown)
  tracked.conflictPath = conflictPath
  tracked.conflictSha256 = newSha
  return { kind: 'conflict', path: tracked.path, conflictPath, moved }
}

/** Takes a deleted notebook's file out of the vault (see the rules above) and forgets it. */
export async function removeNotebook(target: VaultTarget, uuid: string): Promise<RemoveOutcome | null> {
  const tracked = target.state.notebooks[uuid]
  if (!tracked) return null
  const file = absolute(target, tracked.path)
  const onDisk = await hashFile(file)
  let outcome: RemoveOutcome
  if (onDisk === null) outcome = { kind: 'gone', path: tracked.path }
  else if (target.archive !== null) {
    const relative = tracked.path.startsWith(`${target.folder}/`) ? tracked.path.slice(target.folder.length + 1) : tracked.path
    const archived = await allocatePath(target, uuid, `${target.archive}/${relative}`)
    await moveFile(file, absolute(target, archived))
    outcome = { kind: 'archived', path: archived }
  } else if (onDisk === tracked.sha256) {
    await unlink(file)
    outcome = { kind: 'removed', path: tracked.path }
  } else outcome = { kind: 'kept', path: tracked.path }
  await dropConflictFile(target, tracked)
  await removeEmptyFolders(path.dirname(file), absolute(target, target.folder))
  delete target.state.notebooks[uuid]
  return outcome
}

/** Rename or move: the file (and a conflict copy) go to the new path; returns whether anything moved. */
async function moveTracked(target: VaultTarget, uuid: string, tracked: TrackedNotebook, newWantedPath: string): Promise<boolean> {
  const destination = await allocatePath(target, uuid, `${target.folder}/${newWantedPath}`)
  tracked.wantedPath = newWantedPath
  if (destination === tracked.path) return false
  const from = absolute(target, tracked.path)
  if (await fileExists(from)) await moveFile(from, absolute(target, destination))
  if (tracked.conflictPath && (await fileExists(absolute(target, tracked.conflictPath)))) {
    const conflictDestination = await allocatePath(target, uuid, addSuffix(destination, CONFLICT_SUFFIX), tracked.conflictPath)
    await moveFile(absolute(target, tracked.conflictPath), absolute(target, conflictDestination))
    tracked.conflictPath = conflictDestination
  }
  tracked.path = destination
  await removeEmptyFolders(path.dirname(from), absolute(target, target.folder))
  return true
}

/** The agent's conflict copy goes once the conflict is over (the user's file replaced by a fresh one, or equal to it). */
async function dropConflictFile(target: VaultTarget, tracked: TrackedNotebook): Promise<void> {
  if (!tracked.conflictPath) return
  const file = absolute(target, tracked.conflictPath)
  // Only a copy still as the agent wrote it: one the user edited stays.
  if ((await hashFile(file)) === tracked.conflictSha256) await unlink(file)
  delete tracked.conflictPath
  delete tracked.conflictSha256
}

/** Paths (and conflict copies) of the other notebooks. */
function isTakenByAnother(target: VaultTarget, uuid: string, relativePath: string): boolean {
  const key = makePathKey(relativePath)
  return Object.entries(target.state.notebooks).some(([other, t]) => other !== uuid && (makePathKey(t.path) === key || (t.conflictPath !== undefined && makePathKey(t.conflictPath) === key)))
}

/**
 * `wanted`, or — when another notebook has it, or a file of the user's is there — the same name with
 * the start of the uuid (and then a counter) added. The notebook's own current paths count as free.
 */
async function allocatePath(target: VaultTarget, uuid: string, wanted: string, ...ownPaths: string[]): Promise<string> {
  const own = [target.state.notebooks[uuid]?.path, target.state.notebooks[uuid]?.conflictPath, ...ownPaths].filter((p): p is string => !!p).map(makePathKey)
  const free = async (candidate: string) =>
    own.includes(makePathKey(candidate)) || (!isTakenByAnother(target, uuid, candidate) && !(await fileExists(absolute(target, candidate))))
  if (await free(wanted)) return wanted
  const tag = uuid.replace(/[^\w-]/g, '').slice(0, 8)
  for (let n = 1; ; n++) {
    const candidate = addSuffix(wanted, n === 1 ? tag : `${tag} ${n}`)
    if (await free(candidate)) return candidate
  }
}
