// Strict URL-safe base64 (RFC 4648 §5), the encoding of Fernet keys and tokens.
// Node's own decoder skips characters outside the alphabet and ignores stray trailing bits,
// so one byte string would have many accepted spellings; this decoder accepts exactly one
// spelling per byte string, with or without its `=` padding.

const ALPHABET = /^[A-Za-z0-9_-]*$/

/** Decodes URL-safe base64; returns null for anything that is not its canonical spelling. */
export function decodeBase64Url(text: string): Buffer | null {
  if (typeof text !== 'string') return null
  const body = text.replace(/=+$/, '')
  const padding = text.length - body.length
  if (!ALPHABET.test(body)) return null
  if (body.length % 4 === 1) return null
  if (padding > 0 && (text.length % 4 !== 0 || padding > 2)) return null
  const bytes = Buffer.from(body, 'base64url')
  // Re-encoding exposes non-zero trailing bits, which Node drops silently.
  if (bytes.toString('base64url') !== body) return null
  return bytes
}

/** Encodes with `=` padding, as Python's base64.urlsafe_b64encode does. */
export function encodeBase64Url(bytes: Uint8Array): string {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
  return body + '='.repeat((4 - (body.length % 4)) % 4)
}
