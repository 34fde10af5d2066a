// The bodies Readwise answers with (Django REST Framework's): { "detail": "…" } for errors, and the
// 429 with its Retry-After header.

export interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** A short name for the request log. */
  code?: string
}

export const DETAIL = {
  noCredentials: 'Authentication credentials were not provided.',
  invalidToken: 'Invalid token.',
  notFound: 'Not found.',
  throttled: (seconds: number) => `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
  parseError: (message: string) => `JSON parse error - ${message}`,
}

export function throttled(seconds: number): Answer {
  return { status: 429, code: 'rate_limited', body: { detail: DETAIL.throttled(seconds) }, headers: { 'retry-after': String(seconds) } }
}

