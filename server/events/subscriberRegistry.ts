// Who is subscribed to what, in this server process: each topic (a user's rows of one kind) maps to its
// subscribers, and each token to the subscriptions it opened. Publishing visits only the topic's own
// subscribers; a revocation ends only that token's subscriptions (one map lookup, whatever the number
// of subscribers); a session's subscriptions end when it expires.
import { RowSubscription } from './rowSubscription.ts'

export interface SubscriberToken {
  tokenHash: string
  /** When the token stops working by itself (a session); null: until revoked. */
  expiresAt: Date | null
}

interface TokenEntry {
  subscriptions: Set<RowSubscription<any>>
  expiresAt: Date | null
  timer?: NodeJS.Timeout
}

// setTimeout holds at most 2^31-1 ms (~24.8 days); a later expiry is waited for in steps.
const MAX_TIMER_MS = 2 ** 31 - 1

export class SubscriberRegistry {
  private readonly topics = new Map<string, Set<RowSubscription<any>>>()
  private readonly tokens = new Map<string, TokenEntry>()

  subscribe<T>(topic: string, token: SubscriberToken, accept: (row: T) => boolean): RowSubscription<T> {
    const subscription: RowSubscription<T> = new RowSubscription<T>(accept, () => this.remove(topic, token.tokenHash, subscription))
    let subscribers = this.topics.get(topic)
    if (!subscribers) this.topics.set(topic, (subscribers = new Set()))
    subscribers.add(subscription)
    let entry = this.tokens.get(token.tokenHash)
    if (!entry) {
      entry = { subscriptions: new Set(), expiresAt: token.expiresAt }
      this.tokens.set(token.tokenHash, entry)
      this.scheduleExpiry(token.tokenHash, entry)
    }
    entry.subscriptions.add(subscription)
    return subscription
  }

  publish(topic: string, row: unknown): void {
    const subscribers = this.topics.get(topic)
    if (subscribers) for (const s of subscribers) s.deliver(row)
  }

  /** Ends every subscription the token opened (revoked, expired). */
  endToken(tokenHash: string): number {
    const entry = this.tokens.get(tokenHash)
    if (!entry) return 0
    const subscriptions = [...entry.subscriptions]
    for (const s of subscriptions) s.end()
    return subscriptions.length
  }

  /** Tokens with open subscriptions. */
  tokenHashes(): string[] {
    return [...this.tokens.keys()]
  }

  /** After a check of `checked` against the database: ends the subscriptions of those not in `live`. */
  keepOnly(checked: readonly string[], live: ReadonlyMap<string, Date | null>): number {
    let ended = 0
    for (const hash of checked) if (!live.has(hash)) ended += this.endToken(hash)
    return ended
  }

  endAll(): void {
    for (const hash of [...this.tokens.keys()]) this.endToken(hash)
  }

  /** Subscriptions open (benches and tests read it). */
  get size(): number {
    let n = 0
    for (const s of this.topics.values()) n += s.size
    return n
  }

  private remove(topic: string, tokenHash: string, subscription: RowSubscription<any>): void {
    const subscribers = this.topics.get(topic)
    if (subscribers?.delete(subscription) && subscribers.size === 0) this.topics.delete(topic)
    const entry = this.tokens.get(tokenHash)
    if (entry?.subscriptions.delete(subscription) && entry.subscriptions.size === 0) {
      if (entry.timer) clearTimeout(entry.timer)
      this.tokens.delete(tokenHash)
    }
  }

  private scheduleExpiry(tokenHash: string, entry: TokenEntry): void {
    if (!entry.expiresAt) return
    const wait = entry.expiresAt.getTime() - Date.now()
    entry.timer = setTimeout(
      () => (wait > MAX_TIMER_MS ? this.scheduleExpiry(tokenHash, entry) : void this.endToken(tokenHash)),
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    )
    entry.timer.unref()
  }
}
