// Viewers of tokens seen lately, for what opens subscriptions: ten thousand sockets opened with one
// session would otherwise each read (and maybe write) its row. An entry is forgotten when the token's
// revocation is heard (the event hub calls forget), when the LISTEN connection was lost (clear: a notice
// may be gone), when it expires, and after TTL_MS in any case (a revocation whose notice was lost with no
// reconnect noticed, a deleted user).
import type { Db } from '../db.ts'
import { authenticateToken, type Viewer } from './authenticate.ts'
import { hashToken } from './tokens.ts'

const TTL_MS = 10_000
const MAX_ENTRIES = 10_000

export class ViewerCache {
  private readonly entries = new Map<string, { viewer: Viewer; until: number }>()
  private readonly reading = new Map<string, Promise<Viewer | null>>()

  constructor(private readonly db: Db) {}

  async authenticate(token: string): Promise<Viewer | null> {
    if (token.length > 200) return null
    const hash = hashToken(token)
    const now = Date.now()
    const entry = this.entries.get(hash)
    if (entry && entry.until > now && (!entry.viewer.expiresAt || entry.viewer.expiresAt.getTime() > now)) return entry.viewer
    // Many sockets opened at once with one token: one read for all of them.
    let reading = this.reading.get(hash)
    if (!reading) {
      reading = authenticateToken(this.db, token)
      this.reading.set(hash, reading)
      const generation = this.generation
      void reading
        .then((viewer) => {
          // Not kept if forgotten or cleared meanwhile: the read may predate the revocation.
          if (viewer && generation === this.generation && this.reading.get(hash) === reading) {
            if (this.entries.size >= MAX_ENTRIES) this.entries.clear()
            this.entries.set(hash, { viewer, until: now + TTL_MS })
          }
        }, () => {})
        .finally(() => this.reading.get(hash) === reading && this.reading.delete(hash))
    }
    return reading
  }

  forget(tokenHash: string): void {
    this.entries.delete(tokenHash)
    this.reading.delete(tokenHash)
  }

  clear(): void {
    this.generation++
    this.entries.clear()
    this.reading.clear()
  }

  private generation = 0
}
