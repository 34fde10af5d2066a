import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres, EmbeddedPostgresError } from '../../scripts/embeddedPostgres.ts'

const dirs: string[] = []
function tempDir(mode = 0o755): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-ep-'))
  fs.chmodSync(d, mode)
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

const asRoot = process.getuid?.() === 0

describe('embedded PostgreSQL', () => {
  it('recovers from a stale postmaster.pid left by a killed run', async () => {
    const dataDir = path.join(tempDir(), 'data')
    const first = await startEmbeddedPostgres({ dataDir })
    await first.stop()
    // What a SIGKILLed server leaves: a pid file naming a process that no longer exists.
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
    fs.writeFileSync(pidFile, `999999\n${path.join(dataDir, 'pg')}\n1700000000\n${first.port}\n\n127.0.0.1\n  1   1\nready   \n`)
    const second = await startEmbeddedPostgres({ dataDir })
    try {
      expect(second.reused).toBe(false)
      expect(second.port).toBe(first.port)
      const c = new pg.Client({ connectionString: second.url })
      await c.connect()
      expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }])
      await c.end()
    } finally {
      await second.stop()
    }
  }, 60_000)

  it('reuses a server a killed run left running instead of starting a second one', async () => {
    const dataDir = path.join(tempDir(), 'data')
    const first = await startEmbeddedPostgres({ dataDir })
    try {
      const second = await startEmbeddedPostgres({ dataDir })
      expect(second.reused).toBe(true)
      expect(second.port).toBe(first.port)
    } finally {
      await first.stop()
    }
  }, 60_000)

  it.skipIf(!asRoot)('names the folder the postgres user cannot reach', async () => {
    const locked = tempDir(0o700)
    const dataDir = path.join(locked, 'data')
    const err = await startEmbeddedPostgres({ dataDir }).catch((e) => e)
    expect(err).toBeInstanceOf(EmbeddedPostgresError)
    expect(err.message).toContain(`cannot reach ${locked}`)
    expect(err.message).toContain('RMIRROR_DATA_DIR')
  })
})
