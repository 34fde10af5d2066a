// The master key for the embedded `npm start` default, when INTEGRATION_MASTER_KEY is unset:
// generated once into <dataDir>/master.key (mode 0600) and read from there afterwards.
// The file holds the INTEGRATION_MASTER_KEY format, so a rotation list ("new,old") works too.
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import path from 'node:path'
import { generateMasterKey, parseMasterKeys } from './keys.ts'

export const MASTER_KEY_FILE_NAME = 'master.key'

export type MasterKeyFile = { key: string; created: boolean; path: string }
export type MasterKeyFileErrorCode = 'insecure_permissions' | 'not_a_file' | 'empty' | 'malformed'

/** Start-up must stop on these; messages name the file and the fix, never its content. */
export class MasterKeyFileError extends Error {
  readonly code: MasterKeyFileErrorCode
  readonly path: string
  constructor(code: MasterKeyFileErrorCode, file: string, message: string) {
    super(message)
    this.name = 'MasterKeyFileError'
    this.code = code
    this.path = file
  }
}

const OWNER_ONLY = 0o600
const GROUP_OR_OTHERS = 0o077
// Filesystems without hard links: fall back to an exclusive create (not atomic, still never clobbers).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

/**
 * Reads <dataDir>/master.key, creating the folder and a new key first if there is none.
 * Concurrent starters agree on one key: the first to publish wins, the others read its file.
 * Throws MasterKeyFileError for a file group or others can access, or one holding no valid key.
 */
export function loadOrCreateMasterKeyFile(dataDir: string): MasterKeyFile {
  const dir = path.resolve(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = path.join(dir, MASTER_KEY_FILE_NAME)
  const created = publishNewKeyIfAbsent(file)
  return { key: readKeyFile(file), created, path: file }
}

/** One log line for start-up: where the key is, and what losing it means. */
export function describeMasterKeyFile(result: MasterKeyFile): string {
  return result.created
    ? `Generated the integration master key in ${result.path} (mode 600, owner only); back it up: ` +
        'without it stored integration secrets cannot be read. Set INTEGRATION_MASTER_KEY to use another key.'
    : `Using the integration master key from ${result.path} (INTEGRATION_MASTER_KEY is not set)`
}

function publishNewKeyIfAbsent(file: string): boolean {
  if (exists(file)) return false
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  writeOwnerOnly(temp, 'wx')
  try {
    linkSync(temp, file) // atomic and never replaces: EEXIST means another process got there first
    syncDirectory(path.dirname(file))
    return true
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false
    if (!NO_HARD_LINKS.has(errorCode(error) ?? '')) throw error
    return createExclusively(file)
  } finally {
    unlinkSync(temp)
  }
}

function createExclusively(file: string): boolean {
  try {
    writeOwnerOnly(file, 'wx')
    return true
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false
    throw error
  }
}

function writeOwnerOnly(file: string, flags: string): void {
  const fd = openSync(file, flags, OWNER_ONLY)
  try {
    fchmodSync(fd, OWNER_ONLY) // the umask may only remove bits, but say exactly what we mean
    writeSync(fd, `${generateMasterKey()}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function readKeyFile(file: string): string {
  const fd = openSync(file, 'r')
  try {
    // Checked on the open descriptor, so the file read is the file checked.
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new MasterKeyFileError('not_a_file', file, `${file} is not a regular file`)
    const mode = stat.mode & 0o777
    if (process.platform !== 'win32' && (mode & GROUP_OR_OTHERS) !== 0) {
      throw new MasterKeyFileError(
        'insecure_permissions',
        file,
        `${file} is accessible to group or others (mode ${mode.toString(8).padStart(3, '0')}); it holds the key ` +
          `to every stored integration secret, so it is not used. Run: chmod 600 '${file}'`,
      )
    }
    const text = readFileSync(fd, 'utf8').trim()
    if (text === '') {
      throw new MasterKeyFileError(
        'empty',
        file,
        `${file} is empty: restore it from a backup, or delete it if no integration was ever connected with it`,
      )
    }
    const parsed = parseMasterKeys(text, file)
    if (!parsed.ok) throw new MasterKeyFileError('malformed', file, parsed.error.message)
    return text
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
