// Stopping the reaper or the event hub waits for the database work they have under way, so nothing
// queries a client its owner is about to disconnect (Prisma would quietly open a new pool for it, left
// open after the process thinks it has closed everything).
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { startReaper } from '../../worker/reaper.ts'
import { startEventHub } from '../../server/events/listener.ts'
import { notifyEvents } from '../../server/events/appEvent.ts'
import { quietLogger } from '../helpers/config.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(async () => {
  await t?.drop()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Holds an exclusive lock on `table` until release() is called. */
async function holdLock(table: string) {
  const c = new pg.Client({ connectionString: t.url })
  await c.connect()
  await c.query('begin')
  await c.query(`lock table ${table} in access exclusive mode`)
  return {
    async release() {
      await c.query('commit')
      await c.end()
    },
  }
}

async function waitForLockWait() {
  for (let i = 0; i < 200; i++) {
    const r = await t.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)
    if (r.rows[0].n > 0) return
    await sleep(20)
  }
  throw new Error('nothing waited for the lock')
}

describe('stop() waits for work under way', () => {
  it('the reaper: a tick blocked in the database finishes before stop() returns', async () => {
    const reaper = startReaper(t.db, quietLogger, 'stop-test', { heartbeatMs: 60_000, deadAfterMs: 1000 })
    const lock = await holdLock('graphile_worker._private_jobs')
    const ticking = reaper.tick()
    await waitForLockWait()
    let stopped = false
    const stopping = reaper.stop().then(() => (stopped = true))
    await sleep(200)
    expect(stopped).toBe(false)
    await lock.release()
    await stopping
    await ticking
    expect(stopped).toBe(true)
  })

  it('the event hub: a batch being read finishes before stop() returns', async () => {
    const user = await t.db.user.create({ data: { email: 'stop@example.com', passwordHash: 'x' } })
    const notebook = await t.db.notebook.create({ data: { userId: user.id, uuid: 'nb-stop', visibleName: 'Stop', type: 'NOTEBOOK' } })
    const hub = startEventHub(t.url, t.db, quietLogger)
    await hub.ready
    const lock = await holdLock('notebooks')
    // A change announced (as any writer does): the hub reads the row, and waits on the lock.
    await t.db.$transaction((tx) => notifyEvents(tx, [{ kind: 'notebook', userId: user.id, id: notebook.id }]))
    await waitForLockWait()
    let stopped = false
    const stopping = hub.stop().then(() => (stopped = true))
    await sleep(200)
    expect(stopped).toBe(false)
    await lock.release()
    await stopping
    expect(stopped).toBe(true)
  })
})
