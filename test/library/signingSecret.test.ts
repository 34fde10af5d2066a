// The secret that signs file URLs: SIGNING_SECRET, or (not in production) one generated once into the
// data directory, owner-only, reused by every later start — logged by path, never by value.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../server/config.ts'
import { makeLogger } from '../../server/logger.ts'
import { SIGNING_SECRET_FILE_NAME, SigningSecretFileError, loadSigningSecret } from '../../server/storage/signingSecret.ts'
import { makeUrlSigner } from '../../server/storage/signedUrls.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function makeDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-signing-'))
  dirs.push(dir)
  return path.join(dir, 'data') // not there yet: the loader creates it
}

function captureLogs() {
  const lines: string[] = []
  const logger = makeLogger({ logLevel: 'trace', logFormat: 'json' }, {}, new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }))
  return { logger, text: () => lines.join('') }
}

describe('loadSigningSecret', () => {
  it('generates a secret once into <dataDir>/signing.key (mode 600), says so without the value, and reuses it', () => {
    const dataDir = makeDataDir()
    const first = captureLogs()
    const made = loadSigningSecret({ signingSecret: undefined, production: false, dataDir }, first.logger)
    const file = path.join(dataDir, SIGNING_SECRET_FILE_NAME)
    expect(made.source).toEqual({ kind: 'file', path: file, created: true })
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(made.secret.length).toBeGreaterThanOrEqual(32)
    expect(first.text()).toContain('Generated the URL signing secret')
    expect(first.text()).toContain(file)
    expect(first.text()).not.toContain(made.secret)

    const second = captureLogs()
    const again = loadSigningSecret({ signingSecret: undefined, production: false, dataDir }, second.logger)
    expect(again).toEqual({ secret: made.secret, source: { kind: 'file', path: file, created: false } })
    expect(second.text()).not.toContain(made.secret)
    // A URL signed before a restart still opens after it.
    const url = makeUrlSigner(made.secret).sign('/files/pages/1/thumbnail.png?w=300')
    expect(makeUrlSigner(again.secret).verify(url)).toMatchObject({ ok: true })
  })

  it('refuses a secret file group or others can read, naming the fix', () => {
    const dataDir = makeDataDir()
    const { source } = loadSigningSecret({ signingSecret: undefined, production: false, dataDir })
    const file = (source as { path: string }).path
    fs.chmodSync(file, 0o644)
    let error: unknown
    try {
      loadSigningSecret({ signingSecret: undefined, production: false, dataDir })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SigningSecretFileError)
    expect((error as SigningSecretFileError).code).toBe('insecure_permissions')
    expect((error as Error).message).toContain(`chmod 600 '${file}'`)
  })

  it('uses SIGNING_SECRET as given, requires it in production, and refuses a short one by name only', () => {
    const secret = 'x'.repeat(40)
    const dataDir = makeDataDir()
    expect(loadSigningSecret({ signingSecret: secret, production: true, dataDir })).toEqual({ secret, source: { kind: 'environment' } })
    expect(fs.existsSync(dataDir)).toBe(false) // nothing written when the environment has it
    expect(() => loadSigningSecret({ signingSecret: undefined, production: true, dataDir })).toThrow(/^SIGNING_SECRET: is required in production/)
    let error: unknown
    try {
      loadSigningSecret({ signingSecret: 'short-secret-value', production: false, dataDir })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).variable).toBe('SIGNING_SECRET')
    expect((error as Error).message).not.toContain('short-secret-value')
  })
})
