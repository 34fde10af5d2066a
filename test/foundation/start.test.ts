// `npm start` as a user runs it: no DATABASE_URL, so an embedded PostgreSQL; then Ctrl-C; then again.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../helpers/ports.ts'

const root = path.resolve(import.meta.dirname, '..', '..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-start-'))
const started: ChildProcess[] = []

afterAll(() => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function startProduct(port: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, RMIRROR_DATA_DIR: dataDir, PORT: String(port), LOG_FORMAT: 'json' }
  // A user's shell: no DATABASE_URL, no NODE_ENV (vitest sets it to "test").
  delete env.DATABASE_URL
  delete env.NODE_ENV
  delete env.NODE_OPTIONS
  delete env.VITEST
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child)
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  return { child, output: () => output }
}

async function waitForHealthy(port: number, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output()}`)
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)
    if (res?.status === 200) return res.json()
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`not healthy in time:\n${output()}`)
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)))
}

function postmasterRunning(): boolean {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
  if (!fs.existsSync(pidFile)) return false
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function embeddedUrl(): string {
  const port = fs.readFileSync(path.join(dataDir, 'pg.port'), 'utf8').trim()
  const password = fs.readFileSync(path.join(dataDir, 'pg.password'), 'utf8').trim()
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/rmirror`
}

describe('npm start without DATABASE_URL', () => {
  it('starts server, worker and dashboard on an embedded PostgreSQL; Ctrl-C stops all; a second start reuses the data', async () => {
    const port = await findFreePort()
    const first = startProduct(port)
    const health = await waitForHealthy(port, first.child, first.output)
    expect(health).toMatchObject({ status: 'ok', database: 'ok', migrations: 'ok' })

    const page = await fetch(`http://127.0.0.1:${port}/dashboard/notebooks/abc`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    const gql = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    })
    expect(await gql.json()).toEqual({ data: { __typename: 'Query' } })
    expect(first.output()).toContain('embedded PostgreSQL running at postgresql://postgres:****@127.0.0.1:')
    expect(first.output()).toContain('worker started')

    // Leave a mark in the database to find after the restart.
    const client = new pg.Client({ connectionString: embeddedUrl() })
    await client.connect()
    await client.query(`insert into users (email, password_hash) values ('kept@example.com', 'x')`)
    await client.end()
    const rememberedPort = fs.readFileSync(path.join(dataDir, 'pg.port'), 'utf8')

    first.child.kill('SIGINT')
    expect(await exitOf(first.child)).toBe(0)
    expect(postmasterRunning()).toBe(false)
    expect(first.output()).toContain('embedded PostgreSQL stopped')

    const second = startProduct(port)
    await waitForHealthy(port, second.child, second.output)
    expect(fs.readFileSync(path.join(dataDir, 'pg.port'), 'utf8')).toBe(rememberedPort)
    const again = new pg.Client({ connectionString: embeddedUrl() })
    await again.connect()
    const { rows } = await again.query(`select email from users`)
    await again.end()
    expect(rows).toEqual([{ email: 'kept@example.com' }])
    second.child.kill('SIGINT')
    expect(await exitOf(second.child)).toBe(0)
    expect(postmasterRunning()).toBe(false)
  }, 240_000)
})
