// PostgreSQL dropping a connection (a restart, pg_terminate_backend, a failover) fails the work on it and
// nothing else: the process keeps running and the pool opens a new connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { makeDb, type Db } from '../../server/db.ts'

let t: TestDatabase
let db: Db
const lost: Error[] = []
const uncaught: unknown[] = []
const onUncaught = (err: unknown) => uncaught.push(err)

beforeAll(async () => {
  t = await createTestDatabase()
  db = makeDb(t.url, { poolSize: 3, onConnectionError: (err) => lost.push(err) })
  await t.query('create table deferred_probe (x int unique deferrable initially deferred)')
  process.on('uncaughtException', onUncaught)
})
afterAll(async () => {
  process.off('uncaughtException', onUncaught)
  await db?.$disconnect()
  await t?.drop()
})

async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
}

/**
 * Terminates every backend on this database but the test helper's own (the helper runs its queries
 * one at a time, on one connection: the rest are the pool's under test), then waits until the pool has
 * heard of each loss, so the next query is not handed a connection that is already gone.
 */
async function terminateOthers() {
  // Each terminated connection reports PostgreSQL's own message as one error (then, maybe, "Connection
  // terminated unexpectedly"); an idle connection's error reaches both the client's listener and the
  // pool's. Distinct errors with that message count connections.
  const heard = () => new Set(lost.filter((e) => /administrator command/.test(e.message))).size
  const before = heard()
  const { rowCount } = await t.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)
  await until(() => heard() >= before + (rowCount ?? 0))
}

describe('a lost database connection', () => {
  it('fails the transaction it was under, is reported, and the next query runs on a new connection', async () => {
    lost.length = 0
    let terminated!: () => void
    let begun!: () => void
    const held = new Promise<void>((r) => (terminated = r))
    const inside = new Promise<void>((r) => (begun = r))
    const tx = db.$transaction(async (tx) => {
      await tx.$queryRaw`select 1`
      begun()
      await held
      await tx.$queryRaw`select 2`
    })
    const outcome = tx.then(() => 'committed', (err: Error) => err.message)
    await inside
    await terminateOthers()
    terminated()
    expect(await outcome).not.toBe('committed')
    expect(lost.length).toBeGreaterThan(0)
    expect(await db.user.count()).toBe(0)
    expect(uncaught).toEqual([])
  })

  it('a failed COMMIT gives its connection back: the pool never runs dry', async () => {
    // More failed commits than the pool has connections; a leaked connection each would exhaust it.
    for (let i = 0; i < 5; i++) {
      const commit = db.$transaction(async (tx) => {
        await tx.$executeRaw`insert into deferred_probe (x) values (1), (1)`
      })
      await expect(commit).rejects.toThrow(/UniqueConstraintViolation/)
    }
    const { rows } = await t.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'idle in transaction'`)
    expect(rows[0].n).toBe(0)
    expect(await db.user.count({ where: {} })).toBe(0)
    await terminateOthers()
    expect(uncaught).toEqual([])
    expect(await db.user.count()).toBe(0)
  })

  it('idle connections dropped under the pool are replaced', async () => {
    await Promise.all([db.user.count(), db.user.count(), db.user.count()])
    await terminateOthers()
    expect(await db.user.count()).toBe(0)
    expect(uncaught).toEqual([])
  })
})
