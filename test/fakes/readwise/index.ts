// A strict local Readwise (API v2, readwise.io/api_deets) for tests: point READWISE_API_BASE_URL
// at `url`; requests carry `Authorization: Token <token>`.
import { randomBytes } from 'node:crypto'
import { RequestRecorder, type RequestLogEntry, type Stats } from '../notion/stats.ts'
import { ReadwiseFaults, type ReadwiseFaultSpec } from './faults.ts'
import { Library, renderBook, renderHighlight } from './library.ts'
import { startServer } from './server.ts'
import { Throttle, type ThrottleOptions } from './throttle.ts'

export interface ReadwiseFakeOptions {
  /** Readwise's limits (240/min, LIST 20/min) by default; false turns throttling off. */
  rateLimit?: ThrottleOptions | false
  now?: () => number
}

export interface ReadwiseFake {
  url: string
  /** A Readwise account and its access token. */
  addAccount(name?: string): { token: string }
  /** The token stops working (401 Invalid token.), as when the user makes a new one. */
  revoke(token: string): void
  /** The account's live books, each with its live highlights, as the API renders them. */
  library(token: string): (ReturnType<typeof renderBook> & { highlights: ReturnType<typeof renderHighlight>[] })[]
  faults: {
    failNext(n: number, spec: ReadwiseFaultSpec): void
    failAfterApply(n: number, endpoint?: string): void
    clear(): void
  }
  stats(): Stats
  requestLog(): RequestLogEntry[]
  /** Clears stats, log, faults and throttle windows; with state: true also every book and highlight. */
  reset(options?: { state?: boolean }): void
  close(): Promise<void>
}

export async function startReadwiseFake(options: ReadwiseFakeOptions = {}): Promise<ReadwiseFake> {
  const library = new Library(options.now ?? Date.now)
  const throttle = new Throttle(options.rateLimit ?? {})
  const faults = new ReadwiseFaults()
  const recorder = new RequestRecorder()
  const { server, url } = await startServer({ library, throttle, faults, recorder })
  let count = 0
  return {
    url,
    addAccount(name = `Reader ${++count}`) {
      // Readwise tokens are 50 alphanumeric characters.
      const token = randomBytes(40).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 50)
      library.addAccount(token, name)
      return { token }
    },
    revoke(token) {
      const account = library.accounts.get(token)
      if (!account) throw new Error('readwise fake: no such token')
      account.revoked = true
    },
    library(token) {
      const account = library.accounts.get(token)
      if (!account) throw new Error('readwise fake: no such token')
      return [...account.books.values()]
        .map((book) => ({
          ...renderBook(account, book),
          highlights: library
            .liveHighlights(account)
            .filter((h) => h.bookId === book.id)
            .sort((a, b) => (a.location ?? 0) - (b.location ?? 0) || a.id - b.id)
            .map(renderHighlight),
        }))
        .filter((b) => b.highlights.length > 0)
    },
    faults: {
      failNext: (n, spec) => faults.failNext(n, spec),
      failAfterApply: (n, endpoint) => faults.failAfterApply(n, endpoint),
      clear: () => faults.clear(),
    },
    stats: () => recorder.stats(),
    requestLog: () => recorder.log(),
    reset(opts = {}) {
      recorder.clear()
      faults.clear()
      throttle.reset()
      if (opts.state) library.clear()
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    },
  }
}

export type { Stats, RequestLogEntry } from '../notion/stats.ts'
export type { ThrottleOptions } from './throttle.ts'
export type { ReadwiseFaultSpec } from './faults.ts'
