// A worker's pools ride out a PostgreSQL restart: a query asked for while the server is down waits for
// it to be back instead of failing (a plain pg.Pool fails at once with ECONNREFUSED).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { WaitingPool } from '../../server/waitingPool.ts'
import { findThrowawayPostgresObstacle, startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwawayPostgres.ts'

const obstacle = findThrowawayPostgresObstacle()
if (obstacle) console.warn(`waitingPool skipped: ${obstacle}`)
let cluster: ThrowawayPostgres | undefined

beforeAll(async () => {
  if (!obstacle) cluster = await startThrowawayPostgres()
}, 60_000)
afterAll(() => cluster?.stop())

describe.skipIf(obstacle)('waiting pool', () => {
  it('answers a query asked while PostgreSQL restarts, where a plain pool fails', async () => {
    const waiting = new WaitingPool({ connectionString: cluster!.adminUrl, max: 2, waitMs: 60_000 })
    const plain = new pg.Pool({ connectionString: cluster!.adminUrl, max: 2 })
    for (const p of [waiting, plain]) p.on('error', () => {})
    try {
      expect((await waiting.query('select 1 as one')).rows).toEqual([{ one: 1 }])
      const waits: number[] = []
      ;(waiting as any).onWait = (_err: Error, attempt: number) => waits.push(attempt)
      // Down for two seconds; both pools are asked meanwhile.
      const restarting = cluster!.restart(2000)
      await new Promise((r) => setTimeout(r, 1000))
      const fromWaiting = waiting.query('select 2 as two')
      const fromPlain = plain.query('select 2 as two').then(() => 'answered', (err) => (err as NodeJS.ErrnoException).code)
      expect(await fromPlain).toBe('ECONNREFUSED')
      expect((await fromWaiting).rows).toEqual([{ two: 2 }])
      expect(waits.length).toBeGreaterThan(0)
      await restarting
    } finally {
      await waiting.end()
      await plain.end()
    }
  }, 90_000)
})
