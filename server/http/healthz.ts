// GET /healthz: 200 once the database is reachable and migrated and the file storage answers, 503
// otherwise (with the reason). A load balancer takes a server out of rotation on 503. The probe keeps
// one database connection of its own: requests holding every connection of the pool (slow queries,
// a burst) must not make a healthy server look dead, nor delay the answer.
import type { ServerResponse } from 'node:http'
import pg from 'pg'
import { readMigrationStateWith } from '../migrationStatus.ts'
import type { FileStorage } from '../storage/fileStorage.ts'

const CHECK_TIMEOUT_MS = 3000

export interface HealthProbe {
  answer(res: ServerResponse): Promise<void>
  close(): Promise<void>
}

export function makeHealthProbe(databaseUrl: string, storage: FileStorage, version: string): HealthProbe {
  let client: Promise<pg.Client> | undefined
  let closed = false

  /** The probe's connection, opened on first use and again after it broke. */
  const connect = (): Promise<pg.Client> => {
    client ??= (async () => {
      const c = new pg.Client({ connectionString: databaseUrl, statement_timeout: CHECK_TIMEOUT_MS, connectionTimeoutMillis: CHECK_TIMEOUT_MS })
      c.on('error', () => (client = undefined))
      c.on('end', () => (client = undefined))
      try {
        await c.connect()
      } catch (err) {
        client = undefined
        throw err
      }
      return c
    })()
    return client
  }

  const readState = async () => {
    const c = await connect()
    return readMigrationStateWith(async (sql) => (await c.query(sql)).rows)
  }

  return {
    async answer(res) {
      let status = 200
      let body: Record<string, unknown>
      try {
        if (closed) throw new Error('closed')
        const state = await withTimeout(readState(), CHECK_TIMEOUT_MS)
        if (state.migrated) {
          // Only on a migrated database: PostgreSQL file storage needs its tables.
          const stored = await withTimeout(storage.check(), CHECK_TIMEOUT_MS).then(() => true, () => false)
          body = { status: stored ? 'ok' : 'unavailable', database: 'ok', migrations: 'ok', storage: stored ? 'ok' : 'unreachable', fileStorage: storage.kind, version }
          if (!stored) status = 503
        } else {
          status = 503
          body = { status: 'unavailable', database: 'ok', migrations: 'pending', missing: state.missing, version }
        }
      } catch {
        // A connection that timed out may be stuck: the next probe opens a new one.
        const stuck = client
        client = undefined
        void stuck?.then((c) => c.end(), () => {}).catch(() => {})
        status = 503
        body = { status: 'unavailable', database: 'unreachable', version }
      }
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify(body))
    },
    async close() {
      closed = true
      const c = client
      client = undefined
      if (c) await c.then((open) => open.end(), () => {})
    },
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms)
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)))
  })
}
