import { describe, expect, it } from 'vitest'
import { makeConfigCipher } from '../../server/crypto/configCipher.ts'
import { decryptFernet, encryptFernet } from '../../server/crypto/fernet.ts'
import { deriveUserKey, generateMasterKey, parseMasterKeys } from '../../server/crypto/keys.ts'

const OLD = generateMasterKey()
const NEW = generateMasterKey()
const notion = { access_token: 'secret_notion_abcdef123456', database_id: 'db-1', nested: { list: [1, 'two', null] } }

describe('makeConfigCipher', () => {
  it('encrypts a JSON config into a Fernet token that opens to the same config under key 0', () => {
    const cipher = makeConfigCipher([OLD])
    const token = cipher.encrypt(7, notion)
    expect(token).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/)
    expect(token).not.toContain('secret_notion')
    expect(cipher.decrypt(7, token)).toEqual({ ok: true, config: notion, keyIndex: 0 })
    // The token is plain Fernet under the documented per-user key: any Fernet implementation opens it.
    const raw = decryptFernet(deriveUserKey(OLD, 7), token)
    expect(raw.ok && JSON.parse(raw.text())).toEqual(notion)
  })

  it("keeps users apart: user A's token does not open as user B's", () => {
    const cipher = makeConfigCipher(OLD)
    const token = cipher.encrypt('user-a', notion)
    const result = cipher.decrypt('user-b', token)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('undecryptable')
  })

  it('tries every key in order and reports which one opened the token', () => {
    const before = makeConfigCipher([OLD])
    const after = makeConfigCipher([NEW, OLD])
    const oldToken = before.encrypt(1, notion)
    const newToken = after.encrypt(1, notion)
    expect(after.decrypt(1, oldToken)).toEqual({ ok: true, config: notion, keyIndex: 1 })
    expect(after.decrypt(1, newToken)).toEqual({ ok: true, config: notion, keyIndex: 0 })
    expect(before.decrypt(1, newToken).ok).toBe(false) // the new key was never known to the old list
    expect(after.needsRotation(1, oldToken)).toBe(true)
    expect(after.needsRotation(1, newToken)).toBe(false)
    expect(after.needsRotation(1, 'garbage')).toBe(false) // rotation cannot fix what does not open
    expect(after.fingerprints).toHaveLength(2)
  })

  it('rotation re-encrypts every config under the first key, losing none, and resumes after an interruption', () => {
    const users = Array.from({ length: 20 }, (_, i) => i + 1)
    const configs = new Map(users.map((u) => [u, { access_token: `secret_${u}_${'x'.repeat(u)}`, user: u }]))
    const before = makeConfigCipher([OLD])
    const stored = new Map(users.map((u) => [u, before.encrypt(u, configs.get(u)!)]))

    // First run dies after 7 rows; a fresh process with the same key list picks up the rest.
    const firstRun = makeConfigCipher([NEW, OLD])
    let reencrypted = 0
    for (const u of users.slice(0, 7)) {
      const result = firstRun.reencrypt(u, stored.get(u)!)
      expect(result.ok && result.rotated).toBe(true)
      if (result.ok) stored.set(u, result.token)
      reencrypted++
    }
    const secondRun = makeConfigCipher([NEW, OLD])
    const pending = users.filter((u) => secondRun.needsRotation(u, stored.get(u)!))
    expect(pending).toEqual(users.slice(7))
    for (const u of users) {
      const result = secondRun.reencrypt(u, stored.get(u)!)
      expect(result.ok).toBe(true)
      if (!result.ok) continue
      expect(result.rotated).toBe(u > 7) // rows done by the first run are left as they are
      if (result.rotated) reencrypted++
      stored.set(u, result.token)
    }
    expect(reencrypted).toBe(users.length)

    // With the old key dropped, every config still opens, unchanged.
    const newOnly = makeConfigCipher([NEW])
    for (const u of users) expect(newOnly.decrypt(u, stored.get(u)!)).toEqual({ ok: true, config: configs.get(u), keyIndex: 0 })
  })

  it('accepts the keys parseMasterKeys returns', () => {
    const parsed = parseMasterKeys(`${NEW},${OLD}`)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    const cipher = makeConfigCipher(parsed.keys)
    expect(cipher.decrypt(3, makeConfigCipher(OLD).encrypt(3, notion))).toMatchObject({ ok: true, keyIndex: 1 })
  })

  it('says what is wrong without showing what the value held', () => {
    const cipher = makeConfigCipher(OLD)
    const userKey = deriveUserKey(OLD, 5)
    const cases = [
      { token: encryptFernet(userKey, '["secret_in_array"]'), code: 'not_a_json_object' },
      { token: encryptFernet(userKey, 'secret_not_json'), code: 'invalid_json' },
      { token: encryptFernet(userKey, Buffer.from([0xff, 0xfe, 0x7b])), code: 'invalid_json' },
      { token: makeConfigCipher(NEW).encrypt(5, { token: 'secret_other_key' }), code: 'undecryptable' },
    ]
    for (const c of cases) {
      const result = cipher.decrypt(5, c.token)
      expect(result.ok ? 'ok' : result.error.code).toBe(c.code)
      expect(JSON.stringify(result)).not.toContain('secret_')
    }
  })

  it('refuses to encrypt anything but a JSON object, and to start without keys', () => {
    const cipher = makeConfigCipher(OLD)
    for (const bad of [null, [1], 'text', 3] as unknown as Record<string, unknown>[]) {
      expect(() => cipher.encrypt(1, bad)).toThrow(TypeError)
    }
    expect(() => makeConfigCipher([])).toThrow(TypeError)
    expect(() => makeConfigCipher('short')).toThrow(TypeError)
  })
})
