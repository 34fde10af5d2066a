// Turns a bearer token into the viewer it belongs to, or null. Revoked or expired tokens stop at once.
import type { Db } from '../db.ts'
import { hashToken, readTokenKind, type TokenKind } from './tokens.ts'

export type Scope = 'agent' | 'read' | 'write'
export const ALL_SCOPES: readonly Scope[] = ['agent', 'read', 'write']

export interface Viewer {
  userId: number
  kind: TokenKind
  tokenId: number
  scopes: ReadonlySet<Scope>
  /** sha256 of the token, so open subscriptions can be closed when it is revoked. */
  tokenHash: string
  /** When the token stops working by itself (sessions); null for API tokens, which live until revoked. */
  expiresAt: Date | null
}

// last_used_at is informative; writing it on every request would double the write load.
const LAST_USED_RESOLUTION_MS = 60_000

export async function authenticateToken(db: Db, token: string): Promise<Viewer | null> {
  const kind = readTokenKind(token)
  if (!kind || token.length > 200) return null
  const tokenHash = hashToken(token)
  const now = new Date()
  if (kind === 'session') {
    const s = await db.session.findUnique({ where: { tokenHash } })
    if (!s || s.revokedAt || s.expiresAt <= now) return null
    if (!s.lastUsedAt || now.getTime() - s.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)
      await db.session.update({ where: { id: s.id }, data: { lastUsedAt: now } })
    return { userId: s.userId, kind, tokenId: s.id, scopes: new Set(ALL_SCOPES), tokenHash, expiresAt: s.expiresAt }
  }
  const t = await db.apiToken.findUnique({ where: { tokenHash } })
  if (!t || t.revokedAt) return null
  if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)
    await db.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: now } })
  return { userId: t.userId, kind, tokenId: t.id, scopes: new Set(t.scopes as Scope[]), tokenHash, expiresAt: null }
}
