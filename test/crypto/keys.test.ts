import { createHmac, randomBytes } from 'node:crypto'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { decodeBase64Url } from '../../server/crypto/base64url.ts'
import { decryptFernet, encryptFernet } from '../../server/crypto/fernet.ts'
import {
  deriveUserKey,
  generateMasterKey,
  MasterKey,
  MasterKeyConfigError,
  parseMasterKeys,
  readMasterKeys,
  USER_KEY_HKDF_INFO_PREFIX,
} from '../../server/crypto/keys.ts'

const A = generateMasterKey()
const B = generateMasterKey()

describe('generateMasterKey', () => {
  it('makes 32 random bytes in the 44-character Fernet key format', () => {
    expect(A).toMatch(/^[A-Za-z0-9_-]{43}=$/)
    expect(decodeBase64Url(A)!.length).toBe(32)
    expect(A).not.toBe(B)
  })
})

describe('parseMasterKeys (INTEGRATION_MASTER_KEY)', () => {
  it('reads one key', () => {
    const result = parseMasterKeys(A)
    expect(result.ok && result.keys.map((k) => k.bytes().equals(decodeBase64Url(A)!))).toEqual([true])
  })

  it('reads a comma-separated list in order, spaces and missing "=" tolerated', () => {
    const result = parseMasterKeys(` ${A} ,${B.replace(/=$/, '')}`)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.keys.map((k) => k.bytes().toString('base64url'))).toEqual([
      decodeBase64Url(A)!.toString('base64url'),
      decodeBase64Url(B)!.toString('base64url'),
    ])
  })

  it('says a missing variable is not set', () => {
    for (const value of [undefined, '', '   ']) {
      expect(parseMasterKeys(value)).toEqual({
        ok: false,
        error: { code: 'missing', message: 'INTEGRATION_MASTER_KEY is not set' },
      })
    }
  })

  it('names the variable and the entry of a malformed key, never its value', () => {
    const secretLooking = 'hunter2-is-my-master-key-please-keep-it-safe'
    const result = parseMasterKeys(`${A},${secretLooking}`)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('malformed')
    expect(result.error.message).toMatch(/^INTEGRATION_MASTER_KEY entry 2 of 2 is not a valid key/)
    expect(result.error.message).not.toContain(secretLooking)
    expect(result.error.message).not.toContain(A)
  })

  it('refuses keys of the wrong size, standard base64, and empty entries', () => {
    const standard = randomBytes(32).toString('base64').replace(/[A-Za-z0-9]/, '+')
    for (const value of [randomBytes(16).toString('base64url'), randomBytes(33).toString('base64url'), standard, `${A},`]) {
      const result = parseMasterKeys(value)
      expect(result.ok ? 'ok' : result.error.code, value.length.toString()).toBe('malformed')
    }
  })

  it('refuses a key listed twice', () => {
    const result = parseMasterKeys(`${A},${B},${A}`)
    expect(result).toEqual({ ok: false, error: { code: 'duplicate', message: 'INTEGRATION_MASTER_KEY entry 3 of 3 repeats entry 1' } })
  })

  it('readMasterKeys throws MasterKeyConfigError naming the variable it read', () => {
    expect(() => readMasterKeys({}, 'OTHER_KEY')).toThrow(new MasterKeyConfigError({ code: 'missing', message: 'OTHER_KEY is not set' }))
    expect(readMasterKeys({ INTEGRATION_MASTER_KEY: `${A},${B}` })).toHaveLength(2)
  })
})

describe('MasterKey', () => {
  it('never shows its bytes in JSON, strings or util.inspect (as pino and console would print it)', () => {
    const key = MasterKey.fromText(A)!
    const raw = decodeBase64Url(A)!
    for (const printed of [JSON.stringify({ key }), String(key), inspect(key), inspect({ nested: [key] })]) {
      expect(printed).toContain(key.fingerprint)
      for (const form of [A, raw.toString('base64url'), raw.toString('hex'), raw.toString('base64')]) {
        expect(printed).not.toContain(form.replace(/=+$/, ''))
      }
    }
    expect(key.fingerprint).toMatch(/^[0-9a-f]{8}$/)
    expect(MasterKey.fromText(B)!.fingerprint).not.toBe(key.fingerprint)
  })
})

describe('deriveUserKey', () => {
  it('is HKDF-SHA256(master, salt empty, info = documented prefix + user id), 32 bytes', () => {
    const master = decodeBase64Url(A)!
    const expected = hkdfByHand(master, Buffer.alloc(0), Buffer.from(`${USER_KEY_HKDF_INFO_PREFIX}42`), 32)
    expect(deriveUserKey(A, 42).equals(expected)).toBe(true)
    expect(USER_KEY_HKDF_INFO_PREFIX).toBe('rmirror-cloud integration-config v1 user:')
  })

  it('gives the same key for 42, 42n and "42", from a MasterKey, raw bytes or text', () => {
    const key = deriveUserKey(A, 42)
    expect(deriveUserKey(A, '42').equals(key)).toBe(true)
    expect(deriveUserKey(A, 42n).equals(key)).toBe(true)
    expect(deriveUserKey(MasterKey.fromText(A)!, 42).equals(key)).toBe(true)
    expect(deriveUserKey(decodeBase64Url(A)!, 42).equals(key)).toBe(true)
  })

  it('gives unrelated keys to different users and different masters', () => {
    const keys = [deriveUserKey(A, 1), deriveUserKey(A, 2), deriveUserKey(A, '1 '), deriveUserKey(B, 1)]
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(4)
    expect(keys.some((k) => k.equals(decodeBase64Url(A)!))).toBe(false)
  })

  it("one user's token does not open under another user's key", () => {
    const token = encryptFernet(deriveUserKey(A, 'user-a'), '{"access_token":"secret_a"}')
    expect(decryptFernet(deriveUserKey(A, 'user-a'), token).ok).toBe(true)
    expect(decryptFernet(deriveUserKey(A, 'user-b'), token).ok).toBe(false)
    expect(decryptFernet(A, token).ok).toBe(false) // nor under the master key itself
  })

  it('refuses unusable user ids', () => {
    for (const id of ['', 1.5, Number.NaN, 2 ** 53, null] as unknown as string[]) {
      expect(() => deriveUserKey(A, id)).toThrow(TypeError)
    }
  })
})

// RFC 5869 written out, to check the derivation independently of node's hkdfSync.
function hkdfByHand(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  const prk = createHmac('sha256', salt.length ? salt : Buffer.alloc(32)).update(ikm).digest()
  const blocks: Buffer[] = []
  let previous = Buffer.alloc(0)
  for (let i = 1; blocks.length * 32 < length; i++) {
    previous = createHmac('sha256', prk).update(Buffer.concat([previous, info, Buffer.of(i)])).digest()
    blocks.push(previous)
  }
  return Buffer.concat(blocks).subarray(0, length)
}
