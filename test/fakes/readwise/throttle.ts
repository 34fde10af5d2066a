// Readwise's request limits (readwise.io/api_deets, "Rate Limiting"): 240 requests per minute per
// access token, and 20 per minute for the Highlight LIST and Book LIST endpoints, answered with 429
// and a Retry-After header in seconds. Readwise is a Django REST Framework service (its 429 body is
// DRF's "Request was throttled. Expected available in N seconds."), so the window is modelled as
// DRF's SimpleRateThrottle: a sliding window of request times per token and scope; the wait is the
// time until the oldest request in the window leaves it. A request sent before the Retry-After it
// was given has passed is a violation: recorded, and refused again.

export interface ThrottleOptions {
  /** Requests per window per token on every endpoint (Readwise: 240). */
  requestsPerWindow?: number
  /** Requests per window per token on the LIST endpoints, on top of the base limit (Readwise: 20). */
  listRequestsPerWindow?: number
  /** Window length (Readwise: one minute); tests shorten it. */
  windowMs?: number
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; violation: boolean }

export const READWISE_REQUESTS_PER_MINUTE = 240
export const READWISE_LIST_REQUESTS_PER_MINUTE = 20

export class Throttle {
  private readonly history = new Map<string, number[]>()
  private readonly blockedUntil = new Map<string, number>()
  private readonly base: number
  private readonly list: number
  private readonly windowMs: number

  constructor(
    readonly options: ThrottleOptions | false,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.base = options ? (options.requestsPerWindow ?? READWISE_REQUESTS_PER_MINUTE) : Infinity
    this.list = options ? (options.listRequestsPerWindow ?? READWISE_LIST_REQUESTS_PER_MINUTE) : Infinity
    this.windowMs = options ? (options.windowMs ?? 60_000) : 60_000
  }

  /** One request of this token; `list` for the Highlight LIST and Book LIST endpoints. */
  admit(token: string, list: boolean): ThrottleDecision {
    const now = this.now()
    const blocked = this.blockedUntil.get(token) ?? 0
    if (now < blocked) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((blocked - now) / 1000)), violation: true }
    const scopes: [string, number][] = [[`base:${token}`, this.base]]
    if (list) scopes.push([`list:${token}`, this.list])
    let waitMs = 0
    for (const [scope, limit] of scopes) {
      const times = this.prune(scope, now)
      if (times.length >= limit) waitMs = Math.max(waitMs, times[0] + this.windowMs - now)
    }
    if (waitMs > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000))
      this.blockedUntil.set(token, now + retryAfterSeconds * 1000)
      return { allowed: false, retryAfterSeconds, violation: false }
    }
    for (const [scope] of scopes) this.prune(scope, now).push(now)
    return { allowed: true }
  }

  /** A Retry-After sent for any reason (an injected 429 too) binds the token until then. */
  noteRetryAfter(token: string, seconds: number) {
    const until = this.now() + seconds * 1000
    this.blockedUntil.set(token, Math.max(this.blockedUntil.get(token) ?? 0, until))
  }

  reset() {
    this.history.clear()
    this.blockedUntil.clear()
  }

  private prune(scope: string, now: number): number[] {
    const times = (this.history.get(scope) ?? []).filter((t) => t > now - this.windowMs)
    this.history.set(scope, times)
    return times
  }
}
