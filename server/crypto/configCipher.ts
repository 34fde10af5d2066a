// Integration configs in and out of `config_encrypted`: JSON object → Fernet token under the
// user's key derived from the first master key; decryption tries every master key in order.
import { decryptFernet, encryptFernet } from './fernet.ts'
import { isJsonObject, parseJsonObject, type JsonObject } from './jsonObject.ts'
import { deriveUserKey, toMasterKey, type MasterKey, type MasterKeyInput } from './keys.ts'

export type ConfigDecryptError = {
  code: 'undecryptable' | 'invalid_json' | 'not_a_json_object'
  message: string
}
export type ConfigDecryptResult =
  | { ok: true; config: JsonObject; keyIndex: number }
  | { ok: false; error: ConfigDecryptError }
export type ConfigReencryptResult =
  | { ok: true; token: string; rotated: boolean }
  | { ok: false; error: ConfigDecryptError }

export type ConfigCipher = {
  /** Fingerprints of the master keys, in order (index 0 encrypts); safe to log. */
  readonly fingerprints: readonly string[]
  encrypt(userId: UserId, config: JsonObject): string
  decrypt(userId: UserId, token: string): ConfigDecryptResult
  /** True when the token opens, but only under a key other than the first. */
  needsRotation(userId: UserId, token: string): boolean
  /** Re-encrypts under the first key when needed; a token already under it is returned unchanged. */
  reencrypt(userId: UserId, token: string): ConfigReencryptResult
}
type UserId = string | number | bigint

// Messages say what went wrong, never what the value held.
const MESSAGES: Record<ConfigDecryptError['code'], string> = {
  undecryptable:
    'The integration config does not open under any configured master key (another key, another user, or a damaged value)',
  invalid_json: 'The integration config opened but is not valid UTF-8 JSON',
  not_a_json_object: 'The integration config opened but is not a JSON object',
}

/** `masterKeys`: one key or a list, first encrypts (as from readMasterKeys). Throws if empty or malformed. */
export function makeConfigCipher(masterKeys: MasterKeyInput | readonly MasterKeyInput[]): ConfigCipher {
  const keys: MasterKey[] = (Array.isArray(masterKeys) ? masterKeys : [masterKeys]).map(toMasterKey)
  if (keys.length === 0) throw new TypeError('makeConfigCipher needs at least one master key')

  function decrypt(userId: UserId, token: string): ConfigDecryptResult {
    for (const [keyIndex, key] of keys.entries()) {
      const opened = decryptFernet(deriveUserKey(key, userId), token)
      if (!opened.ok) continue
      const parsed = parseJsonObject(opened.plaintext)
      if (!parsed.ok) return fail(parsed.code)
      return { ok: true, config: parsed.value, keyIndex }
    }
    return fail('undecryptable')
  }

  function encrypt(userId: UserId, config: JsonObject): string {
    if (!isJsonObject(config)) throw new TypeError('An integration config must be a JSON object')
    return encryptFernet(deriveUserKey(keys[0], userId), JSON.stringify(config))
  }

  return {
    fingerprints: keys.map((k) => k.fingerprint),
    encrypt,
    decrypt,
    needsRotation(userId, token) {
      const result = decrypt(userId, token)
      return result.ok && result.keyIndex > 0
    },
    reencrypt(userId, token) {
      const result = decrypt(userId, token)
      if (!result.ok) return result
      if (result.keyIndex === 0) return { ok: true, token, rotated: false }
      return { ok: true, token: encrypt(userId, result.config), rotated: true }
    },
  }
}

function fail(code: ConfigDecryptError['code']): { ok: false; error: ConfigDecryptError } {
  return { ok: false, error: { code, message: MESSAGES[code] } }
}
