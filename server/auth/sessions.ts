import type { DbTx } from '../db.ts'
import { hashToken, makeToken } from './tokens.ts'

export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000

/** Creates a dashboard session and returns its token (the only time it exists in plain text). */
export async function createSession(db: DbTx, userId: number): Promise<string> {
  const token = makeToken('session')
  await db.session.create({ data: { userId, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS) } })
  return token
}
