import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { startWorker, type StartedWorker } from '../../worker/startWorker.ts'
import { addJob } from '../../server/jobs/addJob.ts'
import { makeTestConfig, quietLogger } from '../helpers/config.ts'

let t: TestDatabase
let worker: StartedWorker
const seen: unknown[] = []

beforeAll(async () => {
  t = await createTestDatabase()
  await t.query('create table job_echo (payload jsonb not null)')
  worker = await startWorker(makeTestConfig(), t.url, quietLogger, {
    pollInterval: 200,
    taskList: {
      echo: async (payload, helpers) => {
        seen.push(payload)
        await helpers.query('insert into job_echo (payload) values ($1)', [JSON.stringify(payload)])
      },
    },
  })
})

afterAll(async () => {
  await worker?.stop()
  await t?.drop()
})

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const v = await read()
    if (v !== undefined) return v
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('timed out waiting')
}

describe('graphile-worker', () => {
  it('runs a job added with SQL inside a transaction, once it commits', async () => {
    await t.db.$transaction(async (tx) => {
      await addJob(tx, 'echo', { pageId: 42 })
    })
    const rows = await waitFor(async () => {
      const r = await t.query('select payload from job_echo')
      return r.rowCount ? r.rows : undefined
    })
    expect(rows).toEqual([{ payload: { pageId: 42 } }])
    const left = await t.query('select count(*)::int as n from graphile_worker.jobs')
    expect(left.rows[0].n).toBe(0)
  })

  it('adds nothing when the transaction rolls back', async () => {
    await expect(
      t.db.$transaction(async (tx) => {
        await addJob(tx, 'echo', { pageId: 43 })
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    const r = await t.query('select count(*)::int as n from graphile_worker.jobs')
    expect(r.rows[0].n).toBe(0)
  })

  it('collapses jobs with the same key into one run', async () => {
    await worker.stop()
    await t.db.$transaction(async (tx) => {
      for (let i = 0; i < 5; i++) await addJob(tx, 'echo', { version: i }, { jobKey: 'page:7' })
    })
    const pending = await t.query(`select payload from graphile_worker._private_jobs where key = 'page:7'`)
    expect(pending.rows).toEqual([{ payload: { version: 4 } }])
  })
})
