// What tests read back about the traffic: counts by endpoint and status, 429s sent, requests that
// ignored a Retry-After, and a log of every request.

export interface RequestLogEntry {
  requestId: string
  method: string
  /** Path with query string, as received. */
  path: string
  /** Stats key, e.g. "PATCH /v1/blocks/:id/children"; "<METHOD> (unknown)" for unserved URLs. */
  endpoint: string
  status: number
  code?: string
  /** Integration name when the token is known. */
  integration: string | null
  /** First 12 hex digits of sha256(token), or null when no token was sent. */
  tokenHash: string | null
  retryAfterViolation: boolean
  /** Epoch ms when the request arrived. */
  at: number
}

export interface Stats {
  requests: number
  byEndpoint: Record<string, number>
  byStatus: Record<number, number>
  rateLimited: number
  retryAfterViolations: number
}

export class RequestRecorder {
  private entries: RequestLogEntry[] = []

  record(entry: RequestLogEntry) {
    this.entries.push(entry)
  }

  log(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }))
  }

  stats(): Stats {
    const stats: Stats = { requests: 0, byEndpoint: {}, byStatus: {}, rateLimited: 0, retryAfterViolations: 0 }
    for (const e of this.entries) {
      stats.requests += 1
      stats.byEndpoint[e.endpoint] = (stats.byEndpoint[e.endpoint] ?? 0) + 1
      stats.byStatus[e.status] = (stats.byStatus[e.status] ?? 0) + 1
      if (e.status === 429 && e.code === 'rate_limited') stats.rateLimited += 1
      if (e.retryAfterViolation) stats.retryAfterViolations += 1
    }
    return stats
  }

  clear() {
    this.entries = []
  }
}
