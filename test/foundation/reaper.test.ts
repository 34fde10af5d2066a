// The reaper unlocks jobs of dead workers only: a live worker running a job longer than the
// dead-after time keeps it (its heartbeat says it is alive), so nothing runs twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { startWorker, type StartedWorker } from '../../worker/startWorker.ts'
import { addJob } from '../../server/jobs/addJob.ts'
import { makeTestConfig, quietLogger } from '../helpers/config.ts'

let t: TestDatabase
const workers: StartedWorker[] = []
let starts = 0
let finished = 0

beforeAll(async () => {
  t = await createTestDatabase()
  const config = makeTestConfig({ INTEGRATION_MASTER_KEY: 'gJ1pcVnbnbQ2ScLnYfbIgAJy3E13k1QzAhGVyZQ6mIk=', WORKER_CONCURRENCY: '1' })
  for (let i = 0; i < 2; i++) {
    workers.push(
      await startWorker(config, t.url, quietLogger, {
        pollInterval: 100,
        // Dead after 2 s of silence (with a beat every 100 ms): a margin for a loaded machine, and still
        // well inside the job's 4 s.
        reaper: { heartbeatMs: 100, deadAfterMs: 2000 },
        taskList: {
          slow: async () => {
            starts++
            await new Promise((r) => setTimeout(r, 4000))
            finished++
          },
        },
      }),
    )
  }
})
afterAll(async () => {
  for (const w of workers) await w.stop()
  await t?.drop()
})

describe('reaper', () => {
  it('leaves a live worker’s long job alone', async () => {
    await t.db.$transaction((tx) => addJob(tx, 'slow', {}))
    const deadline = Date.now() + 10_000
    while (finished < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 500))
    expect({ starts, finished }).toEqual({ starts: 1, finished: 1 })
    const heartbeats = await t.query('select count(*)::int as n from worker_heartbeats')
    expect(heartbeats.rows[0].n).toBe(2)
  })
})
