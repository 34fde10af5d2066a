// One PrismaClient (over node-postgres through @prisma/adapter-pg) per process.
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from './generated/prisma/client.ts'
import { WaitingPool } from './waitingPool.ts'

export { PrismaClient }
export type { Prisma } from './generated/prisma/client.ts'
export type Db = PrismaClient
/** A client or an interactive transaction: what code that may run inside a transaction takes. */
export type DbTx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>

export interface MakeDbOptions {
  poolSize?: number
  /** Called with every SQL statement sent (tests count statements with it). */
  onQuery?: (sql: string) => void
  /** Told when PostgreSQL drops one of the pool's connections (a restart, a terminated backend). */
  onConnectionError?: (err: Error) => void
  /** PostgreSQL's statement_timeout on every connection (ms): no statement holds a connection longer. */
  statementTimeoutMs?: number
  /** Asking for a connection while PostgreSQL restarts waits this long for it to be back (a worker rides it out). */
  waitForServerMs?: number
  /** Told each time a connection attempt found the server away and waits. */
  onWaitForServer?: (err: Error, attempt: number) => void
}

export function makeDb(databaseUrl: string, options: MakeDbOptions = {}): PrismaClient {
  const poolOptions = { connectionString: databaseUrl, max: options.poolSize ?? 10, statement_timeout: options.statementTimeoutMs }
  const pool = options.waitForServerMs ? new WaitingPool({ ...poolOptions, waitMs: options.waitForServerMs, onWait: options.onWaitForServer }) : new pg.Pool(poolOptions)
  const onConnectionError = (err: Error) => options.onConnectionError?.(err)
  // node-postgres removes the pool's error listener from a client while it is checked out, and the
  // adapter listens only during a transaction: a backend terminated under a client held elsewhere (or
  // one the adapter failed to release after a failed COMMIT) would emit 'error' with nobody listening,
  // which crashes the process. Every client keeps a listener for its whole life: the query on it fails
  // and the pool replaces it.
  pool.on('connect', (client) => client.on('error', onConnectionError))
  pool.on('error', onConnectionError)
  const adapter = new CommitSafePrismaPg(pool, { disposeExternalPool: true })
  const client = new PrismaClient({
    adapter,
    log: options.onQuery ? [{ emit: 'event', level: 'query' }] : [],
    // Prisma's defaults (2 s to get a connection, 5 s for the whole transaction) fail sound work on a
    // busy machine; these are bounds against a stuck transaction, not expectations.
    transactionOptions: { maxWait: 10_000, timeout: 60_000 },
  })
  if (options.onQuery) {
    const onQuery = options.onQuery
    ;(client as any).$on('query', (e: { query: string }) => onQuery(e.query))
  }
  return client
}

/**
 * @prisma/adapter-pg 6.19 sends COMMIT as a statement and releases the connection only when that
 * succeeds: a COMMIT that fails (a deferred constraint, a serialization failure, a dropped connection)
 * leaves the connection checked out for good — one pool slot fewer each time, and a pool that never
 * finishes closing. Here a failed COMMIT (or ROLLBACK) releases it, discarding the connection; a later
 * commit() or rollback() of that transaction is then a no-op.
 */
class CommitSafePrismaPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect()
    const start = adapter.startTransaction.bind(adapter)
    adapter.startTransaction = async (isolationLevel) => guardEnd((await start(isolationLevel)) as unknown as AdapterTransaction) as any
    return adapter
  }
}

interface AdapterTransaction {
  client: { release(err?: boolean | Error): void }
  cleanup?: () => void
  executeRaw(query: { sql: string }): Promise<number>
  commit(): Promise<void>
  rollback(): Promise<void>
}

function guardEnd(tx: AdapterTransaction): AdapterTransaction {
  let released = false
  const executeRaw = tx.executeRaw.bind(tx)
  const commit = tx.commit.bind(tx)
  const rollback = tx.rollback.bind(tx)
  tx.executeRaw = async (query) => {
    try {
      return await executeRaw(query)
    } catch (err) {
      if (!released && /^\s*(COMMIT|ROLLBACK)\s*;?\s*$/i.test(query.sql)) {
        released = true
        tx.cleanup?.()
        tx.client.release(true)
      }
      throw err
    }
  }
  tx.commit = async () => {
    if (released) return
    released = true
    return commit()
  }
  tx.rollback = async () => {
    if (released) return
    released = true
    return rollback()
  }
  return tx
}
