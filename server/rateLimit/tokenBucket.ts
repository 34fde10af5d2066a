// Token buckets kept in PostgreSQL, so a limit holds across every server process. One statement per
// check: refill by the time elapsed, take if enough is there, and report when enough will be.
// Each row carries when it is full again (expires_at): from then on it equals no row, so the same
// statement deletes a few such rows of other keys — the table holds the buckets in use, not every
// key ever seen (made-up tokens, passing addresses).
import { Prisma } from '../generated/prisma/client.ts'
import type { DbTx } from '../db.ts'

export interface BucketPolicy {
  /** Tokens added per second. */
  perSecond: number
  /** Bucket size: the burst allowed after a quiet period. */
  burst: number
}

export type BucketDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number }

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
