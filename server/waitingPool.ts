// A pg.Pool that rides out a PostgreSQL restart (or a fail-over): while the server refuses connections
// or is starting up, asking for a connection waits (retrying with backoff, up to `waitMs`) instead of
// failing at once. Without it, a worker's query during a restart fails — and graphile-worker 0.17
// completes and fails jobs without awaiting them, so one refused connection there is an unhandled
// rejection that ends the process, leaving its jobs locked until the reaper frees them.
import pg from 'pg'

export interface WaitingPoolOptions extends pg.PoolConfig {
  /** Longest wait for the server to take connections again (default 60 s). */
  waitMs?: number
  /** Told once per connection attempt that found the server unavailable. */
  onWait?: (err: Error, attempt: number) => void
}

/** Errors that say the server is away for now (restarting, shutting down, starting up), not that the request is wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, or in recovery)
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '53300', // too_many_connections (a restart's reconnect storm)
])

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true
  return /Connection terminated|connection timeout|server closed the connection|not queryable|terminating connection/i.test(err.message)
}

export class WaitingPool extends pg.Pool {
  private readonly waitMs: number
  private readonly onWait?: (err: Error, attempt: number) => void

  constructor(options: WaitingPoolOptions = {}) {
    const { waitMs, onWait, ...poolOptions } = options
    super(poolOptions)
    this.waitMs = waitMs ?? 60_000
    this.onWait = onWait
  }

  // Both forms pg.Pool offers: pool.query() asks with a callback, Prisma's adapter with a promise.
  override connect(): Promise<pg.PoolClient>
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: any) => void) => void): void
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: any) => void) => void): Promise<pg.PoolClient> | void {
    const connecting = this.connectWaiting()
    if (!callback) return connecting
    connecting.then(
      (client) => callback(undefined, client, (release?: any) => client.release(release)),
      (err: Error) => callback(err, undefined, () => {}),
    )
  }

  private async connectWaiting(): Promise<pg.PoolClient> {
    const deadline = Date.now() + this.waitMs
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.connect()
      } catch (err) {
        if (this.ending || !isDatabaseUnavailable(err) || Date.now() >= deadline) throw err
        this.onWait?.(err as Error, attempt)
        await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** attempt, Math.max(0, deadline - Date.now()))))
      }
    }
  }
}
