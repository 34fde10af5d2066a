import { makeErrorForStatus, type ApiError, type ErrorCode } from './errors.ts'

// Failures on demand: scripted (the next n matching requests fail before they are applied), random
// 5xx at a seeded rate, 504 gateway_timeout after the write was applied (the caller cannot tell whether
// it happened, as with Notion), and added latency.

export interface FaultRequest {
  method: string
  path: string
  /** Stats key, e.g. "PATCH /v1/blocks/:id/children". */
  endpoint: string
  /** The raw request body, so a fault can target requests carrying some content. */
  bodyText: string
}

export type FaultMatch = string | ((request: FaultRequest) => boolean)

export interface FaultSpec {
  status: number
  code?: ErrorCode
  message?: string
  /** Only requests to this endpoint key ("PATCH /v1/blocks/:id/children"). */
  endpoint?: string
  match?: (request: FaultRequest) => boolean
}

export interface RandomFaultOptions {
  seed: number
  statuses?: number[]
  endpoint?: string
}

interface Scripted {
  remaining: number
  spec: FaultSpec
}

interface AfterApply {
  remaining: number
  match?: FaultMatch
}

function matches(request: FaultRequest, endpoint: string | undefined, match: FaultMatch | undefined): boolean {
  if (endpoint !== undefined && request.endpoint !== endpoint) return false
  if (typeof match === 'string') return request.endpoint === match
  return match ? match(request) : true
}

/** mulberry32: small, seedable, good enough to make fault sequences repeatable. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Faults {
  private scripted: Scripted[] = []
  private afterApply: AfterApply[] = []
  private randomRate = 0
  private random: () => number = Math.random
  private randomStatuses = [500, 502, 503, 504]
  private randomEndpoint: string | undefined
  latencyMs = 0

  /** The next n requests matching spec fail with spec.status before anything is applied. */
  failNext(n: number, spec: FaultSpec) {
    this.scripted.push({ remaining: n, spec })
  }

  /** Each request fails with a random 5xx with this probability, repeatably for a seed. */
  setRandom5xxRate(rate: number, options: RandomFaultOptions) {
    this.randomRate = rate
    this.random = makeRandom(options.seed)
    if (options.statuses) this.randomStatuses = options.statuses
    this.randomEndpoint = options.endpoint
  }

  /** The next n matching requests are applied, then answered 504 gateway_timeout. */
  timeoutAfterApply(n: number, match?: FaultMatch) {
    this.afterApply.push({ remaining: n, match })
  }

  setLatency(ms: number) {
    this.latencyMs = ms
  }

  clear() {
    this.scripted = []
    this.afterApply = []
    this.randomRate = 0
    this.latencyMs = 0
  }

  /** A failure to answer instead of handling the request, if one is due. */
  takeBeforeApply(request: FaultRequest): ApiError | undefined {
    const entry = this.scripted.find((s) => s.remaining > 0 && matches(request, s.spec.endpoint, s.spec.match))
    if (entry) {
      entry.remaining -= 1
      this.scripted = this.scripted.filter((s) => s.remaining > 0)
      return makeErrorForStatus(entry.spec.status, entry.spec.code, entry.spec.message)
    }
    if (this.randomRate > 0 && matches(request, this.randomEndpoint, undefined)) {
      if (this.random() < this.randomRate) {
        const status = this.randomStatuses[Math.floor(this.random() * this.randomStatuses.length)]
        return makeErrorForStatus(status)
      }
    }
    return undefined
  }

  /** A 504 to answer after a successful write, if one is due. */
  takeAfterApply(request: FaultRequest): ApiError | undefined {
    const entry = this.afterApply.find((a) => a.remaining > 0 && matches(request, undefined, a.match))
    if (!entry) return undefined
    entry.remaining -= 1
    this.afterApply = this.afterApply.filter((a) => a.remaining > 0)
    return makeErrorForStatus(504)
  }
}
