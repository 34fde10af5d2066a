// Notion's request limit: "an average of three requests per second per integration, some bursts beyond
// the average allowed", answered with 429 rate_limited and a Retry-After of whole seconds
// (developers.notion.com/reference/request-limits). Modelled as a token bucket per token. A request
// sent before the Retry-After it was given has passed is a violation: it is recorded and refused again.

export interface RateLimitOptions {
  requestsPerSecond?: number
  burst?: number
}

export type RateDecision =
  | { allowed: true; violation: false }
  | { allowed: false; retryAfterSeconds: number; violation: boolean }

interface Bucket {
  tokens: number
  updatedAt: number
  /** Until when the last 429 told this token to wait (ms). */
  blockedUntil: number
}

export const DEFAULT_REQUESTS_PER_SECOND = 3
export const DEFAULT_BURST = 10

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly rate: number
  private readonly burst: number

  constructor(
    private readonly options: RateLimitOptions | false,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.rate = options ? (options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND) : Infinity
    this.burst = options ? (options.burst ?? DEFAULT_BURST) : Infinity
  }

  get enabled(): boolean {
    return this.options !== false
  }

  /** Takes one request from the token's bucket; a token told to wait is refused until its wait is over. */
  admit(key: string): RateDecision {
    const now = this.now()
    const bucket = this.bucketOf(key, now)
    if (now < bucket.blockedUntil) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((bucket.blockedUntil - now) / 1000)), violation: true }
    }
    if (!this.enabled) return { allowed: true, violation: false }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.rate)
    bucket.updatedAt = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { allowed: true, violation: false }
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate))
    bucket.blockedUntil = now + retryAfterSeconds * 1000
    return { allowed: false, retryAfterSeconds, violation: false }
  }

  /** Any Retry-After sent to this token (also from injected 429/529 faults) binds it until then. */
  noteRetryAfter(key: string, seconds: number) {
    const now = this.now()
    const bucket = this.bucketOf(key, now)
    bucket.blockedUntil = Math.max(bucket.blockedUntil, now + seconds * 1000)
  }

  private bucketOf(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = { tokens: this.enabled ? this.burst : 0, updatedAt: now, blockedUntil: 0 }
      this.buckets.set(key, bucket)
    }
    return bucket
  }

  reset() {
    this.buckets.clear()
  }
}
