// Secret files in the data directory (master.key, signing.key): created once with mode 0600 so that
// concurrent starters agree on one, and read only when group and others cannot access them.
import { randomBytes } from 'node:crypto'
import { closeSync, fchmodSync, fstatSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import path from 'node:path'

const OWNER_ONLY = 0o600
const GROUP_OR_OTHERS = 0o077
// Filesystems without hard links: fall back to an exclusive create (not atomic, still never clobbers).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

/**
 * Writes `makeContent()` to `file` unless it exists. The first publisher wins (a hard link never
 * replaces); returns true when this call created the file.
 */
export function publishOwnerOnlyFileIfAbsent(file: string, makeContent: () => string): boolean {
  if (exists(file)) return false
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  writeOwnerOnly(temp, makeContent())
  try {
    linkSync(temp, file) // atomic and never replaces: EEXIST means another process got there first
    syncDirectory(path.dirname(file))
    return true
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false
    if (!NO_HARD_LINKS.has(errorCode(error) ?? '')) throw error
    try {
      writeOwnerOnly(file, makeContent())
      return true
    } catch (inner) {
      if (errorCode(inner) === 'EEXIST') return false
      throw inner
    }
  } finally {
    unlinkSync(temp)
  }
}

export type OwnerOnlyRead = { ok: true; text: string } | { ok: false; problem: 'not_a_file' } | { ok: false; problem: 'insecure_permissions'; mode: string }

/** The file's trimmed text; its type and permissions are checked on the open descriptor, so the file read is the file checked. */
export function readOwnerOnlyFile(file: string): OwnerOnlyRead {
  const fd = openSync(file, 'r')
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) return { ok: false, problem: 'not_a_file' }
    const mode = stat.mode & 0o777
    if (process.platform !== 'win32' && (mode & GROUP_OR_OTHERS) !== 0) return { ok: false, problem: 'insecure_permissions', mode: mode.toString(8).padStart(3, '0') }
    return { ok: true, text: readFileSync(fd, 'utf8').trim() }
  } finally {
    closeSync(fd)
  }
}

function writeOwnerOnly(file: string, content: string): void {
  const fd = openSync(file, 'wx', OWNER_ONLY)
  try {
    fchmodSync(fd, OWNER_ONLY) // the umask may only remove bits, but say exactly what we mean
    writeSync(fd, `${content}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function exists(file: string): boolean {
  try {
    closeSync(openSync(file, 'r'))
    return true
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false
    throw error
  }
}

function syncDirectory(dir: string): void {
  // Makes the new name durable; some platforms cannot open a directory, which is not fatal.
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    /* best effort */
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}
