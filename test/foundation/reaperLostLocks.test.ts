// Locks nobody will ever release, held in the name of a live worker: the reaper frees them too.
// - A queue locked by a live pool that holds no job in it (a slow worker judged dead had its job run
//   again elsewhere; graphile-worker deletes the job when the first run ends, and the second then
//   leaves its queue lock behind): the queue would never run again.
// - This process's own job whose completion was lost (graphile-worker does not await it; PostgreSQL
//   was restarting): locked by us, running nowhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { addJob } from '../../server/jobs/addJob.ts'
import { startReaper } from '../../worker/reaper.ts'
import { quietLogger } from '../helpers/config.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(async () => {
  await t?.drop()
})

async function locks() {
  const r = await t.query(`select j.key, j.locked_by, q.locked_by as queue_locked_by
    from graphile_worker._private_jobs j left join graphile_worker._private_job_queues q on q.id = j.job_queue_id order by j.key`)
  return r.rows
}

async function lock(key: string, jobLockedBy: string | null, queueLockedBy: string | null) {
  await t.query(`update graphile_worker._private_jobs set locked_by = $2, locked_at = case when $2::text is null then null else now() - interval '1 minute' end where key = $1`, [key, jobLockedBy])
  await t.query(`update graphile_worker._private_job_queues q set locked_by = $2, locked_at = now() - interval '1 minute'
    from graphile_worker._private_jobs j where j.job_queue_id = q.id and j.key = $1`, [key, queueLockedBy])
}

describe('reaper, for locks held in a live name', () => {
  it('frees a queue whose locker holds no job in it, and its own jobs whose completion was lost', async () => {
    await t.db.$transaction(async (tx) => {
      await addJob(tx, 'task', {}, { jobKey: 'orphaned-queue', queueName: 'q-orphaned' })
      await addJob(tx, 'task', {}, { jobKey: 'live-run', queueName: 'q-live' })
      await addJob(tx, 'task', {}, { jobKey: 'own-running', queueName: 'q-own-running' })
      await addJob(tx, 'task', {}, { jobKey: 'own-lost', queueName: 'q-own-lost' })
    })
    await t.query(`insert into worker_heartbeats (worker_id, process, last_seen) values ('live-pool', 'other', now())`)
    await lock('orphaned-queue', null, 'live-pool')
    await lock('live-run', 'live-pool', 'live-pool')
    await lock('own-running', 'own-pool', 'own-pool')
    await lock('own-lost', 'own-pool', 'own-pool')

    const reaper = startReaper(t.db, quietLogger, 'reaper-test', { heartbeatMs: 60_000, deadAfterMs: 1000 })
    try {
      // This process's pool, running one of its two jobs (graphile-worker's events).
      reaper.events.emit('pool:create', { workerPool: { id: 'own-pool' } })
      const [running] = (await t.query(`select id from graphile_worker._private_jobs where key = 'own-running'`)).rows
      reaper.events.emit('job:start', { job: { id: String(running.id) } })
      await reaper.tick()
    } finally {
      await reaper.stop()
    }

    expect(await locks()).toEqual([
      { key: 'live-run', locked_by: 'live-pool', queue_locked_by: 'live-pool' },
      { key: 'orphaned-queue', locked_by: null, queue_locked_by: null },
      { key: 'own-lost', locked_by: null, queue_locked_by: null },
      { key: 'own-running', locked_by: 'own-pool', queue_locked_by: 'own-pool' },
    ])
  })
})
