// `npm start` on a fresh clone builds the dashboard before it starts the server and the worker, which
// inherit its environment. Vite sets NODE_ENV=production when it is unset (as in a user's shell): left
// so, the children would start in production mode and refuse to run without production secrets.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildDashboardIfStale } from '../../scripts/buildDashboard.ts'
import { quietLogger } from '../helpers/config.ts'

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-web-'))
const nodeEnvOfVitest = process.env.NODE_ENV
afterAll(() => {
  process.env.NODE_ENV = nodeEnvOfVitest
  fs.rmSync(outDir, { recursive: true, force: true })
})

describe('the dashboard build at start', () => {
  it('builds into an empty folder and leaves an unset NODE_ENV unset', async () => {
    delete process.env.NODE_ENV
    expect(await buildDashboardIfStale(quietLogger, outDir)).toBe('built')
    expect(process.env.NODE_ENV).toBeUndefined()
    expect(fs.readFileSync(path.join(outDir, 'index.html'), 'utf8')).toContain('<div id="root">')
  }, 120_000)

  it('skips a build newer than its sources, and keeps a NODE_ENV that was set', async () => {
    process.env.NODE_ENV = 'development'
    expect(await buildDashboardIfStale(quietLogger, outDir)).toBe('fresh')
    expect(process.env.NODE_ENV).toBe('development')
  })
})
