// Which of these tokens still work (not revoked, not expired, user not deleted), read in one go: what
// open subscriptions are checked against when a revocation notice may have been missed.
import type { Db } from '../db.ts'

/** For each token hash still valid: when it expires (null: an API token, valid until revoked). */
export async function readLiveTokens(db: Db, tokenHashes: readonly string[]): Promise<Map<string, Date | null>> {
  const live = new Map<string, Date | null>()
  const now = new Date()
  for (let i = 0; i < tokenHashes.length; i += 5000) {
    const chunk = tokenHashes.slice(i, i + 5000)
    const [sessions, apiTokens] = await Promise.all([
      db.session.findMany({ where: { tokenHash: { in: chunk }, revokedAt: null, expiresAt: { gt: now } }, select: { tokenHash: true, expiresAt: true } }),
      db.apiToken.findMany({ where: { tokenHash: { in: chunk }, revokedAt: null }, select: { tokenHash: true } }),
    ])
    for (const s of sessions) live.set(s.tokenHash, s.expiresAt)
    for (const t of apiTokens) live.set(t.tokenHash, null)
  }
  return live
}
