// Every database call has a statement timeout (issue 15 item 5): one request cannot hold a pool
// connection for minutes. DATABASE_STATEMENT_TIMEOUT_MS sets it for the server's and worker's pools.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeDb } from '../../server/db.ts'
import { startServer } from '../../server/startServer.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { makeTestConfig, quietLogger } from '../helpers/config.ts'
import { generateMasterKey } from '../../server/crypto/keys.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

describe('statement timeout', () => {
  it('cancels a statement that runs longer than the pool allows, and the connection serves the next one', async () => {
    const db = makeDb(database.url, { poolSize: 1, statementTimeoutMs: 200 })
    try {
      const shown = await db.$queryRaw<{ statement_timeout: string }[]>`show statement_timeout`
      expect(shown[0].statement_timeout).toBe('200ms')
      await expect(db.$queryRaw`select pg_sleep(30)`).rejects.toThrow(/statement timeout/)
      expect(await db.$queryRaw`select 1 as one`).toEqual([{ one: 1 }])
    } finally {
      await db.$disconnect()
    }
  })

  it('is set on the server’s pool from DATABASE_STATEMENT_TIMEOUT_MS (30 s by default)', async () => {
    expect(makeTestConfig().databaseStatementTimeoutMs).toBe(30_000)
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-timeout-'))
    const config = makeTestConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '4321', SERVE_WEB: 'false', RMIRROR_DATA_DIR: dataDir, INTEGRATION_MASTER_KEY: generateMasterKey(), FILE_STORAGE: 'postgres' })
    const server = await startServer(config, database.url, quietLogger)
    try {
      const shown = await server.services.db.$queryRaw<{ statement_timeout: string }[]>`show statement_timeout`
      expect(shown[0].statement_timeout).toBe('4321ms')
    } finally {
      await server.stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
