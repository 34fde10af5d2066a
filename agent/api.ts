// The agent's GraphQL client. Network errors, 5xx and 429 are retried with backoff (429 after the
// server's Retry-After, which also holds back every other request of this client); what is left is
// returned as a typed error, never thrown.
import {
  DELETE_NOTEBOOK,
  SYNC_NOTEBOOK_METADATA,
  UPLOAD_PAGE,
  VIEWER,
  type NotebookMetadataInput,
  type UploadedPage,
} from './operations.ts'
import { computeBackoffMs, DEFAULT_RETRY, parseRetryAfterMs, sleep, type RetryOptions } from './retryPolicy.ts'

export interface ApiError {
  /** The server's code (INVALID_FILE, FILE_TOO_LARGE, NOT_FOUND, …) or one of ours: NETWORK_ERROR,
   * SERVER_ERROR, RATE_LIMITED, NOT_AUTHENTICATED, HTTP_ERROR, BAD_RESPONSE, GRAPHQL_ERROR, ABORTED. */
  code: string
  message: string
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export interface RetryNotice {
  operation: string
  attempt: number
  delayMs: number
  reason: string
}

export interface ApiClientOptions {
  url: string
  token: string
  retry?: Partial<RetryOptions>
  requestTimeoutMs?: number
  onRetry?: (notice: RetryNotice) => void
  /** Stops waiting and sending (watch mode's stop). */
  signal?: AbortSignal
  userAgent?: string
}

export interface ApiClient {
  fetchViewer(): Promise<ApiResult<{ id: string; email: string } | null>>
  syncNotebookMetadata(notebooks: NotebookMetadataInput[]): Promise<ApiResult<{ id: string; uuid: string }[]>>
  uploadPage(input: { notebookUuid: string; pageUuid: string; bytes: Uint8Array }): Promise<ApiResult<UploadedPage>>
  deleteNotebook(uuid: string): Promise<ApiResult<true>>
  /** Any other operation (JSON body), with the same retries: the value of `field` in `data`, or the typed error it answered. */
  execute(operationName: string, query: string, variables: Record<string, unknown>, field: string): Promise<ApiResult<unknown>>
}

const AUTH_CODES = new Set(['NOT_AUTHENTICATED', 'UNAUTHENTICATED', 'NOT_ALLOWED', 'FORBIDDEN'])

/** The token is missing, wrong, revoked or lacks the agent scope: nothing else will work either. */
export function isAuthError(error: ApiError): boolean {
  return AUTH_CODES.has(error.code)
}

type Attempt =
  | { result: ApiResult<unknown> }
  /** Worth another try; afterMs is the server's Retry-After when it sent one. */
  | { retry: { code: 'NETWORK_ERROR' | 'SERVER_ERROR' | 'RATE_LIMITED'; message: string; afterMs: number | null } }

export function createApiClient(options: ApiClientOptions): ApiClient {
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry }
  const endpoint = `${options.url.replace(/\/+$/, '')}/graphql`
  const timeoutMs = options.requestTimeoutMs ?? 120_000
  // A 429 pauses the whole client: the limit is per token, so the other uploads would be refused too.
  let pausedUntil = 0

