// Per-token request limit for /graphql, shared by every server process (buckets in PostgreSQL).
// Over it: HTTP 429 with Retry-After, and a GraphQL error with code RATE_LIMITED; nothing is executed.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Db } from '../db.ts'
import { hashToken } from '../auth/tokens.ts'
import { readBearerToken } from '../auth/bearerToken.ts'
import { takeToken, type BucketPolicy } from '../rateLimit/tokenBucket.ts'

/** Returns true when the request was answered 429 (the caller stops there). */
export async function refuseIfRateLimited(db: Db, req: IncomingMessage, res: ServerResponse, clientAddress: string, policy: BucketPolicy): Promise<boolean> {
  const token = readBearerToken(req.headers.authorization)
  // Anonymous requests share a bucket per address, with the same policy.
  const key = token ? `api:${hashToken(token)}` : `anon:${clientAddress}`
  const decision = await takeToken(db, key, policy)
  if (decision.allowed) return false
  const seconds = decision.retryAfterSeconds
  res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(seconds) })
  res.end(JSON.stringify({ errors: [{ message: `Too many requests; retry after ${seconds} s`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds } }] }))
  return true
}
