// Token buckets kept in PostgreSQL (rate_limit_buckets), so a limit holds across every process: the
// API's request limit (takeToken) and the Notion and Readwise pacers (takeFromBucket, blockBucket) all
// take from here. Each take is one atomic statement (the row lock of INSERT … ON CONFLICT serialises
// takers): refill by the time elapsed, take if enough is there, and report when enough will be. A
// pacer's bucket can also be blocked until a moment (a Retry-After the remote service gave). Times
// come from the database clock, so processes whose clocks disagree still agree on the bucket.
// The API's buckets carry when they are full again (expires_at): from then on such a bucket equals no
// row, so the same statement deletes a few of them for other keys — the table holds the buckets in
// use, not every key ever seen (made-up tokens, passing addresses). Pacer rows have no expiry.
import { Prisma } from '../generated/prisma/client.ts'
import type { DbTx } from '../db.ts'

export interface BucketPolicy {
  /** Tokens added per second. */
  perSecond: number
  /** Bucket size: the burst allowed after a quiet period. */
  burst: number
}

export interface BucketTake {
  allowed: boolean
  /** Tokens left after the take (fractional). */
  tokens: number
  /** 0 when allowed; otherwise how long until the take could pass (ms), a block included. */
  waitMs: number
}

/** Takes `cost` tokens from the bucket under `key` if they are there. */
export async function takeFromBucket(db: DbTx, key: string, policy: BucketPolicy, cost = 1): Promise<BucketTake> {
  const rows = await db.$queryRaw<{ tokens: number; allowed: boolean; wait_ms: number }[]>`
    with p as materialized (select ${policy.burst}::float8 as burst, ${policy.perSecond}::float8 as rate, ${cost}::float8 as cost, clock_timestamp() as now)
    insert into rate_limit_buckets as b (key, tokens, allowed, updated_at)
    select ${key}, p.burst - p.cost, p.burst >= p.cost, p.now from p
    on conflict (key) do update set
      tokens = case when b.blocked_until > (select now from p) then b.tokens
                    else least((select burst from p), b.tokens + greatest(0, extract(epoch from (select now from p) - b.updated_at)) * (select rate from p))
                         - case when least((select burst from p), b.tokens + greatest(0, extract(epoch from (select now from p) - b.updated_at)) * (select rate from p)) >= (select cost from p)
                                then (select cost from p) else 0 end end,
      allowed = coalesce(b.blocked_until <= (select now from p), true)
                and least((select burst from p), b.tokens + greatest(0, extract(epoch from (select now from p) - b.updated_at)) * (select rate from p)) >= (select cost from p),
      updated_at = case when b.blocked_until > (select now from p) then b.updated_at else (select now from p) end
    returning b.tokens, b.allowed, case
      when b.allowed then 0::float8
      when b.blocked_until > (select now from p) then extract(epoch from b.blocked_until - (select now from p)) * 1000
      else ((select cost from p) - b.tokens) / (select rate from p) * 1000 end as wait_ms`
  const { tokens, allowed, wait_ms } = rows[0]
  return { allowed, tokens: Number(tokens), waitMs: Number(wait_ms) }
}

/**
 * No take passes before `delayMs` from now (on the database clock); a later block already there
 * stays. After it the bucket restarts with one token: one request at once, then the steady rate.
 */
export async function blockBucket(db: DbTx, key: string, delayMs: number): Promise<void> {
  await db.$executeRaw`
    with p as materialized (select clock_timestamp() + make_interval(secs => ${Math.max(0, delayMs) / 1000}::float8) as until)
    insert into rate_limit_buckets as b (key, tokens, allowed, updated_at, blocked_until)
    select ${key}, 1, false, p.until, p.until from p
    on conflict (key) do update set
      blocked_until = greatest(coalesce(b.blocked_until, '-infinity'::timestamptz), (select until from p)),
      updated_at = greatest(b.updated_at, (select until from p)),
      tokens = 1,
      allowed = false`
}

export type BucketDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number }

/** The API's form: whole tokens left, or whole seconds to wait (at least 1). */
/** Expired buckets of other keys deleted per check: more than keys are added, so the table shrinks to those in use. */
const SWEEP_PER_CHECK = 8

export async function takeToken(db: DbTx, key: string, policy: BucketPolicy, cost = 1): Promise<BucketDecision> {
  const burst = Prisma.sql`${policy.burst}::float8`
  const rate = Prisma.sql`${policy.perSecond}::float8`
  const need = Prisma.sql`${cost}::float8`
  const refilled = Prisma.sql`least(${burst}, b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * ${rate})`
  const left = Prisma.sql`(${refilled} - case when ${refilled} >= ${need} then ${need} else 0 end)`
  const rows = await db.$queryRaw<{ tokens: number; allowed: boolean }[]>`
    with swept as (
      delete from rate_limit_buckets where key in (
        select key from rate_limit_buckets where expires_at < clock_timestamp() and key <> ${key}
        limit ${SWEEP_PER_CHECK} for update skip locked)
    )
    insert into rate_limit_buckets as b (key, tokens, allowed, updated_at, expires_at)
    values (${key}, ${burst} - ${need}, ${burst} >= ${need}, clock_timestamp(),
            clock_timestamp() + make_interval(secs => greatest(0, ${need}) / ${rate}))
    on conflict (key) do update set
      allowed = ${refilled} >= ${need},
      tokens = ${left},
      updated_at = clock_timestamp(),
      expires_at = clock_timestamp() + make_interval(secs => greatest(0, ${burst} - ${left}) / ${rate})
    returning tokens, allowed`
  const { tokens, allowed } = rows[0]
  if (allowed) return { allowed: true, remaining: Math.floor(tokens) }
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / policy.perSecond)) }
}
