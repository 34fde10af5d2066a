// Master keys and the per-user keys derived from them.
//
// INTEGRATION_MASTER_KEY holds one master key or a comma-separated list of them. Each is a
// Fernet-format key: 32 random bytes in URL-safe base64 (44 characters ending in `=`, the `=`
// optional), e.g. the output of generateMasterKey() or Python's Fernet.generate_key().
// The first key encrypts; every key in the list decrypts (rotation: prepend a new key, run
// `npm run keys:rotate`, then drop the old one).
//
// Per-user key = HKDF-SHA256(ikm = master key's 32 bytes, salt = empty,
//                            info = "rmirror-cloud integration-config v1 user:" + String(userId), L = 32),
// used directly as a Fernet key. A different user id gives an unrelated key, so one user's
// ciphertext never opens under another user's key.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { inspect } from 'node:util'
import { decodeBase64Url, encodeBase64Url } from './base64url.ts'

export const MASTER_KEY_ENV = 'INTEGRATION_MASTER_KEY'
export const USER_KEY_HKDF_INFO_PREFIX = 'rmirror-cloud integration-config v1 user:'
export const USER_KEY_HKDF_SALT = ''

const KEY_BYTES = 32
const FINGERPRINT_LABEL = 'rmirror-cloud master-key fingerprint v1'

/** A validated master key. Its bytes never serialize: JSON and util.inspect show only the fingerprint. */
export class MasterKey {
  readonly #bytes: Buffer
  /** 8 hex characters identifying the key in logs (an HMAC of a fixed label, not the key). */
  readonly fingerprint: string

  private constructor(bytes: Buffer) {
    this.#bytes = bytes
    this.fingerprint = createHmac('sha256', bytes).update(FINGERPRINT_LABEL).digest('hex').slice(0, 8)
  }

  /** Returns null when `text` is not a 32-byte URL-safe base64 key. */
  static fromText(text: string): MasterKey | null {
    const bytes = decodeBase64Url(text.trim())
    return bytes !== null && bytes.length === KEY_BYTES ? new MasterKey(bytes) : null
  }

  static fromBytes(bytes: Uint8Array): MasterKey | null {
    return bytes.length === KEY_BYTES ? new MasterKey(Buffer.from(bytes)) : null
  }

  /** A copy of the 32 key bytes. */
  bytes(): Buffer {
    return Buffer.from(this.#bytes)
  }

  toJSON(): string {
    return `[MasterKey ${this.fingerprint}]`
  }

  toString(): string {
    return this.toJSON()
  }

  [inspect.custom](): string {
    return this.toJSON()
  }
}

export type MasterKeyInput = MasterKey | Uint8Array | string
export type MasterKeyError = { code: 'missing' | 'malformed' | 'duplicate'; message: string }
export type ParseMasterKeysResult = { ok: true; keys: MasterKey[] } | { ok: false; error: MasterKeyError }

/** Thrown by readMasterKeys so start-up fails naming the variable (never its value). */
export class MasterKeyConfigError extends Error {
  readonly code: MasterKeyError['code']
  constructor(error: MasterKeyError) {
    super(error.message)
    this.name = 'MasterKeyConfigError'
    this.code = error.code
  }
}

/**
 * Parses one key or a comma-separated list (surrounding spaces ignored). Errors name `source`
 * (the variable or file the value came from) and the entry's position, never the value.
 */
export function parseMasterKeys(value: string | undefined, source: string = MASTER_KEY_ENV): ParseMasterKeysResult {
  if (value === undefined || value.trim() === '') {
    return { ok: false, error: { code: 'missing', message: `${source} is not set` } }
  }
  const entries = value.split(',').map((entry) => entry.trim())
  const keys: MasterKey[] = []
  for (const [index, entry] of entries.entries()) {
    const where = entries.length === 1 ? source : `${source} entry ${index + 1} of ${entries.length}`
    const key = MasterKey.fromText(entry)
    if (key === null) {
      const message =
        `${where} is not a valid key (${entry.length} characters): expected 32 random bytes in ` +
        'URL-safe base64, 44 characters ending in "=", as generateMasterKey() or Python\'s Fernet.generate_key() makes'
      return { ok: false, error: { code: 'malformed', message } }
    }
    const earlier = keys.findIndex((k) => k.bytes().equals(key.bytes()))
    if (earlier >= 0) {
      return { ok: false, error: { code: 'duplicate', message: `${where} repeats entry ${earlier + 1}` } }
    }
    keys.push(key)
  }
  return { ok: true, keys }
}

/** Reads and validates INTEGRATION_MASTER_KEY (or `variable`); throws MasterKeyConfigError. */
export function readMasterKeys(
  env: Record<string, string | undefined> = process.env,
  variable: string = MASTER_KEY_ENV,
): MasterKey[] {
  const result = parseMasterKeys(env[variable], variable)
  if (!result.ok) throw new MasterKeyConfigError(result.error)
  return result.keys
}

/** A fresh master key in the INTEGRATION_MASTER_KEY format (44 characters). */
export function generateMasterKey(): string {
  return encodeBase64Url(randomBytes(KEY_BYTES))
}

/** The user-id spelling the key derivation uses: 42, 42n and "42" give the same key. */
export function normalizeUserId(userId: string | number | bigint): string {
  if (typeof userId === 'number') {
    if (!Number.isSafeInteger(userId)) throw new TypeError('A numeric user id must be a safe integer')
    return String(userId)
  }
  if (typeof userId === 'bigint') return userId.toString()
  if (typeof userId !== 'string' || userId === '') throw new TypeError('A user id must be a non-empty string or an integer')
  return userId
}

/** The 32-byte per-user Fernet key (see the file comment for the exact derivation). */
export function deriveUserKey(masterKey: MasterKeyInput, userId: string | number | bigint): Buffer {
  const ikm = toMasterKey(masterKey).bytes()
  const info = USER_KEY_HKDF_INFO_PREFIX + normalizeUserId(userId)
  return Buffer.from(hkdfSync('sha256', ikm, USER_KEY_HKDF_SALT, info, KEY_BYTES))
}

/** Accepts a MasterKey, 32 raw bytes or their URL-safe base64; throws a TypeError naming no value. */
export function toMasterKey(input: MasterKeyInput): MasterKey {
  if (input instanceof MasterKey) return input
  const key = typeof input === 'string' ? MasterKey.fromText(input) : MasterKey.fromBytes(input)
  if (key === null) throw new TypeError('A master key must be 32 bytes, given raw or as URL-safe base64')
  return key
}
