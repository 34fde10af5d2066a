import { execFileSync } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from '../../server/crypto/base64url.ts'
import { decryptFernet, encryptFernet, FernetKeyError } from '../../server/crypto/fernet.ts'
import {
  fixturesSkipNote,
  hasFernetFixtures,
  readFernetFixture,
  type GenerateVector,
  type InvalidVector,
  type PythonTokens,
  type VerifyVector,
} from './fixtures.ts'

const KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4='

describe.skipIf(!hasFernetFixtures)(`Fernet spec vectors${fixturesSkipNote}`, () => {
  it('generate.json: same now, IV and secret give the same token byte for byte', () => {
    const vectors = readFernetFixture<GenerateVector[]>('spec/generate.json')
    expect(vectors.length).toBeGreaterThan(0)
    for (const v of vectors) {
      const token = encryptFernet(v.secret, v.src, { now: new Date(v.now), iv: Uint8Array.from(v.iv) })
      expect(token).toBe(v.token)
    }
  })

  it('verify.json: each token opens with its TTL at its "now" and gives its source text', () => {
    const vectors = readFernetFixture<VerifyVector[]>('spec/verify.json')
    expect(vectors.length).toBeGreaterThan(0)
    for (const v of vectors) {
      const result = decryptFernet(v.secret, v.token, { ttlSeconds: v.ttl_sec, now: new Date(v.now) })
      expect(result.ok).toBe(true)
      if (!result.ok) continue
      expect(result.text()).toBe(v.src)
      expect(result.timestamp.toISOString()).toBe('1985-10-26T08:20:00.000Z')
    }
  })

  it('invalid.json: every token fails, all with the same error value', () => {
    const vectors = readFernetFixture<InvalidVector[]>('spec/invalid.json')
    expect(vectors.length).toBe(8)
    for (const v of vectors) {
      const result = decryptFernet(v.secret, v.token, { ttlSeconds: v.ttl_sec, now: new Date(v.now) })
      expect(result, v.desc).toEqual({ ok: false, error: 'invalid_token' })
    }
  })

  it('the "expired TTL" token is genuine: it opens without a TTL, and up to exactly TTL seconds after its time', () => {
    const expired = readFernetFixture<InvalidVector[]>('spec/invalid.json').find((v) => v.desc === 'expired TTL')!
    expect(decryptFernet(expired.secret, expired.token).ok).toBe(true)
    // Its timestamp is 01:20:01; Python refuses only when timestamp + ttl < now.
    const early = decryptFernet(expired.secret, expired.token, { ttlSeconds: 60, now: new Date('1985-10-26T01:21:01-07:00') })
    expect(early.ok).toBe(true)
    const late = decryptFernet(expired.secret, expired.token, { ttlSeconds: 60, now: new Date('1985-10-26T01:21:02-07:00') })
    expect(late.ok).toBe(false)
  })
})

describe.skipIf(!hasFernetFixtures)(`tokens made by Python's cryptography${fixturesSkipNote}`, () => {
  it('every Python token opens under the Python key and gives its plaintext', () => {
    const { key, cases } = readFernetFixture<PythonTokens>('python-tokens.json')
    expect(cases.length).toBe(3)
    for (const c of cases) {
      const result = decryptFernet(key, c.token)
      expect(result.ok, c.plaintext).toBe(true)
      if (result.ok) expect(result.text()).toBe(c.plaintext)
    }
  })

  it('our tokens under the same key value open again and have the layout Python reads', () => {
    const { key, cases } = readFernetFixture<PythonTokens>('python-tokens.json')
    for (const c of cases) {
      const ours = encryptFernet(key, c.plaintext)
      const theirs = decodeBase64Url(c.token)!
      const mine = decodeBase64Url(ours)!
      // Same version byte and same total length as Python's token for the same plaintext.
      expect(mine[0]).toBe(0x80)
      expect(mine.length).toBe(theirs.length)
      expect(ours.length).toBe(c.token.length) // padding included exactly as Python emits it
      const opened = decryptFernet(key, ours)
      expect(opened.ok && opened.text()).toBe(c.plaintext)
    }
  })
})

// Proof the other way round needs Python itself; run it where python3 + cryptography exist.
const pythonFernet = findPythonFernet()
describe.skipIf(!pythonFernet || !hasFernetFixtures)(
  `Python's cryptography opens our tokens${pythonFernet ? fixturesSkipNote : ' (skipped: python3 with the cryptography package is not installed)'}`,
  () => {
    it('Fernet(key).decrypt accepts every token we make from the fixture plaintexts', () => {
      const { key, cases } = readFernetFixture<PythonTokens>('python-tokens.json')
      const tokens = cases.map((c) => encryptFernet(key, c.plaintext))
      const script =
        'import json,sys\nfrom cryptography.fernet import Fernet\nd=json.load(sys.stdin)\n' +
        "print(json.dumps([Fernet(d['key']).decrypt(t).decode('utf-8') for t in d['tokens']]))"
      const out = execFileSync(pythonFernet!, ['-c', script], { input: JSON.stringify({ key, tokens }) })
      expect(JSON.parse(out.toString('utf8'))).toEqual(cases.map((c) => c.plaintext))
    })
  },
)

