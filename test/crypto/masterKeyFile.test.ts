import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateMasterKey, parseMasterKeys } from '../../server/crypto/keys.ts'
import {
  describeMasterKeyFile,
  loadOrCreateMasterKeyFile,
  MasterKeyFileError,
} from '../../server/crypto/masterKeyFile.ts'

const posix = process.platform !== 'win32'
let root: string

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'rmirror-master-key-'))
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

function modeOf(file: string): number {
  return statSync(file).mode & 0o777
}

function errorFrom(fn: () => unknown): MasterKeyFileError {
  try {
    fn()
  } catch (error) {
    if (error instanceof MasterKeyFileError) return error
    throw error
  }
  throw new Error('expected a MasterKeyFileError')
}

describe('loadOrCreateMasterKeyFile', () => {
  it('creates the data folder and an owner-only master.key holding a valid key, then reads the same key', () => {
    const dataDir = path.join(root, 'nested', 'data')
    const first = loadOrCreateMasterKeyFile(dataDir)
    expect(first.created).toBe(true)
    expect(first.path).toBe(path.join(dataDir, 'master.key'))
    expect(parseMasterKeys(first.key).ok).toBe(true)
    expect(readFileSync(first.path, 'utf8')).toBe(`${first.key}\n`)
    if (posix) {
      expect(modeOf(first.path)).toBe(0o600)
      expect(modeOf(dataDir)).toBe(0o700)
    }
    expect(readdirSync(dataDir)).toEqual(['master.key']) // no temporary file left behind

    const second = loadOrCreateMasterKeyFile(dataDir)
    expect(second).toEqual({ key: first.key, created: false, path: first.path })
  })

  it('says in its log line where the key is and never the key', () => {
    const created = loadOrCreateMasterKeyFile(root)
    const line = describeMasterKeyFile(created)
    expect(line).toContain(created.path)
    expect(line).toMatch(/Generated/)
    expect(line).not.toContain(created.key)
    expect(describeMasterKeyFile(loadOrCreateMasterKeyFile(root))).toMatch(/^Using the integration master key from /)
  })

  it.skipIf(!posix)('refuses a key file group or others can read, naming the file and the fix', () => {
    const { path: file, key } = loadOrCreateMasterKeyFile(root)
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      chmodSync(file, mode)
      const error = errorFrom(() => loadOrCreateMasterKeyFile(root))
      expect(error.code).toBe('insecure_permissions')
      expect(error.message).toContain(file)
      expect(error.message).toContain(`chmod 600 '${file}'`)
      expect(error.message).toContain(`mode ${mode.toString(8)}`)
      expect(error.message).not.toContain(key)
    }
    chmodSync(file, 0o400) // read-only for the owner is fine
    expect(loadOrCreateMasterKeyFile(root).key).toBe(key)
  })

  it('keeps an existing key file (also a rotation list) rather than replacing it', () => {
    const file = path.join(root, 'master.key')
    const list = `${generateMasterKey()},${generateMasterKey()}`
    writeFileSync(file, `  ${list}\n`, { mode: 0o600 })
    expect(loadOrCreateMasterKeyFile(root)).toEqual({ key: list, created: false, path: file })
  })

  it('refuses a file holding no valid key, without echoing its content', () => {
    const file = path.join(root, 'master.key')
    writeFileSync(file, 'my-old-password-123', { mode: 0o600 })
    const malformed = errorFrom(() => loadOrCreateMasterKeyFile(root))
    expect(malformed.code).toBe('malformed')
    expect(malformed.message).toContain(file)
    expect(malformed.message).not.toContain('my-old-password-123')

    writeFileSync(file, '\n')
    expect(errorFrom(() => loadOrCreateMasterKeyFile(root)).code).toBe('empty')
    expect(readFileSync(file, 'utf8')).toBe('\n') // never overwritten
  })

  it('processes starting together all end with the one key that was written', async () => {
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'masterKeyChild.ts')
    const dataDir = path.join(root, 'shared')
    const syncDir = mkdtempSync(path.join(root, 'sync-'))
    const children = Array.from({ length: 4 }, () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', child, dataDir, syncDir]),
    )
    // Release them together once all have loaded, so their create attempts overlap.
    while (readdirSync(syncDir).length < children.length) await new Promise((resolve) => setTimeout(resolve, 5))
    writeFileSync(path.join(syncDir, 'go'), '')
    const results = (await Promise.all(children)).map((o) => JSON.parse(o.stdout) as { key: string; created: boolean })
    expect(new Set(results.map((r) => r.key)).size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect(readFileSync(path.join(dataDir, 'master.key'), 'utf8')).toBe(`${results[0].key}\n`)
    expect(readdirSync(dataDir)).toEqual(['master.key'])
  })
})
