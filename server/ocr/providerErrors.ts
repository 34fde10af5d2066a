import { readRetryAfterMs } from './retryAfter.ts'
import type { OcrError } from './types.ts'

// HTTP outcomes → OcrError. Messages come from the provider's error body when it has one
// (OpenAI `{error:{message}}`, Gemini `[{error:{message}}]`, older vLLM `{message}`), cut short,
// and always pass through `redact`, because a misconfigured proxy may echo the key back.

const MAX_MESSAGE_CHARS = 300

interface ProviderErrorBody {
  message?: string
  code?: string
  param?: string
}

function pickString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

function readErrorObject(value: unknown): ProviderErrorBody | undefined {
  if (typeof value === 'string') return { message: pickString(value) }
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  // OpenAI's `code` (null for many 400s), else Gemini's `status` ("INVALID_ARGUMENT").
  const code = pickString(record.code) ?? pickString(record.status)
  return { message: pickString(record.message), code, param: pickString(record.param) }
}

/** The provider's own error message and code, whichever of the common shapes the body has. */
export function readErrorBody(text: string): ProviderErrorBody {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return {}
  }
  const first = Array.isArray(body) ? body[0] : body
  if (typeof first !== 'object' || first === null) return {}
  const record = first as Record<string, unknown>
  return readErrorObject(record.error) ?? readErrorObject(record) ?? {}
}

export function makeRedactor(secret: string | undefined): (text: string) => string {
  if (!secret) return (text) => text
  const forms = [...new Set([secret, encodeURIComponent(secret)])]
  return (text) => forms.reduce((out, form) => out.split(form).join('[redacted]'), text)
}

export function shortenMessage(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS)}…` : flat
}

function describeStatus(response: Response, bodyText: string, parsed: ProviderErrorBody): string {
  if (parsed.message) return parsed.message
  const head = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
  const type = response.headers.get('content-type') ?? ''
  // An HTML error page (a proxy's 502) says nothing a log reader needs.
  const snippet = bodyText.trim() !== '' && !type.includes('html') && !bodyText.trimStart().startsWith('<') ? `: ${bodyText}` : ''
  return `${head}${snippet}`
}

/** A non-2xx answer as an OcrError. */
export function classifyHttpError(response: Response, bodyText: string, redact: (text: string) => string, now: number): OcrError {
  const status = response.status
  const parsed = readErrorBody(bodyText)
  const message = shortenMessage(redact(describeStatus(response, bodyText, parsed)))
  const code = parsed.code === undefined ? {} : { code: redact(parsed.code) }
  const retryAfterMs = readRetryAfterMs(response.headers, now)
  const retry = retryAfterMs === undefined ? {} : { retryAfterMs }
  if (status === 429) return { kind: 'rate_limited', message, ...retry, ...code }
  if (status >= 500) return { kind: 'server_error', status, message, ...retry, ...code }
  if (status === 401 || status === 403) return { kind: 'auth', status, message, ...code }
  if (status === 408) return { kind: 'timeout', message: `provider answered 408: ${message}` }
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location')
    let where = 'another address'
    try {
      if (location) {
        const target = new URL(location, response.url || undefined)
        where = `${target.origin}${target.pathname}`
      }
    } catch {
      // An unparseable Location says nothing useful; keep the generic wording.
    }
    // Following it would resend the key (and a redirected POST may become a GET): the user fixes the URL.
    return { kind: 'bad_request', status, message: redact(`provider redirected to ${where}; set the OCR base URL to the final address`) }
  }
  const param = parsed.param === undefined ? {} : { param: redact(parsed.param) }
  return { kind: 'bad_request', status, message, ...code, ...param }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as { cause?: unknown }).cause
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    return typeof code === 'string' && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message
  }
  return error.message
}

/** A request that got no HTTP answer: our timeout, or the network failed. */
export function classifyFetchFailure(error: unknown, timedOut: boolean, timeoutMs: number, origin: string, redact: (text: string) => string): OcrError {
  if (timedOut) return { kind: 'timeout', message: `no answer from ${origin} within ${timeoutMs} ms` }
  return { kind: 'network', message: shortenMessage(redact(`request to ${origin} failed: ${describeCause(error)}`)) }
}
