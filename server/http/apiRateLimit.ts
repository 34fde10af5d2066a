// Request limit for /graphql, shared by every server process (buckets in PostgreSQL). A request with
// a token that authenticates counts against that token; any other (anonymous, a made-up or revoked
// token) against the caller's address, so inventing tokens buys no fresh buckets.
// Over it: HTTP 429 with Retry-After, and a GraphQL error with code RATE_LIMITED; nothing is executed.
import type { ServerResponse } from 'node:http'
import type { Db } from '../db.ts'
import type { Viewer } from '../auth/authenticate.ts'
import { takeToken, type BucketPolicy } from '../rateLimit/tokenBucket.ts'

/** The bucket a request counts against. */
export function rateLimitKey(viewer: Viewer | null, clientAddress: string): string {
  return viewer ? `api:${viewer.tokenHash}` : `anon:${clientAddress}`
}

/** Returns true when the request was answered 429 (the caller stops there). */
export async function refuseIfRateLimited(db: Db, res: ServerResponse, key: string, policy: BucketPolicy): Promise<boolean> {
  const decision = await takeToken(db, key, policy)
  if (decision.allowed) return false
  const seconds = decision.retryAfterSeconds
  res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(seconds) })
  res.end(JSON.stringify({ errors: [{ message: `Too many requests; retry after ${seconds} s`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds } }] }))
  return true
}
