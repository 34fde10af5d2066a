// Secrets as people and logs may see them: masked for the dashboard, redacted for logs.

/** Keys whose values are secrets wherever they appear (log objects, configs, headers). */
export const SECRET_KEY_PATTERN = /token|password|secret|authorization|api[_-]?key/i
export const REDACTED = '[REDACTED]'

const DOTS = '••••'
// Below this many characters, the last 4 would give away too much of the secret.
const MIN_LENGTH_TO_SHOW_TAIL = 12

/**
 * `••••` followed by the last 4 characters (code points) when the secret has at least 12;
 * shorter secrets are fully masked as `••••••••`; an empty string stays empty (nothing set).
 */
export function maskSecret(secret: string): string {
  const chars = Array.from(secret)
  if (chars.length === 0) return ''
  if (chars.length < MIN_LENGTH_TO_SHOW_TAIL) return DOTS + DOTS
  return DOTS + chars.slice(-4).join('')
}

/**
 * A deep copy of `value` in which every property whose key matches SECRET_KEY_PATTERN holds
 * "[REDACTED]" (whatever it held: string, object, array). Arrays and objects are walked; class
 * instances become plain objects of their own enumerable properties; Errors keep name, message
 * and stack; Dates, binary data and other primitives are kept; cycles become "[Circular]".
 */
export function redactSecrets<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof RegExp) {
    return value
  }
  if (seen.has(value)) return '[Circular]'
  seen.add(value)
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, seen))
    const copy: Record<string, unknown> = {}
    if (value instanceof Error) {
      copy.name = value.name
      copy.message = value.message
      if (value.stack !== undefined) copy.stack = value.stack
    }
    for (const [key, item] of Object.entries(value)) {
      copy[key] = SECRET_KEY_PATTERN.test(key) ? REDACTED : redactValue(item, seen)
    }
    return copy
  } finally {
    // Only ancestors count as cycles; the same object twice side by side is printed twice.
    seen.delete(value)
  }
}