  async function request(operation: string, makeBody: () => { body: BodyInit; contentType?: string }, field: string): Promise<ApiResult<unknown>> {
    let last: ApiError = { code: 'NETWORK_ERROR', message: 'no attempt made' }
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      await sleep(pausedUntil - Date.now(), options.signal)
      if (options.signal?.aborted) return { ok: false, error: { code: 'ABORTED', message: 'stopped' } }
      const outcome = await sendOnce(makeBody(), field)
      if ('result' in outcome) return outcome.result
      last = { code: outcome.retry.code, message: outcome.retry.message }
      if (attempt === retry.maxAttempts) break
      let delayMs = computeBackoffMs(attempt, retry)
      if (outcome.retry.afterMs !== null) {
        // Honour the server's time, plus a little spread so parallel uploads do not return together.
        delayMs = Math.min(outcome.retry.afterMs, retry.maxRetryAfterMs) + Math.round(Math.random() * 50)
        pausedUntil = Math.max(pausedUntil, Date.now() + delayMs)
      }
      options.onRetry?.({ operation, attempt, delayMs, reason: last.message })
      await sleep(delayMs, options.signal)
    }
    return { ok: false, error: { ...last, message: `${last.message} (gave up after ${retry.maxAttempts} attempts)` } }
  }

  async function sendOnce(payload: { body: BodyInit; contentType?: string }, field: string): Promise<Attempt> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      accept: 'application/graphql-response+json, application/json',
      'user-agent': options.userAgent ?? 'rmirror-agent',
    }
    if (payload.contentType) headers['content-type'] = payload.contentType
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])]
    let response: Response
    let text: string
    try {
      response = await fetch(endpoint, { method: 'POST', headers, body: payload.body, signal: AbortSignal.any(signals) })
      text = await response.text()
    } catch (err) {
      if (options.signal?.aborted) return { result: { ok: false, error: { code: 'ABORTED', message: 'stopped' } } }
      return { retry: { code: 'NETWORK_ERROR', message: `network error: ${describeNetworkError(err)}`, afterMs: null } }
    }
    const status = response.status
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'))
    if (status === 429) return { retry: { code: 'RATE_LIMITED', message: 'HTTP 429 (rate limited)', afterMs: retryAfterMs } }
    if (status >= 500) return { retry: { code: 'SERVER_ERROR', message: `HTTP ${status}`, afterMs: retryAfterMs } }
    if (status === 413) return { result: { ok: false, error: { code: 'FILE_TOO_LARGE', message: 'the server refused the request as too large (HTTP 413)' } } }
    let json: { data?: Record<string, unknown> | null; errors?: { message?: string; extensions?: { code?: string } }[] }
    try {
      json = JSON.parse(text)
    } catch {
      if (status === 401 || status === 403) return { result: { ok: false, error: { code: 'NOT_AUTHENTICATED', message: `the server refused the token (HTTP ${status})` } } }
      return { result: { ok: false, error: { code: status >= 400 ? 'HTTP_ERROR' : 'BAD_RESPONSE', message: `HTTP ${status}: not a GraphQL response` } } }
    }
    const firstError = json.errors?.[0]
    const errorCode = firstError?.extensions?.code
    if (errorCode === 'RATE_LIMITED') return { retry: { code: 'RATE_LIMITED', message: firstError?.message ?? 'rate limited', afterMs: retryAfterMs } }
    if (status === 401 || status === 403 || (errorCode && AUTH_CODES.has(errorCode)))
      return { result: { ok: false, error: { code: errorCode && AUTH_CODES.has(errorCode) ? errorCode : 'NOT_AUTHENTICATED', message: firstError?.message ?? `HTTP ${status}` } } }
    const value = json.data?.[field]
    if (value === undefined || (value === null && firstError)) {
      return { result: { ok: false, error: { code: errorCode ?? (status >= 400 ? 'HTTP_ERROR' : 'GRAPHQL_ERROR'), message: firstError?.message ?? `HTTP ${status}: no ${field} in the response` } } }
    }
    const failure = readErrorMember(value)
    if (failure?.code === 'RATE_LIMITED') return { retry: { code: 'RATE_LIMITED', message: failure.message, afterMs: retryAfterMs } }
    if (failure) return { result: { ok: false, error: failure } }
    return { result: { ok: true, value } }
  }

  const json = (query: string, variables: Record<string, unknown>, operationName: string) => () => ({
    body: JSON.stringify({ query, variables, operationName }),
    contentType: 'application/json',
  })

  return {
    async fetchViewer() {
      const result = await request('Viewer', json(VIEWER, {}, 'Viewer'), 'viewer')
      if (!result.ok) return result
      const viewer = result.value as { id?: unknown; email?: unknown } | null
      return { ok: true, value: viewer && typeof viewer.id === 'string' ? { id: viewer.id, email: String(viewer.email ?? '') } : null }
    },

    async syncNotebookMetadata(notebooks) {
      const result = await request('SyncNotebookMetadata', json(SYNC_NOTEBOOK_METADATA, { input: { notebooks } }, 'SyncNotebookMetadata'), 'syncNotebookMetadata')
      if (!result.ok) return result
      const list = (result.value as { notebooks?: unknown }).notebooks
      if (!Array.isArray(list)) return { ok: false, error: { code: 'BAD_RESPONSE', message: 'syncNotebookMetadata returned no notebooks' } }
      return { ok: true, value: list as { id: string; uuid: string }[] }
    },

    async uploadPage({ notebookUuid, pageUuid, bytes }) {
      // GraphQL multipart request spec: operations, then map, then the file parts, in that order.
      const makeBody = () => {
        const form = new FormData()
        form.append('operations', JSON.stringify({ query: UPLOAD_PAGE, variables: { input: { notebookUuid, pageUuid, file: null } }, operationName: 'UploadPage' }))
        form.append('map', JSON.stringify({ '0': ['variables.input.file'] }))
        form.append('0', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), `${pageUuid}.rm`)
        return { body: form }
      }
      const result = await request('UploadPage', makeBody, 'uploadPage')
      if (!result.ok) return result
      const value = result.value as Partial<UploadedPage>
      if (value.outcome !== 'STORED' && value.outcome !== 'UNCHANGED' && value.outcome !== 'RETRIED')
        return { ok: false, error: { code: 'BAD_RESPONSE', message: `uploadPage returned outcome ${JSON.stringify(value.outcome)}` } }
      return { ok: true, value: { outcome: value.outcome, page: value.page ?? null } }
    },

    async deleteNotebook(uuid) {
      const result = await request('DeleteNotebook', json(DELETE_NOTEBOOK, { input: { uuid } }, 'DeleteNotebook'), 'deleteNotebook')
      return result.ok ? { ok: true, value: true } : result
    },

    execute: (operationName, query, variables, field) => request(operationName, json(query, variables, operationName), field),
  }
}

/** A member of the `Error` interface in a result union: it carries a code and a message. */
function readErrorMember(value: unknown): ApiError | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as { __typename?: unknown; code?: unknown; message?: unknown }
  if (typeof v.code !== 'string') return null
  return { code: v.code, message: typeof v.message === 'string' ? v.message : String(v.__typename ?? v.code) }
}

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError') return 'request timed out'
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err)
}
