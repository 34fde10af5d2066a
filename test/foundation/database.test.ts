import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { readMigrationState, expectedMigrations } from '../../server/migrationStatus.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(async () => {
  await t?.drop()
})

describe('test database', () => {
  it('is cloned from a template holding every migration and the job queue schema', async () => {
    expect(await readMigrationState(t.db)).toEqual({ migrated: true })
    const { rows } = await t.query<{ n: string }>('select count(*) as n from _prisma_migrations where finished_at is not null')
    expect(Number(rows[0].n)).toBe(expectedMigrations.length)
    const jobs = await t.query(`select to_regclass('graphile_worker._private_jobs') as t`)
    expect(jobs.rows[0].t).not.toBeNull()
  })

  it('is this file’s own: writes here are invisible to another clone', async () => {
    const other = await createTestDatabase()
    try {
      await t.db.user.create({ data: { email: 'only-here@example.com', passwordHash: 'x' } })
      expect(await other.db.user.count()).toBe(0)
      expect(await t.db.user.count()).toBe(1)
    } finally {
      await other.drop()
    }
  })
})
