// A database of the test file's own, cloned from the migrated template (see test/setup/globalSetup.ts).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { makeDb, type Db, type MakeDbOptions } from '../../server/db.ts'

export interface TestDatabase {
  url: string
  name: string
  db: Db
  /** Raw SQL, for checks the API does not expose. */
  query<T extends pg.QueryResultRow = any>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>
  drop(): Promise<void>
}

export async function createTestDatabase(options: MakeDbOptions = {}): Promise<TestDatabase> {
  const { adminUrl, template } = inject('testDatabase')
  const name = `rmirror_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`create database "${name}" template "${template}"`)
  } finally {
    await admin.end()
  }
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  const url = u.toString()
  const db = makeDb(url, options)
  const pool = new pg.Pool({ connectionString: url, max: 3 })
  // Tests that terminate backends drop this pool's idle connections too; the pool replaces them.
  pool.on('error', () => {})
  return {
    url,
    name,
    db,
    query: (sql, params) => pool.query(sql, params as any[]),
    async drop() {
      await db.$disconnect()
      await pool.end()
      const a = new pg.Client({ connectionString: adminUrl })
      await a.connect()
      try {
        await a.query(`drop database if exists "${name}" with (force)`)
      } finally {
        await a.end()
      }
    },
  }
}
