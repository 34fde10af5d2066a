// The database a maintenance script (keys:rotate, keys:import-rmirror) works on: DATABASE_URL, or the
// embedded PostgreSQL of `npm start` (reused while it runs, else started for the script and stopped).
import type { Config } from '../server/config.ts'
import { makeDb, type Db } from '../server/db.ts'
import { startEmbeddedPostgres } from './embeddedPostgres.ts'

export interface ScriptDatabase {
  db: Db
  url: string
  close(): Promise<void>
}

export async function openScriptDatabase(config: Config, log: (message: string) => void): Promise<ScriptDatabase> {
  if (config.databaseUrl) {
    const db = makeDb(config.databaseUrl, { poolSize: 2 })
    return { db, url: config.databaseUrl, close: () => db.$disconnect() }
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log })
  log(`using the embedded PostgreSQL in ${config.dataDir} (${embedded.reused ? 'already running' : 'started for this command'})`)
  const db = makeDb(embedded.url, { poolSize: 2 })
  return {
    db,
    url: embedded.url,
    async close() {
      await db.$disconnect()
      if (!embedded.reused) await embedded.stop()
    },
  }
}
