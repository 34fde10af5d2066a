import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfigCipher } from '../../server/crypto/loadCipher.ts'
import { ConfigError } from '../../server/config.ts'
import { generateMasterKey } from '../../server/crypto/keys.ts'
import { makeLogger } from '../../server/logger.ts'

// The cipher each process makes at start: from INTEGRATION_MASTER_KEY, or (not in production) from
// a key generated once into the data directory — logged with its path, never its value.

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function captureLogs() {
  const lines: string[] = []
  const logger = makeLogger({ logLevel: 'trace', logFormat: 'json' }, {}, new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }))
  return { logger, text: () => lines.join('') }
}

describe('loadConfigCipher', () => {
  it('uses INTEGRATION_MASTER_KEY (a rotation list: the first encrypts, all decrypt) and logs fingerprints only', () => {
    const [newKey, oldKey] = [generateMasterKey(), generateMasterKey()]
    const logs = captureLogs()
    const loaded = loadConfigCipher({ integrationMasterKey: `${newKey}, ${oldKey}`, production: true, dataDir: '/nonexistent' }, logs.logger)
    expect(loaded.source).toEqual({ kind: 'environment' })
    expect(loaded.cipher.fingerprints).toHaveLength(2)
    const old = loadConfigCipher({ integrationMasterKey: oldKey, production: true, dataDir: '/nonexistent' }).cipher
    expect(loaded.cipher.decrypt(7, old.encrypt(7, { token: 't' }))).toMatchObject({ ok: true, keyIndex: 1 })
    expect(logs.text()).toContain(loaded.cipher.fingerprints[0])
    expect(logs.text()).not.toContain(newKey.slice(0, 20))
    expect(logs.text()).not.toContain(oldKey.slice(0, 20))
  })

  it('names the variable, never the value, for a malformed key; requires one in production', () => {
    const bad = 'this-is-not-a-key-but-a-secret-looking-value'
    const error = (() => {
      try {
        loadConfigCipher({ integrationMasterKey: bad, production: false, dataDir: '/nonexistent' })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).variable).toBe('INTEGRATION_MASTER_KEY')
    expect((error as Error).message).not.toContain(bad)
    expect(() => loadConfigCipher({ integrationMasterKey: undefined, production: true, dataDir: '/nonexistent' })).toThrow(/INTEGRATION_MASTER_KEY: is required in production/)
  })

  it('generates the key once into the data directory (owner-only), says so with the path, then reuses it', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-keys-'))
    dirs.push(dataDir)
    const first = captureLogs()
    const made = loadConfigCipher({ integrationMasterKey: undefined, production: false, dataDir }, first.logger)
    const file = path.join(dataDir, 'master.key')
    expect(made.source).toEqual({ kind: 'file', path: file, created: true })
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(first.text()).toContain(`Generated the integration master key in ${file}`)
    const key = fs.readFileSync(file, 'utf8').trim()
    expect(first.text()).not.toContain(key)

    const second = captureLogs()
    const again = loadConfigCipher({ integrationMasterKey: undefined, production: false, dataDir }, second.logger)
    expect(again.source).toEqual({ kind: 'file', path: file, created: false })
    expect(second.text()).toContain(`Using the integration master key from ${file}`)
    expect(again.cipher.decrypt(1, made.cipher.encrypt(1, { token: 'x' }))).toMatchObject({ ok: true, keyIndex: 0 })
  })
})
