// Wrong passwords slow down the one who types them, not the account's owner: failures are counted per
// (email, address) with exponential backoff, and attempts per address are rate-limited. Nothing is
// counted per email alone, so an attacker elsewhere cannot lock a user out. (Each attempt still costs
// a scrypt hash, which bounds guessing from many addresses.)
import type { Db } from '../db.ts'
import { takeToken } from '../rateLimit/tokenBucket.ts'

/** Wrong passwords per (email, address) before the backoff starts. */
export const FREE_LOGIN_FAILURES = 5
/** Longest wait after a wrong password, however many came before. */
const MAX_BACKOFF_SECONDS = 15 * 60
/** A pair's count is forgotten after this long without a failure. */
const FAILURES_KEPT = '1 day'
const LOGIN_PER_ADDRESS = { perSecond: 60 / 60, burst: 60 }

const pairKey = (email: string, address: string) => `login:fail:${address}:${email}`

/** Seconds until this address may try this email again (0: now). Counts the attempt against the address. */
export async function readLoginWait(db: Db, email: string, address: string): Promise<number> {
  const perAddress = await takeToken(db, `login:addr:${address}`, LOGIN_PER_ADDRESS)
  if (!perAddress.allowed) return perAddress.retryAfterSeconds
  const rows = await db.$queryRaw<{ wait: number }[]>`
    select ceil(extract(epoch from blocked_until - clock_timestamp()))::int as wait from rate_limit_buckets
    where key = ${pairKey(email, address)} and blocked_until > clock_timestamp()`
  return rows[0]?.wait ?? 0
}

/** A wrong password: one more failure for the pair; past the free ones, a wait of 1, 2, 4… s (up to 15 min). */
export async function recordLoginFailure(db: Db, email: string, address: string): Promise<void> {
  await db.$executeRaw`
    insert into rate_limit_buckets as b (key, tokens, allowed, updated_at, blocked_until, expires_at)
    values (${pairKey(email, address)}, 1, false, clock_timestamp(), null, clock_timestamp() + ${FAILURES_KEPT}::interval)
    on conflict (key) do update set
      tokens = b.tokens + 1,
      updated_at = clock_timestamp(),
      blocked_until = case when b.tokens + 1 >= ${FREE_LOGIN_FAILURES}
        then clock_timestamp() + make_interval(secs => least(${MAX_BACKOFF_SECONDS}, power(2, b.tokens + 1 - ${FREE_LOGIN_FAILURES}))) end,
      expires_at = clock_timestamp() + ${FAILURES_KEPT}::interval`
}

/** The right password: the pair starts afresh. */
export async function clearLoginFailures(db: Db, email: string, address: string): Promise<void> {
  await db.$executeRaw`delete from rate_limit_buckets where key = ${pairKey(email, address)}`
}
