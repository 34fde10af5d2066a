// A PostgreSQL cluster of a test's own, which it may restart: initdb and pg_ctl from the machine's
// PostgreSQL binaries (PG_BIN_DIR, else /usr/lib/postgresql/15/bin), on a free port, in a temp dir
// removed by stop(). As root it runs as the `postgres` user (PostgreSQL refuses root).
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { findFreePort } from './ports.ts'

export interface ThrowawayPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  adminUrl: string
  port: number
  /** A URL of a database on this cluster. */
  urlOf(database: string): string
  /** pg_ctl stop -m fast (every connection is terminated), `downMs` without a server, then start. */
  restart(downMs?: number): Promise<void>
  stop(): void
}

const binDir = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin'

/** Why a throwaway cluster cannot be made here, if it cannot. */
export function findThrowawayPostgresObstacle(): string | undefined {
  if (!fs.existsSync(path.join(binDir, 'pg_ctl'))) return `no PostgreSQL binaries in ${binDir} (set PG_BIN_DIR)`
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no "postgres" user to run PostgreSQL as'
  return undefined
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const obstacle = findThrowawayPostgresObstacle()
  if (obstacle) throw new Error(obstacle)
  const asRoot = process.getuid?.() === 0
  const user = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) } : undefined
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-throwaway-pg-'))
  if (user) fs.chownSync(dir, user.uid, user.gid)
  const dataDir = path.join(dir, 'data')
  const port = await findFreePort()
  const run = (bin: string, args: string[]) => execFileSync(path.join(binDir, bin), args, { cwd: dir, stdio: 'pipe', ...(user ?? {}) })
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`
  const logFile = path.join(dir, 'postgres.log')
  // Asynchronous where the caller's event loop must keep running meanwhile (fakes served from it).
  const runAsync = (bin: string, args: string[]) => promisify(execFile)(path.join(binDir, bin), args, { cwd: dir, ...(user ?? {}) })
  const start = () => run('pg_ctl', ['-D', dataDir, '-o', options, '-l', logFile, '-w', '-t', '60', 'start'])
  start()
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`
  let stopped = false
  return {
    adminUrl,
    port,
    urlOf: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async restart(downMs = 0) {
      await runAsync('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'])
      await new Promise((r) => setTimeout(r, downMs))
      await runAsync('pg_ctl', ['-D', dataDir, '-o', options, '-l', logFile, '-w', '-t', '60', 'start'])
    },
    stop() {
      if (stopped) return
      stopped = true
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', '-t', '60', 'stop'])
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Creates a database on the cluster (from template0). */
export async function createDatabaseOn(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`create database "${name}"`)
  } finally {
    await admin.end()
  }
}
