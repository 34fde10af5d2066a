// File operations on the vault: atomic writes (Obsidian never reads half a file), hashes of what is
// on disk, moves that never replace a file, and tidying folders a move or removal left empty.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises'
import path from 'node:path'

export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** sha256 of the file's bytes, or null when there is no file. */
export async function hashFile(file: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}

/**
 * Writes to a hidden temporary file beside the target (same file system, and Obsidian ignores dot
 * files), flushes it, then renames it over the target. Returns the sha256 of what was written.
 */
export async function writeFileAtomically(file: string, text: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true })
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', 0o644)
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } catch (err) {
    await handle.close()
    await unlink(temp).catch(() => {})
    throw err
  }
  await handle.close()
  try {
    await rename(temp, file)
  } catch (err) {
    await unlink(temp).catch(() => {})
    throw err
  }
  return hashText(text)
}

/**
 * Moves a file, creating folders as needed. Never replaces another file: `to` must be free (a case
 * change of the same file on a case-insensitive disk is allowed).
 */
export async function moveFile(from: string, to: string): Promise<void> {
  if (from === to) return
  const sameName = from.normalize('NFC').toLowerCase() === to.normalize('NFC').toLowerCase()
  if (!sameName && (await fileExists(to))) throw new Error(`cannot move ${from} to ${to}: a file is there`)
  await mkdir(path.dirname(to), { recursive: true })
  await rename(from, to)
}

/** Removes `folder` and its parents while they are empty, never `stopAt` itself or anything above it. */
export async function removeEmptyFolders(folder: string, stopAt: string): Promise<void> {
  const root = path.resolve(stopAt)
  for (let current = path.resolve(folder); current.startsWith(root + path.sep); current = path.dirname(current)) {
    try {
      await rmdir(current)
    } catch {
      return // not empty (or gone): its parents are not empty either
    }
  }
}

/** `a/b.md` + `rmirror` → `a/b (rmirror).md`. */
export function addSuffix(relativePath: string, suffix: string): string {
  return relativePath.replace(/(\.md)?$/i, (ext) => ` (${suffix})${ext}`)
}

/** Key under which two paths are one file on macOS and Windows. */
export function makePathKey(relativePath: string): string {
  return relativePath.normalize('NFC').toLowerCase()
}

/**
 * A relative path the server suggested, checked before it touches the disk: '/'-separated names, none
 * empty, `.` or `..`, no backslash, colon or control character, ending in .md.
 */
export function isSafeRelativePath(relativePath: string): boolean {
  if (!relativePath.endsWith('.md') || relativePath.length > 1000) return false
  return relativePath.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !/[\\:\u0000-\u001f]/.test(part))
}
