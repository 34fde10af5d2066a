import { makeInvalidRequest, type FakeError } from './errors.ts'
import { readPngSize, sniffFormat, type RecordedImage } from './images.ts'

// The request checks the real chat-completions endpoint makes that an OCR client can trip over,
// in its order: unknown arguments, model, messages, each message and content part, temperature.

/** Request arguments of OpenAI's chat completions; anything else is "Unrecognized request argument". */
const KNOWN_ARGUMENTS = new Set([
  'model', 'messages', 'temperature', 'top_p', 'n', 'stream', 'stream_options', 'stop', 'max_tokens',
  'max_completion_tokens', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs',
  'user', 'seed', 'response_format', 'tools', 'tool_choice', 'parallel_tool_calls', 'store', 'metadata',
  'reasoning_effort', 'service_tier', 'modalities', 'audio', 'prediction', 'web_search_options', 'verbosity',
  'prompt_cache_key', 'safety_identifier',
])
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool']
const PART_TYPES = ['text', 'image_url']
const DETAILS = ['auto', 'low', 'high']
const DATA_URL = /^data:([^;,]*);base64,(.*)$/s
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

export interface ValidRequest {
  model: string
  images: RecordedImage[]
  /** Every text the request carries, system and user, in order. */
  texts: string[]
}

