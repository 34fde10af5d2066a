// Fernet (https://github.com/fernet/spec, Spec.md) on node:crypto, token-compatible with
// Python's cryptography.fernet: 0x80 ‖ timestamp (u64 BE seconds) ‖ IV (16) ‖ AES-128-CBC
// ciphertext (PKCS#7) ‖ HMAC-SHA256 over everything before it, URL-safe base64 with padding.
// The key is 32 bytes: the first 16 sign, the last 16 encrypt.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { decodeBase64Url, encodeBase64Url } from './base64url.ts'

/** A Fernet key: 32 raw bytes, or their URL-safe base64 (44 characters; the trailing `=` optional). */
export type FernetKeyInput = Uint8Array | string

export type FernetSuccess = {
  ok: true
  plaintext: Buffer
  /** When the token was made (from the token itself, authenticated by its HMAC). */
  timestamp: Date
  /** The plaintext decoded as UTF-8. */
  text(): string
}
/** Every failure looks alike, as the spec requires: no hint of which check failed. */
export type FernetFailure = { ok: false; error: 'invalid_token' }
export type FernetResult = FernetSuccess | FernetFailure

export type EncryptOptions = { now?: Date; iv?: Uint8Array }
export type DecryptOptions = { ttlSeconds?: number; now?: Date }

/** Thrown for a malformed key: a programming or configuration error, never a bad token. */
export class FernetKeyError extends TypeError {
  constructor() {
    // Never echo the key: it is the secret.
    super('A Fernet key must be 32 bytes, given raw or as URL-safe base64')
    this.name = 'FernetKeyError'
  }
}

const VERSION = 0x80
const KEY_BYTES = 32
const IV_BYTES = 16
const BLOCK_BYTES = 16
const MAC_BYTES = 32
const HEADER_BYTES = 1 + 8 + IV_BYTES
// Python's cryptography accepts tokens from at most 60 s in the future (only when a TTL is given).
const MAX_CLOCK_SKEW_SECONDS = 60
const INVALID: FernetFailure = Object.freeze({ ok: false, error: 'invalid_token' }) as FernetFailure

type SplitKey = { signingKey: Buffer; encryptionKey: Buffer }

/** Splits a Fernet key into its signing and encryption halves; throws FernetKeyError if malformed. */
export function splitFernetKey(key: FernetKeyInput): SplitKey {
  const bytes = typeof key === 'string' ? decodeBase64Url(key) : key instanceof Uint8Array ? Buffer.from(key) : null
  if (bytes === null || bytes.length !== KEY_BYTES) throw new FernetKeyError()
  return { signingKey: bytes.subarray(0, 16), encryptionKey: bytes.subarray(16, 32) }
}

/** Makes a Fernet token. `now` and `iv` exist for the spec's test vectors; leave them unset otherwise. */
export function encryptFernet(key: FernetKeyInput, plaintext: string | Uint8Array, opts: EncryptOptions = {}): string {
  const { signingKey, encryptionKey } = splitFernetKey(key)
  const iv = opts.iv === undefined ? randomBytes(IV_BYTES) : Buffer.from(opts.iv)
  if (iv.length !== IV_BYTES) throw new RangeError(`Fernet IV must be ${IV_BYTES} bytes`)
  const seconds = Math.floor((opts.now ?? new Date()).getTime() / 1000)
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new RangeError('Fernet timestamp must be a date after 1970')

  const header = Buffer.alloc(HEADER_BYTES)
  header[0] = VERSION
  header.writeBigUInt64BE(BigInt(seconds), 1)
  iv.copy(header, 9)
  const cipher = createCipheriv('aes-128-cbc', encryptionKey, iv)
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
  const signed = Buffer.concat([header, cipher.update(data), cipher.final()])
  const mac = createHmac('sha256', signingKey).update(signed).digest()
  return encodeBase64Url(Buffer.concat([signed, mac]))
}

/**
 * Opens a Fernet token. Never throws for a bad token (only for a malformed key or options).
 * With `ttlSeconds`, a token older than that — or more than 60 s in the future — is refused,
 * exactly as Python's `Fernet.decrypt(token, ttl)`; without it, age is not checked.
 */
export function decryptFernet(key: FernetKeyInput, token: string, opts: DecryptOptions = {}): FernetResult {
  const { signingKey, encryptionKey } = splitFernetKey(key)
  if (opts.ttlSeconds !== undefined && !(opts.ttlSeconds >= 0)) throw new RangeError('ttlSeconds must be a number ≥ 0')

  const data = typeof token === 'string' ? decodeBase64Url(token) : null
  if (data === null) return INVALID
  const cipherBytes = data.length - HEADER_BYTES - MAC_BYTES
  if (cipherBytes < BLOCK_BYTES || cipherBytes % BLOCK_BYTES !== 0) return INVALID
  if (data[0] !== VERSION) return INVALID

  const seconds = Number(data.readBigUInt64BE(1))
  if (opts.ttlSeconds !== undefined) {
    const nowSeconds = Math.floor((opts.now ?? new Date()).getTime() / 1000)
    if (seconds + opts.ttlSeconds < nowSeconds) return INVALID
    if (nowSeconds + MAX_CLOCK_SKEW_SECONDS < seconds) return INVALID
  }

  const signed = data.subarray(0, data.length - MAC_BYTES)
  const expected = createHmac('sha256', signingKey).update(signed).digest()
  if (!timingSafeEqual(expected, data.subarray(data.length - MAC_BYTES))) return INVALID

  let plaintext: Buffer
  try {
    const decipher = createDecipheriv('aes-128-cbc', encryptionKey, data.subarray(9, HEADER_BYTES))
    plaintext = Buffer.concat([decipher.update(data.subarray(HEADER_BYTES, signed.length)), decipher.final()])
  } catch {
    return INVALID // bad PKCS#7 padding
  }
  return {
    ok: true,
    plaintext,
    timestamp: new Date(seconds * 1000),
    text: () => plaintext.toString('utf8'),
  }
}
