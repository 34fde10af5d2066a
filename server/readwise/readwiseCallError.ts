// A failed call to Readwise, classified by what the sync does next: wait (Retry-After), back off
// (5xx, timeouts, network), or stop and wait for the user (token refused) or for a fix (a request
// Readwise will never accept). Messages never hold the token.

export type ReadwiseCallErrorKind =
  | 'rate_limited' // 429: wait Retry-After
  | 'transient' // 5xx, timeouts, network: back off and retry
  | 'unauthorized' // 401/403: the token was revoked — wait for the user
  | 'not_found' // 404: the highlight was deleted in Readwise
  | 'invalid' // 400: this request will never pass

export class ReadwiseCallError extends Error {
  constructor(
    readonly kind: ReadwiseCallErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'ReadwiseCallError'
  }

  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient'
  }
}

export const READWISE_TOKEN_REJECTED_MESSAGE = 'Readwise rejected the access token: copy a new one from readwise.io/access_token and connect again'

/** Readwise's validation errors (DRF: fields → sentences, a batch → one object per highlight) as one line. */
export function describeValidationErrors(body: unknown): string {
  const parts: string[] = []
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') parts.push(path ? `${path}: ${value}` : value)
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, typeof v === 'string' ? path : `${path}[${i}]`))
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k)
  }
  walk(body, '')
  return parts.length ? parts.slice(0, 5).join('; ') : 'the request was refused'
}