describe('Fernet round trips and refusals (no fixtures needed)', () => {
  it('opens what it made: strings, bytes, empty, multi-block and non-ASCII', () => {
    const key = randomBytes(32)
    for (const text of ['', 'a', 'x'.repeat(16), 'y'.repeat(1000), 'ünïcødé ✓ 日本語 🙂']) {
      const result = decryptFernet(key, encryptFernet(key, text))
      expect(result.ok && result.text()).toBe(text)
    }
    const bytes = randomBytes(77)
    const result = decryptFernet(key, encryptFernet(key, bytes))
    expect(result.ok && Buffer.compare(result.plaintext, bytes)).toBe(0)
  })

  it('records the creation time in the token', () => {
    const now = new Date('2026-11-25T10:00:00.999Z')
    const result = decryptFernet(KEY, encryptFernet(KEY, 'x', { now }))
    expect(result.ok && result.timestamp.toISOString()).toBe('2026-11-25T10:00:00.000Z')
  })

  it('uses a fresh IV each time, so equal plaintexts give different tokens', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    expect(encryptFernet(KEY, 'same', { now })).not.toBe(encryptFernet(KEY, 'same', { now }))
  })

  it('refuses tokens more than 60 s in the future only when a TTL is given (as Python)', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    const future = encryptFernet(KEY, 'x', { now: new Date(now.getTime() + 61_000) })
    const nearFuture = encryptFernet(KEY, 'x', { now: new Date(now.getTime() + 60_000) })
    expect(decryptFernet(KEY, future, { ttlSeconds: 3600, now }).ok).toBe(false)
    expect(decryptFernet(KEY, nearFuture, { ttlSeconds: 3600, now }).ok).toBe(true)
    expect(decryptFernet(KEY, future, { now }).ok).toBe(true)
  })

  it('refuses a token under another key', () => {
    const token = encryptFernet(randomBytes(32), 'secret')
    expect(decryptFernet(randomBytes(32), token)).toEqual({ ok: false, error: 'invalid_token' })
  })

  it('refuses any single flipped bit anywhere in the token', () => {
    const token = encryptFernet(KEY, 'flip me', { now: new Date('2026-01-01T00:00:00Z') })
    const bytes = decodeBase64Url(token)!
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const tampered = Buffer.from(bytes)
        tampered[i] ^= bit
        expect(decryptFernet(KEY, encodeBase64Url(tampered)).ok, `byte ${i}`).toBe(false)
      }
    }
  })

  it('refuses a version other than 0x80 even when the HMAC is right', () => {
    const bytes = decodeBase64Url(encryptFernet(KEY, 'v'))!
    bytes[0] = 0x81
    const signed = bytes.subarray(0, bytes.length - 32)
    const signingKey = decodeBase64Url(KEY)!.subarray(0, 16)
    createHmac('sha256', signingKey).update(signed).digest().copy(bytes, bytes.length - 32)
    expect(decryptFernet(KEY, encodeBase64Url(bytes))).toEqual({ ok: false, error: 'invalid_token' })
  })

  it('refuses a token whose last character carries stray bits (same bytes, another spelling)', () => {
    const token = encryptFernet(KEY, 'x'.repeat(16)) // 57 + 32 bytes: one padding "="
    expect(token).toMatch(/[A-Za-z0-9_-]=$/)
    const last = token.at(-2)!
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] // differs only in a bit the decoder drops
    expect(decryptFernet(KEY, token).ok).toBe(true)
    expect(decryptFernet(KEY, token.slice(0, -2) + sibling + '=').ok).toBe(false)
  })

  it('accepts a token with its "=" padding removed, and refuses wrong padding or foreign characters', () => {
    const token = encryptFernet(KEY, 'pad') // 100 characters: 2 of them "=" padding
    expect(token.endsWith('==')).toBe(true)
    expect(decryptFernet(KEY, token.replace(/=+$/, '')).ok).toBe(true)
    expect(decryptFernet(KEY, token + '=').ok).toBe(false)
    expect(decryptFernet(KEY, token.slice(0, -1)).ok).toBe(false)
    expect(decryptFernet(KEY, token.replace(/-|_/, '+')).ok).toBe(false) // standard base64 is not base64url
    expect(decryptFernet(KEY, token.slice(0, 10) + ' ' + token.slice(10)).ok).toBe(false)
  })

  it('never throws on junk tokens', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.uint8Array().map((b) => encodeBase64Url(Uint8Array.of(0x80, ...b)))), (junk) => {
        expect(decryptFernet(KEY, junk)).toEqual({ ok: false, error: 'invalid_token' })
      }),
    )
    for (const junk of [undefined, null, 42, {}] as unknown as string[]) {
      expect(decryptFernet(KEY, junk)).toEqual({ ok: false, error: 'invalid_token' })
    }
  })

  it('throws FernetKeyError for a malformed key, without echoing it', () => {
    const badKey = 'not-a-key-but-a-secret-value'
    for (const key of [badKey, randomBytes(16), KEY.slice(0, -2)]) {
      let thrown: unknown
      try {
        encryptFernet(key, 'x')
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(FernetKeyError)
      expect(String((thrown as Error).message)).not.toContain(badKey)
    }
    expect(() => decryptFernet(badKey, 'x')).toThrow(FernetKeyError)
  })

  it('accepts the key as 32 raw bytes or as base64 with or without its "="', () => {
    const raw = decodeBase64Url(KEY)!
    const token = encryptFernet(raw, 'same key')
    expect(decryptFernet(KEY, token).ok).toBe(true)
    expect(decryptFernet(KEY.replace(/=$/, ''), token).ok).toBe(true)
  })
})

function findPythonFernet(): string | null {
  for (const python of ['python3', 'python']) {
    try {
      execFileSync(python, ['-c', 'import cryptography.fernet'], { stdio: 'ignore' })
      return python
    } catch {
      /* not this one */
    }
  }
  return null
}
