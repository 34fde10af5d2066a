import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from '../../server/crypto/base64url.ts'
import { makeConfigCipher } from '../../server/crypto/configCipher.ts'
import { decryptFernet, encryptFernet } from '../../server/crypto/fernet.ts'
import { generateMasterKey } from '../../server/crypto/keys.ts'
import { decryptRmirrorConfig, deriveRmirrorUserKey } from '../../server/crypto/rmirrorLegacy.ts'
import { fixturesSkipNote, hasFernetFixtures, readFernetFixture, type RmirrorConfigs } from './fixtures.ts'

describe.skipIf(!hasFernetFixtures)(`rmirror-cloud configs (rmirror-cloud-configs.json)${fixturesSkipNote}`, () => {
  it('every stored value reads back as the config the fixture expects, saying which kind it was', () => {
    const { master_key, users } = readFernetFixture<RmirrorConfigs>('rmirror-cloud-configs.json')
    expect(users.map((u) => u.user_id)).toEqual([1, 42, 7])
    const kinds = users.map((u) => {
      const result = decryptRmirrorConfig(master_key, u.user_id, u.config_encrypted)
      expect(result, `user ${u.user_id}`).toEqual({ ok: true, kind: expect.any(String), config: u.config })
      return result.ok ? result.kind : 'failed'
    })
    expect(kinds).toEqual(['fernet', 'fernet', 'legacy_plain_json'])
  })

  it("uses the master key's last 16 bytes (its encryption half); the signing half opens nothing", () => {
    const { master_key, users } = readFernetFixture<RmirrorConfigs>('rmirror-cloud-configs.json')
    const master = decodeBase64Url(master_key)!
    const ana = users[0]
    const withEncryptionHalf = createHash('sha256').update(master.subarray(16)).update('user_1_salt').digest()
    const withSigningHalf = createHash('sha256').update(master.subarray(0, 16)).update('user_1_salt').digest()
    expect(deriveRmirrorUserKey(master_key, 1).equals(withEncryptionHalf)).toBe(true)
    expect(decryptFernet(encodeBase64Url(withEncryptionHalf), ana.config_encrypted).ok).toBe(true)
    expect(decryptFernet(withSigningHalf, ana.config_encrypted).ok).toBe(false)
  })

  it("refuses a value read under another user's id or another master key", () => {
    const { master_key, users } = readFernetFixture<RmirrorConfigs>('rmirror-cloud-configs.json')
    const ben = users.find((u) => u.user_id === 42)!
    const wrongUser = decryptRmirrorConfig(master_key, 1, ben.config_encrypted)
    expect(wrongUser).toMatchObject({ ok: false, error: { code: 'undecryptable' } })
    expect(JSON.stringify(wrongUser)).not.toContain('secret_')
    expect(decryptRmirrorConfig(generateMasterKey(), 42, ben.config_encrypted).ok).toBe(false)
  })

  it('imports into our scheme: their value → config → our token for our user id → the same config', () => {
    const { master_key, users } = readFernetFixture<RmirrorConfigs>('rmirror-cloud-configs.json')
    const ours = makeConfigCipher(generateMasterKey())
    // Their ids map to ours by email; here our ids are made-up strings to show the two are independent.
    const ourIdByEmail = new Map(users.map((u, i) => [u.email, `our-user-${i}`]))
    for (const u of users) {
      const read = decryptRmirrorConfig(master_key, u.user_id, u.config_encrypted)
      expect(read.ok).toBe(true)
      if (!read.ok) continue
      const ourId = ourIdByEmail.get(u.email)!
      const token = ours.encrypt(ourId, read.config)
      expect(token).not.toContain(String(u.config.access_token))
      expect(ours.decrypt(ourId, token)).toEqual({ ok: true, config: u.config, keyIndex: 0 })
      expect(ours.decrypt(u.user_id, token).ok).toBe(false) // their id is not ours
    }
  })
})

describe('rmirror-cloud scheme without fixtures', () => {
  it('matches the formula for any id, numeric or string', () => {
    const master = generateMasterKey()
    const key = deriveRmirrorUserKey(master, 12345)
    const expected = createHash('sha256').update(decodeBase64Url(master)!.subarray(16, 32)).update('user_12345_salt').digest()
    expect(key.equals(expected)).toBe(true)
    expect(deriveRmirrorUserKey(master, '12345').equals(key)).toBe(true)
  })

  it('tells legacy JSON that is broken or not an object apart from an undecryptable token', () => {
    const master = generateMasterKey()
    expect(decryptRmirrorConfig(master, 1, '{"access_token": "secret_x"')).toMatchObject({ ok: false, error: { code: 'invalid_json' } })
    const arrayToken = encryptFernet(deriveRmirrorUserKey(master, 1), '[1, 2]')
    expect(decryptRmirrorConfig(master, 1, arrayToken)).toMatchObject({ ok: false, error: { code: 'not_a_json_object' } })
    expect(decryptRmirrorConfig(master, 1, 'not a token')).toMatchObject({ ok: false, error: { code: 'undecryptable' } })
  })
})
