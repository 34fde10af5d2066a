// Integration configs are JSON objects; this is the one place their decrypted bytes are parsed.

export type JsonObject = Record<string, unknown>
export type ParseJsonObjectResult =
  | { ok: true; value: JsonObject }
  | { ok: false; code: 'invalid_json' | 'not_a_json_object' }

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Parses UTF-8 bytes or a string as JSON and insists on an object (not an array, null or scalar). */
export function parseJsonObject(input: string | Uint8Array): ParseJsonObjectResult {
  let value: unknown
  try {
    value = JSON.parse(typeof input === 'string' ? input : strictUtf8.decode(input))
  } catch {
    return { ok: false, code: 'invalid_json' }
  }
  return isJsonObject(value) ? { ok: true, value } : { ok: false, code: 'not_a_json_object' }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
