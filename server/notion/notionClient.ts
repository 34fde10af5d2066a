// The one door every Notion request goes through: an @notionhq/client Client with its own retries
// off, pointed at the configured base URL, whose fetch first takes a slot from the token's shared
// pacer and, when Notion answers 429/529, records the Retry-After for every process. Callers use the
// SDK as usual and are paced without thinking about it; retries are scheduled by the caller (a job's
// run_at), never hidden in here.
import { Client, LogLevel, RequestTimeoutError } from '@notionhq/client'
import type { Logger } from '../logger.ts'
import { readRetryAfterMs } from '../ocr/retryAfter.ts'
import { hashNotionToken, type NotionPacer } from './pacer.ts'

export interface MakeNotionClientOptions {
  token: string
  /** config.notionApiBaseUrl: https://api.notion.com, or a local fake in tests. */
  baseUrl: string
  pacer: NotionPacer
  /** One HTTP exchange, counted after the pacer's wait. Default 30 s. */
  timeoutMs?: number
  /** Longest wait for a pacer slot before NotionPacerWaitError (unbounded when unset). */
  maxWaitMs?: number
  /** Aborts pacer waits and requests (a stopping worker). */
  signal?: AbortSignal
  /** The SDK's own log lines go here at debug level (the app logger redacts secrets). */
  logger?: Logger
  /** The HTTP fetch underneath (tests); globalThis.fetch by default. */
  fetch?: typeof fetch
}

const DEFAULT_TIMEOUT_MS = 30_000
// Notion always sends Retry-After with 429; if it ever does not, still back off.
const DEFAULT_BLOCK_MS = 1_000
// The SDK's own timer wraps our fetch, pacer wait included; ours is the one that counts.
const SDK_TIMEOUT_MS = 2 ** 31 - 1
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

export function makeNotionClient(options: MakeNotionClientOptions): Client {
  const { token, baseUrl, pacer, logger, signal } = options
  const tokenHash = hashNotionToken(token)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const send = options.fetch ?? globalThis.fetch

  async function pacedFetch(url: string, init: { body?: string | FormData; headers?: Record<string, string>; method?: string } = {}) {
    await pacer.acquire(tokenHash, { signal, maxWaitMs: options.maxWaitMs })
    const timeout = AbortSignal.timeout(timeoutMs)
    const requestSignal = signal ? AbortSignal.any([signal, timeout]) : timeout
    let response: Response
    let body: string
    try {
      response = await send(url, { method: init.method, headers: init.headers, body: init.body, signal: requestSignal })
      // Read here, so the timeout covers the whole exchange and the SDK gets a settled answer.
      body = await response.text()
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) throw new RequestTimeoutError()
      throw error
    }
    if (response.status === 429 || response.status === 529) {
      const waitMs = readRetryAfterMs(response.headers) ?? DEFAULT_BLOCK_MS
      await pacer.blockUntil(tokenHash, new Date(Date.now() + waitMs))
    }
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }

  return new Client({
    auth: token,
    baseUrl,
    retry: false,
    timeoutMs: SDK_TIMEOUT_MS,
    fetch: pacedFetch,
    logLevel: logger ? LogLevel.DEBUG : LogLevel.ERROR,
    logger: (level, message, extraInfo) => {
      if (logger) logger.debug({ notion: extraInfo, notionLevel: level }, `notion: ${message}`)
    },
  })
}
