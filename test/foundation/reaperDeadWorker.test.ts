// What the reaper does with a dead worker's jobs: they run again (job and named queue unlocked), except
// a job superseded while it ran (its key added again), which graphile-worker will never run again and
// whose work the newer job carries: that one is removed. A live worker's jobs are left alone.
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

async function jobs() {
  const r = await t.query(`select t.identifier, j.key, j.attempts, j.max_attempts, j.locked_by, q.queue_name, q.locked_by as queue_locked_by
    from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    left join graphile_worker._private_job_queues q on q.id = j.job_queue_id order by j.id`)
  return r.rows
}

/** A worker pool that picked these jobs (and their queues) a minute ago, and last said it was alive at `seen`. */
async function lockAs(workerId: string, identifiers: string[], seen: string) {
  await t.query(`update graphile_worker._private_jobs j set locked_by = $1, locked_at = now() - interval '1 minute', attempts = attempts + 1
    from graphile_worker._private_tasks t where t.id = j.task_id and t.identifier = any($2)`, [workerId, identifiers])
  await t.query(`update graphile_worker._private_job_queues q set locked_by = $1, locked_at = now() - interval '1 minute'
    where exists (select 1 from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where j.job_queue_id = q.id and t.identifier = any($2))`, [workerId, identifiers])
  await t.query(`insert into worker_heartbeats (worker_id, process, last_seen) values ($1, 'test', ${seen})`, [workerId])
}

describe('reaper, for a worker that died', () => {
  it('unlocks its jobs and their queues, removes the job it was running when that job was superseded, and leaves a live worker alone', async () => {
    await t.db.$transaction(async (tx) => {
      await addJob(tx, 'killed_mid_run', {}, { jobKey: 'k-killed', queueName: 'q-killed' })
      await addJob(tx, 'superseded', { version: 1 }, { jobKey: 'k-superseded' })
      await addJob(tx, 'live_long_job', {}, { jobKey: 'k-live' })
    })
    await lockAs('dead-pool', ['killed_mid_run', 'superseded'], `now() - interval '1 minute'`)
    await lockAs('live-pool', ['live_long_job'], 'now()')
    // New work for the superseded job's key while it was locked: graphile-worker takes the old job's
    // key and remaining attempts, and adds a new job.
    await t.db.$transaction((tx) => addJob(tx, 'superseded', { version: 2 }, { jobKey: 'k-superseded' }))
    expect((await jobs()).filter((j) => j.identifier === 'superseded').map((j) => [j.key, j.attempts >= j.max_attempts])).toEqual([
      [null, true],
      ['k-superseded', false],
    ])

    const reaper = startReaper(t.db, quietLogger, 'reaper-test', { heartbeatMs: 60_000, deadAfterMs: 1000 })
    try {
      await reaper.tick()
    } finally {
      await reaper.stop()
    }

    expect(await jobs()).toEqual([
      { identifier: 'killed_mid_run', key: 'k-killed', attempts: 1, max_attempts: 25, locked_by: null, queue_name: 'q-killed', queue_locked_by: null },
      { identifier: 'live_long_job', key: 'k-live', attempts: 1, max_attempts: 25, locked_by: 'live-pool', queue_name: null, queue_locked_by: null },
      { identifier: 'superseded', key: 'k-superseded', attempts: 0, max_attempts: 25, locked_by: null, queue_name: null, queue_locked_by: null },
    ])
  })
})
