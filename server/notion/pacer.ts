// One pacer per Notion token, shared by every process through PostgreSQL (../shared/DESIGN.md,
// "Reliability rules"): a token bucket in `rate_limit_buckets` under `notion:<sha256 of the token>`
// (never the token), plus `blocked_until` holding the latest Retry-After Notion gave that token.
// Each take is one atomic statement (the row lock of INSERT … ON CONFLICT serialises takers), so two
// processes together never exceed the rate. Times come from the database clock, so processes whose
// clocks disagree still agree on the bucket.
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { DbTx } from '../db.ts'

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

  /** Takes a slot if one is free; otherwise says how long until one may be (ms). */
  async function tryTake(key: string): Promise<number> {
    const rows = await db.$queryRaw<{ wait_ms: number }[]>`
      with p as materialized (select ${policy.burst}::float8 as burst, ${policy.requestsPerSecond}::float8 as rate, clock_timestamp() as now)
      insert into rate_limit_buckets as b (key, tokens, allowed, updated_at)
      select ${key}, p.burst - 1, true, p.now from p
      on conflict (key) do update set
        tokens = case when b.blocked_until > (select now from p) then b.tokens
                      else least((select burst from p), b.tokens + greatest(0, extract(epoch from (select now from p) - b.updated_at)) * (select rate from p))
                           - case when least((select burst from p), b.tokens + greatest(0, extract(epoch from (select now from p) - b.updated_at)) * (select rate from p)) >= 1 then 1 else 0 end end,
        allowed = coalesce(b.blocked_until <= (select now from p), true)
                  and least((select burst from p), b.tokens + greatest(0, extract(epoch from (select now from p) - b.updated_at)) * (select rate from p)) >= 1,
        updated_at = case when b.blocked_until > (select now from p) then b.updated_at else (select now from p) end
      returning case
        when b.allowed then 0::float8
        when b.blocked_until > (select now from p) then extract(epoch from b.blocked_until - (select now from p)) * 1000
        else (1 - b.tokens) / (select rate from p) * 1000 end as wait_ms`
    return Number(rows[0].wait_ms)
  }

  return {
    async acquire(tokenHash, options = {}) {
      const key = makeNotionPacerKey(tokenHash, target)
      let waited = 0
      for (;;) {
        options.signal?.throwIfAborted()
        const waitMs = await tryTake(key)
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
      const delayMs = Math.max(0, until.getTime() - Date.now())
      // After the wait the bucket restarts with one slot: one request at once, then the steady rate.
      await db.$executeRaw`
        with p as materialized (select clock_timestamp() + make_interval(secs => ${delayMs / 1000}::float8) as until)
        insert into rate_limit_buckets as b (key, tokens, allowed, updated_at, blocked_until)
        select ${key}, 1, false, p.until, p.until from p
        on conflict (key) do update set
          blocked_until = greatest(coalesce(b.blocked_until, '-infinity'::timestamptz), (select until from p)),
          updated_at = greatest(b.updated_at, (select until from p)),
          tokens = 1,
          allowed = false`
    },
  }
}

/** The pace configured for this deployment (NOTION_REQUESTS_PER_SECOND, NOTION_REQUEST_BURST). */
export function readNotionPace(config: { notionRequestsPerSecond: number; notionRequestBurst: number }): NotionPacePolicy {
  return { requestsPerSecond: config.notionRequestsPerSecond, burst: config.notionRequestBurst }
}
