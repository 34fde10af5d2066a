// Token buckets kept in PostgreSQL, so a limit holds across every server process. One statement per
// check: refill by the time elapsed, take if enough is there, and report when enough will be.
import type { DbTx } from '../db.ts'

export interface BucketPolicy {
  /** Tokens added per second. */
  perSecond: number
  /** Bucket size: the burst allowed after a quiet period. */
  burst: number
}

export type BucketDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number }

export async function takeToken(db: DbTx, key: string, policy: BucketPolicy, cost = 1): Promise<BucketDecision> {
  const rows = await db.$queryRaw<{ tokens: number; allowed: boolean }[]>`
    with policy as (select ${policy.burst}::float8 as burst, ${policy.perSecond}::float8 as rate, ${cost}::float8 as cost)
    insert into rate_limit_buckets as b (key, tokens, allowed, updated_at)
    select ${key}, p.burst - p.cost, p.burst >= p.cost, clock_timestamp() from policy p
    on conflict (key) do update set
      allowed = least((select burst from policy), b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * (select rate from policy)) >= (select cost from policy),
      tokens = least((select burst from policy), b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * (select rate from policy))
               - case when least((select burst from policy), b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * (select rate from policy)) >= (select cost from policy)
                      then (select cost from policy) else 0 end,
      updated_at = clock_timestamp()
    returning tokens, allowed`
  const { tokens, allowed } = rows[0]
  if (allowed) return { allowed: true, remaining: Math.floor(tokens) }
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / policy.perSecond)) }
}
