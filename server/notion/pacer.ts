// One pacer per Notion token, shared by every process through PostgreSQL, so that all servers and
// workers together stay within Notion's rate and honour its Retry-After: a token bucket
// (server/rateLimit/tokenBucket.ts) under `notion:<sha256 of the token>` (never the token), blocked
// until the latest Retry-After Notion gave that token. Each take is one atomic statement, so two
// processes together never exceed the rate.
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { DbTx } from '../db.ts'
import { blockBucket, takeFromBucket } from '../rateLimit/tokenBucket.ts'

export interface NotionPacePolicy {
  /** Average requests per second per token (Notion's documented average is 3). */
  requestsPerSecond: number
  /** Requests a quiet token may send at once. */
  burst: number
}

export const DEFAULT_NOTION_PACE: NotionPacePolicy = { requestsPerSecond: 3, burst: 3 }

export interface AcquireOptions {
  signal?: AbortSignal
  /** Give up (NotionPacerWaitError) rather than wait longer than this in total. */
  maxWaitMs?: number
}

export interface NotionPacer {
  /** Resolves when this token may send one request; the slot is taken when it resolves. */
  acquire(tokenHash: string, options?: AcquireOptions): Promise<void>
  /** Records a Retry-After: no request with this token before `until`, from any process. */
  blockUntil(tokenHash: string, until: Date): Promise<void>
}

/** Thrown by acquire when the wait would exceed maxWaitMs: the caller reschedules instead of holding on. */
export class NotionPacerWaitError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Notion asked this integration to wait; the next request may go in ${Math.ceil(retryAfterMs / 1000)} s`)
    this.name = 'NotionPacerWaitError'
  }
}

/** sha256 (hex) of a Notion token: the only form of it the pacer, logs and tables ever hold. */
export function hashNotionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** `<target>:<sha256 hex>`: Notion's tokens by default; another target paced the same way (Readwise) names itself. */
export function makeNotionPacerKey(tokenHash: string, target = 'notion'): string {
  if (!/^[0-9a-f]{64}$/.test(tokenHash)) throw new TypeError('A pacer key takes the sha256 hex of the token, not the token')
  return `${target}:${tokenHash}`
}

// Sleeping a hair past the computed moment keeps float and millisecond rounding on the safe side.
const WAKE_MARGIN_MS = 2

export function makeNotionPacer(db: DbTx, policy: NotionPacePolicy = DEFAULT_NOTION_PACE, target = 'notion'): NotionPacer {
  if (!(policy.requestsPerSecond > 0) || !(policy.burst >= 1)) throw new RangeError('A Notion pace needs requestsPerSecond > 0 and burst ≥ 1')

  const bucket = { perSecond: policy.requestsPerSecond, burst: policy.burst }

  return {
    async acquire(tokenHash, options = {}) {
      const key = makeNotionPacerKey(tokenHash, target)
      let waited = 0
      for (;;) {
        options.signal?.throwIfAborted()
        const { waitMs } = await takeFromBucket(db, key, bucket)
        if (waitMs <= 0) return
        const sleepMs = Math.ceil(waitMs) + WAKE_MARGIN_MS
        if (options.maxWaitMs !== undefined && waited + sleepMs > options.maxWaitMs) throw new NotionPacerWaitError(waitMs)
        await sleep(sleepMs, undefined, { signal: options.signal })
        waited += sleepMs
      }
    },

    async blockUntil(tokenHash, until) {
      const key = makeNotionPacerKey(tokenHash, target)
      // Sent as a delay and applied on the database clock, the clock every taker reads.
      await blockBucket(db, key, until.getTime() - Date.now())
    },
  }
}

/** The pace configured for this deployment (NOTION_REQUESTS_PER_SECOND, NOTION_REQUEST_BURST). */
export function readNotionPace(config: { notionRequestsPerSecond: number; notionRequestBurst: number }): NotionPacePolicy {
  return { requestsPerSecond: config.notionRequestsPerSecond, burst: config.notionRequestBurst }
}
