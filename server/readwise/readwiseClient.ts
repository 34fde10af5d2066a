// The one door every Readwise request goes through: fetch with `Authorization: Token …`, a slot
// from the token's shared pacer first, a timeout, and every failure as a ReadwiseCallError. A 429
// records its Retry-After for every process. Retries are the caller's (a job's run_at), never here.
import { NotionPacerWaitError, type NotionPacer } from '../notion/pacer.ts'
import { readRetryAfterMs } from '../ocr/retryAfter.ts'
import { describeValidationErrors, ReadwiseCallError, READWISE_TOKEN_REJECTED_MESSAGE } from './readwiseCallError.ts'
import { hashReadwiseToken } from './readwisePace.ts'
import type { ReadwiseHighlightInput } from './readwiseHighlights.ts'

export interface ReadwiseBook {
  id: number
  title: string
  author: string | null
  modified_highlights: number[]
}

export interface ReadwiseHighlightUpdate {
  text?: string
  note?: string
  location?: number
  url?: string
}

export interface ReadwiseClient {
  /** GET /api/v2/auth/: resolves on 204. */
  checkToken(): Promise<void>
  /** POST /api/v2/highlights/: the books created or updated, each with the ids it modified. */
  createHighlights(highlights: ReadwiseHighlightInput[]): Promise<ReadwiseBook[]>
  updateHighlight(id: string, update: ReadwiseHighlightUpdate): Promise<void>
  deleteHighlight(id: string): Promise<void>
}

export interface MakeReadwiseClientOptions {
  token: string
  /** config.readwiseApiBaseUrl: https://readwise.io, or the local fake in tests. */
  baseUrl: string
  pacer: NotionPacer
  timeoutMs?: number
  /** Longest wait for a pacer slot before giving up with a rate_limited error. */
  maxWaitMs?: number
  signal?: AbortSignal
  fetch?: typeof fetch
}

// Readwise documents a Retry-After on every 429; if one ever comes without, still back off.
const DEFAULT_BLOCK_MS = 5_000

export function makeReadwiseClient(options: MakeReadwiseClientOptions): ReadwiseClient {
  const { token, pacer, signal } = options
  const base = options.baseUrl.replace(/\/+$/, '')
  const tokenHash = hashReadwiseToken(token)
  const send = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? 30_000

  async function request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    try {
      await pacer.acquire(tokenHash, { signal, maxWaitMs: options.maxWaitMs })
    } catch (error) {
      if (error instanceof NotionPacerWaitError) throw new ReadwiseCallError('rate_limited', `Readwise asked this token to wait; the next request may go in ${Math.ceil(error.retryAfterMs / 1000)} s`, error.retryAfterMs)
      throw error
    }
    const timeout = AbortSignal.timeout(timeoutMs)
    let response: Response
    let text: string
    try {
      response = await send(`${base}${path}`, {
        method,
        headers: { authorization: `Token ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })
      text = await response.text()
    } catch (error) {
      if (signal?.aborted) throw error
      throw new ReadwiseCallError('transient', timeout.aborted ? 'Readwise did not answer in time' : 'Could not reach Readwise')
    }
    let json: unknown = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      json = null
    }
    const status = response.status
    if (status < 300) return { status, json }
    if (status === 429) {
      const waitMs = readRetryAfterMs(response.headers) ?? DEFAULT_BLOCK_MS
      await pacer.blockUntil(tokenHash, new Date(Date.now() + waitMs))
      throw new ReadwiseCallError('rate_limited', 'Readwise rate limited this token', waitMs, status)
    }
    if (status === 401 || status === 403) throw new ReadwiseCallError('unauthorized', READWISE_TOKEN_REJECTED_MESSAGE, undefined, status)
    if (status === 404) throw new ReadwiseCallError('not_found', 'Readwise has no such highlight (deleted there?)', undefined, status)
    if (status >= 500 || status === 408 || status === 409) throw new ReadwiseCallError('transient', `Readwise answered ${status}`, undefined, status)
    throw new ReadwiseCallError('invalid', `Readwise refused the request: ${describeValidationErrors(json)}`, undefined, status)
  }

  return {
    async checkToken() {
      await request('GET', '/api/v2/auth/')
    },
    async createHighlights(highlights) {
      const { json } = await request('POST', '/api/v2/highlights/', { highlights })
      if (!Array.isArray(json)) throw new ReadwiseCallError('transient', 'Readwise answered a create without the books it touched')
      return json as ReadwiseBook[]
    },
    async updateHighlight(id, update) {
      await request('PATCH', `/api/v2/highlights/${encodeURIComponent(id)}/`, update)
    },
    async deleteHighlight(id) {
      await request('DELETE', `/api/v2/highlights/${encodeURIComponent(id)}/`)
    },
  }
}
