// GET /healthz: 200 once the database is reachable and migrated and the file storage answers, 503
// otherwise (with the reason). A load balancer takes a server out of rotation on 503.
import type { ServerResponse } from 'node:http'
import type { Db } from '../db.ts'
import { readMigrationState } from '../migrationStatus.ts'
import type { FileStorage } from '../storage/fileStorage.ts'

export async function answerHealthz(db: Db, storage: FileStorage, res: ServerResponse, version: string): Promise<void> {
  let status = 200
  let body: Record<string, unknown>
  try {
    const state = await withTimeout(readMigrationState(db), 3000)
    if (state.migrated) {
      // Only on a migrated database: PostgreSQL file storage needs its tables.
      const stored = await withTimeout(storage.check(), 3000).then(() => true, () => false)
      body = { status: stored ? 'ok' : 'unavailable', database: 'ok', migrations: 'ok', storage: stored ? 'ok' : 'unreachable', fileStorage: storage.kind, version }
      if (!stored) status = 503
    } else {
      status = 503
      body = { status: 'unavailable', database: 'ok', migrations: 'pending', missing: state.missing, version }
    }
  } catch {
    status = 503
    body = { status: 'unavailable', database: 'unreachable', version }
  }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms)
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)))
  })
}
