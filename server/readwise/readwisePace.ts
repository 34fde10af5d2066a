// Readwise's limit (240 requests per minute per access token) kept by the same PostgreSQL pacer as
// Notion's, under `readwise:<sha256 of the token>`: every server and worker shares one budget per
// token, and a Retry-After from Readwise holds them all.
import { createHash } from 'node:crypto'
import type { DbTx } from '../db.ts'
import { makeNotionPacer, type NotionPacePolicy, type NotionPacer } from '../notion/pacer.ts'

/**
 * A bucket of `burst` refilled at (limit − burst) per minute: any 60 s then holds at most `limit`
 * requests (Readwise counts a sliding minute), and a quiet token may still send a few at once.
 */
export function makeReadwisePace(requestsPerMinute: number): NotionPacePolicy {
  const burst = Math.max(1, Math.min(4, Math.floor(requestsPerMinute / 10)))
  return { requestsPerSecond: (requestsPerMinute - burst) / 60, burst }
}

export function makeReadwisePacer(db: DbTx, policy: NotionPacePolicy): NotionPacer {
  return makeNotionPacer(db, policy, 'readwise')
}

export function hashReadwiseToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
