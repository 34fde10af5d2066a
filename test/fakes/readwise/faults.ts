// Failures on demand for the Readwise fake: the next n matching requests fail before they are
// applied (a 429 with Retry-After, a 5xx), or are applied and then answered 504 (the caller cannot
// tell whether the write happened).
import { throttled, type Answer } from './responses.ts'

export interface FaultRequest {
  method: string
  /** e.g. "POST /api/v2/highlights/" */
  endpoint: string
  bodyText: string
}

export interface ReadwiseFaultSpec {
  status: number
  /** With a 429: the Retry-After in seconds (default 1). */
  retryAfterSeconds?: number
  endpoint?: string
  /** Only requests this says yes to (e.g. carrying some text). */
  match?: (request: FaultRequest) => boolean
}

interface Pending {
  remaining: number
  spec: ReadwiseFaultSpec
  after: boolean
}

export class ReadwiseFaults {
  private pending: Pending[] = []

  failNext(n: number, spec: ReadwiseFaultSpec) {
    this.pending.push({ remaining: n, spec, after: false })
  }

  /** The next n matching requests are applied, then answered 504. */
  failAfterApply(n: number, endpoint?: string) {
    this.pending.push({ remaining: n, spec: { status: 504, endpoint }, after: true })
  }

  takeBefore(request: FaultRequest): Answer | undefined {
    return this.take(request, false)
  }

  takeAfter(request: FaultRequest): Answer | undefined {
    return this.take(request, true)
  }

  clear() {
    this.pending = []
  }

  private take(request: FaultRequest, after: boolean): Answer | undefined {
    const p = this.pending.find((f) => f.after === after && f.remaining > 0 && (f.spec.endpoint === undefined || f.spec.endpoint === request.endpoint) && (f.spec.match?.(request) ?? true))
    if (!p) return undefined
    p.remaining--
    const { status } = p.spec
    if (status === 429) return throttled(p.spec.retryAfterSeconds ?? 1)
    // A validation refusal in DRF's shape (which field Readwise would name is the caller's guess).
    if (status === 400) return { status, code: 'invalid', body: { non_field_errors: ['Invalid data.'] } }
    // Readwise's gateway answers 5xx with an HTML page; the fake sends a DRF-style body.
    return { status, code: `http_${status}`, body: { detail: status === 504 ? 'Gateway Timeout' : 'Server Error' } }
  }
}