export type Validation = { ok: true; value: ValidRequest } | { ok: false; error: FakeError }

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return 'a string'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal'
  if (typeof value === 'boolean') return 'a boolean'
  return 'an object'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function listValues(values: string[]): string {
  const quoted = values.map((value) => `'${value}'`)
  return quoted.length <= 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`
}

function invalidValue(value: unknown, supported: string[], param: string): FakeError {
  return makeInvalidRequest(`Invalid value: '${String(value)}'. Supported values are: ${listValues(supported)}.`, param, 'invalid_value')
}

function invalidType(param: string, expected: string, value: unknown): FakeError {
  return makeInvalidRequest(`Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`, param, 'invalid_type')
}

function invalidImageUrl(param: string, problem: string): FakeError {
  return makeInvalidRequest(
    `Invalid image URL: '${param}'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got ${problem}.`,
    param,
    'invalid_value',
  )
}

function readImage(part: Record<string, unknown>, param: string): { ok: true; image: RecordedImage } | { ok: false; error: FakeError } {
  const imageUrl = part.image_url
  if (!isRecord(imageUrl)) return { ok: false, error: invalidType(`${param}.image_url`, 'an object', imageUrl) }
  const url = imageUrl.url
  if (typeof url !== 'string') return { ok: false, error: invalidType(`${param}.image_url.url`, 'a string', url) }
  const detail = imageUrl.detail
  if (detail !== undefined && !DETAILS.includes(detail as string)) return { ok: false, error: invalidValue(detail, DETAILS, `${param}.image_url.detail`) }
  const base = { detail: typeof detail === 'string' ? detail : null }
  if (/^https?:\/\//i.test(url)) {
    const image: RecordedImage = { source: 'http', mediaType: null, ...base, byteLength: 0, format: null, isPng: false, width: null, height: null, bytes: null }
    return { ok: true, image }
  }
  const urlParam = `${param}.image_url.url`
  if (!url.startsWith('data:')) return { ok: false, error: invalidImageUrl(urlParam, "a value without the 'data:' prefix") }
  const found = DATA_URL.exec(url)
  if (!found || !found[1].startsWith('image/')) return { ok: false, error: invalidImageUrl(urlParam, 'a value without an image MIME type') }
  if (!BASE64.test(found[2]) || found[2].length % 4 !== 0) return { ok: false, error: invalidImageUrl(urlParam, 'an invalid base64-encoded value') }
  const bytes = new Uint8Array(Buffer.from(found[2], 'base64'))
  if (bytes.length === 0) return { ok: false, error: invalidImageUrl(urlParam, 'empty base64-encoded bytes') }
  const format = sniffFormat(bytes)
  if (format === null) {
    return {
      ok: false,
      error: makeInvalidRequest(
        "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].",
        null,
        'invalid_image_format',
      ),
    }
  }
  const size = format === 'png' ? readPngSize(bytes) : null
  return {
    ok: true,
    image: { source: 'data', mediaType: found[1], ...base, byteLength: bytes.length, format, isPng: format === 'png', width: size?.width ?? null, height: size?.height ?? null, bytes },
  }
}

function validateContent(message: Record<string, unknown>, at: number, request: ValidRequest): FakeError | undefined {
  const param = `messages[${at}].content`
  const content = message.content
  if (typeof content === 'string') {
    request.texts.push(content)
    return undefined
  }
  if (!Array.isArray(content)) return invalidType(param, 'one of a string or array of objects', content)
  if (content.length === 0) return makeInvalidRequest(`Invalid '${param}': empty array. Expected an array with minimum length 1, but got an empty array instead.`, param, 'empty_array')
  for (const [index, part] of content.entries()) {
    const partParam = `${param}[${index}]`
    if (!isRecord(part)) return invalidType(partParam, 'an object', part)
    if (!PART_TYPES.includes(part.type as string)) return invalidValue(part.type, PART_TYPES, `${partParam}.type`)
    if (part.type === 'text') {
      if (typeof part.text !== 'string') return makeInvalidRequest(`Missing required parameter: '${partParam}.text'.`, `${partParam}.text`, 'missing_required_parameter')
      request.texts.push(part.text)
      continue
    }
    if (message.role !== 'user') {
      // Fake's wording: images are only for user messages.
      return makeInvalidRequest(`Image URLs are only allowed for messages with role 'user', but this message with role '${String(message.role)}' contains an image URL.`, partParam, 'invalid_value')
    }
    const read = readImage(part, partParam)
    if (!read.ok) return read.error
    request.images.push(read.image)
  }
  return undefined
}

export function validateChatRequest(body: unknown): Validation {
  if (!isRecord(body)) return { ok: false, error: invalidType('body', 'an object', body) }
  for (const key of Object.keys(body)) {
    if (!KNOWN_ARGUMENTS.has(key)) return { ok: false, error: makeInvalidRequest(`Unrecognized request argument supplied: ${key}`) }
  }
  if (typeof body.model !== 'string' || body.model === '') return { ok: false, error: makeInvalidRequest('you must provide a model parameter') }
  const messages = body.messages
  if (messages === undefined) return { ok: false, error: makeInvalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter') }
  if (!Array.isArray(messages)) return { ok: false, error: invalidType('messages', 'an array of objects', messages) }
  if (messages.length === 0) {
    return { ok: false, error: makeInvalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array') }
  }
  const request: ValidRequest = { model: body.model, images: [], texts: [] }
  for (const [at, message] of messages.entries()) {
    if (!isRecord(message)) return { ok: false, error: invalidType(`messages[${at}]`, 'an object', message) }
    if (!ROLES.includes(message.role as string)) return { ok: false, error: invalidValue(message.role, ROLES, `messages[${at}].role`) }
    const error = validateContent(message, at, request)
    if (error) return { ok: false, error }
  }
  const temperature = body.temperature
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== 'number') return { ok: false, error: invalidType('temperature', 'a decimal', temperature) }
    if (temperature < 0 || temperature > 2) {
      const side = temperature < 0 ? 'below minimum value. Expected a value >= 0' : 'above maximum value. Expected a value <= 2'
      return { ok: false, error: makeInvalidRequest(`Invalid 'temperature': decimal ${side}, but got ${temperature} instead.`, 'temperature', temperature < 0 ? 'decimal_below_min_value' : 'decimal_above_max_value') }
    }
  }
  if (body.stream === true) {
    // The fake does not stream; say so rather than answer in the wrong shape.
    return { ok: false, error: makeInvalidRequest('The local OCR fake does not serve streamed completions (stream: true).', 'stream', 'unsupported_value') }
  }
  return { ok: true, value: request }
}
