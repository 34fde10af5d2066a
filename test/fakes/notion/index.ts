import { Faults, type FaultMatch, type FaultSpec, type RandomFaultOptions } from './faults.ts'
import { normalizeId } from './ids.ts'
import { RateLimiter, type RateLimitOptions } from './rateLimit.ts'
import { seedDatabase, seedPage, shareWithTokens, type SeedDatabaseOptions, type SeedPageOptions } from './seed.ts'
import { startServer } from './server.ts'
import { snapshotPageTree, snapshotWorkspace, type BlockSnapshot, type WorkspaceState } from './snapshot.ts'
import { RequestRecorder, type RequestLogEntry, type Stats } from './stats.ts'
import { Store, type Capabilities } from './store.ts'

// A strict local Notion (API version 2025-09-03) for tests: point @notionhq/client at `url`
// (new Client({ auth: token, baseUrl: notion.url, retry: false })).

export interface NotionFakeOptions {
  /** Token bucket per integration token; false turns rate limiting off. Defaults: 3 requests/s, burst 10. */
  rateLimit?: RateLimitOptions | false
  /** Added to every request before it is handled. */
  latencyMs?: number
  /** Clock for created_time / last_edited_time (epoch ms); defaults to Date.now. */
  now?: () => number
  /** Rows a data source query reaches before it is answered incomplete; Notion's is 10,000. */
  queryResultLimit?: number
}

export interface AddIntegrationOptions {
  name?: string
  capabilities?: Partial<Capabilities>
}

export interface FaultControls {
  failNext(n: number, spec: FaultSpec): void
  setRandom5xxRate(rate: number, options: RandomFaultOptions): void
  timeoutAfterApply(n: number, match?: FaultMatch): void
  setLatency(ms: number): void
  clear(): void
}

export interface NotionFake {
  url: string
  addIntegration(options?: AddIntegrationOptions): { token: string; botId: string; name: string }
  createPage(options?: SeedPageOptions): { id: string }
  createDatabase(options?: SeedDatabaseOptions): { id: string; dataSourceId: string; dataSourceIds: string[] }
  /** Shares an object (and everything below it) with the integration holding token. */
  share(objectId: string, token: string): void
  faults: FaultControls
  state(): WorkspaceState
  pageTree(pageId: string): BlockSnapshot[]
  stats(): Stats
  requestLog(): RequestLogEntry[]
  /** Clears stats, log, faults and rate-limit buckets; with state: true also every object and share. */
  reset(options?: { state?: boolean }): void
  close(): Promise<void>
}

export async function startNotionFake(options: NotionFakeOptions = {}): Promise<NotionFake> {
  const store = new Store(options.now ?? Date.now)
  if (options.queryResultLimit !== undefined) store.queryResultLimit = options.queryResultLimit
  const limiter = new RateLimiter(options.rateLimit ?? {})
  const faults = new Faults()
  faults.setLatency(options.latencyMs ?? 0)
  const recorder = new RequestRecorder()
  const { server, url } = await startServer({ store, limiter, faults, recorder })
  let integrationCount = 0

  return {
    url,
    addIntegration(opts = {}) {
      integrationCount += 1
      const capabilities = { read: true, insert: true, update: true, ...opts.capabilities }
      const integration = store.addIntegration(opts.name ?? `Integration ${integrationCount}`, capabilities)
      return { token: integration.token, botId: integration.botId, name: integration.name }
    },
    createPage(opts = {}) {
      return { id: seedPage(store, opts).id }
    },
    createDatabase(opts = {}) {
      const database = seedDatabase(store, opts)
      return { id: database.id, dataSourceId: database.dataSourceIds[0], dataSourceIds: [...database.dataSourceIds] }
    },
    share(objectId, token) {
      const id = normalizeId(objectId)
      if (!id || !store.get(id)) throw new Error(`notion fake: no object with id ${objectId}`)
      shareWithTokens(store, id, token)
    },
    faults: {
      failNext: (n, spec) => faults.failNext(n, spec),
      setRandom5xxRate: (rate, opts) => faults.setRandom5xxRate(rate, opts),
      timeoutAfterApply: (n, match) => faults.timeoutAfterApply(n, match),
      setLatency: (ms) => faults.setLatency(ms),
      clear: () => faults.clear(),
    },
    state: () => snapshotWorkspace(store),
    pageTree: (pageId) => snapshotPageTree(store, normalizeId(pageId) ?? pageId),
    stats: () => recorder.stats(),
    requestLog: () => recorder.log(),
    reset(opts = {}) {
      recorder.clear()
      faults.clear()
      faults.setLatency(options.latencyMs ?? 0)
      limiter.reset()
      if (opts.state) store.clearContent()
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    },
  }
}

export type { BlockSnapshot, WorkspaceState, PageSnapshot, DataSourceSnapshot, DatabaseSnapshot } from './snapshot.ts'
export type { Stats, RequestLogEntry } from './stats.ts'
export type { FaultSpec, FaultRequest, FaultMatch, RandomFaultOptions } from './faults.ts'
export type { RateLimitOptions } from './rateLimit.ts'
export type { SeedPageOptions, SeedDatabaseOptions } from './seed.ts'
export type { Capabilities } from './store.ts'
