// The master key for the embedded `npm start` default, when INTEGRATION_MASTER_KEY is unset:
// generated once into <dataDir>/master.key (mode 0600) and read from there afterwards.
// The file holds the INTEGRATION_MASTER_KEY format, so a rotation list ("new,old") works too.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { publishOwnerOnlyFileIfAbsent, readOwnerOnlyFile } from './ownerOnlyFile.ts'
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

/**
 * Reads <dataDir>/master.key, creating the folder and a new key first if there is none.
 * Concurrent starters agree on one key: the first to publish wins, the others read its file.
 * Throws MasterKeyFileError for a file group or others can access, or one holding no valid key.
 */
export function loadOrCreateMasterKeyFile(dataDir: string): MasterKeyFile {
  const dir = path.resolve(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = path.join(dir, MASTER_KEY_FILE_NAME)
  const created = publishOwnerOnlyFileIfAbsent(file, generateMasterKey)
  return { key: readKeyFile(file), created, path: file }
}

/** One log line for start-up: where the key is, and what losing it means. */
export function describeMasterKeyFile(result: MasterKeyFile): string {
  return result.created
    ? `Generated the integration master key in ${result.path} (mode 600, owner only); back it up: ` +
        'without it stored integration secrets cannot be read. Set INTEGRATION_MASTER_KEY to use another key.'
    : `Using the integration master key from ${result.path} (INTEGRATION_MASTER_KEY is not set)`
}

function readKeyFile(file: string): string {
  const read = readOwnerOnlyFile(file)
  if (!read.ok && read.problem === 'not_a_file') throw new MasterKeyFileError('not_a_file', file, `${file} is not a regular file`)
  if (!read.ok) {
    throw new MasterKeyFileError(
      'insecure_permissions',
      file,
      `${file} is accessible to group or others (mode ${read.mode}); it holds the key ` +
        `to every stored integration secret, so it is not used. Run: chmod 600 '${file}'`,
    )
  }
  const text = read.text
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
}
