// `npm start`: everything on one machine. An embedded PostgreSQL when DATABASE_URL is unset,
// migrations, the dashboard build, then the server and the worker as child processes. Ctrl-C stops
// the children first and the database last.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readConfig, ConfigError } from '../server/config.ts'
import { makeLogger } from '../server/logger.ts'
import { startEmbeddedPostgres, EmbeddedPostgresError, type EmbeddedPostgres } from './embeddedPostgres.ts'
import { migrateDatabase } from './migrate.ts'
import { buildDashboardIfStale } from './buildDashboard.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

async function main() {
  const config = readConfig()
  const logger = makeLogger(config, { process: 'start' })
  let embedded: EmbeddedPostgres | undefined
  let databaseUrl = config.databaseUrl
  if (!databaseUrl) {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log: (m) => logger.info(m) })
    databaseUrl = embedded.url
    logger.info(
      { dataDir: config.dataDir },
      `embedded PostgreSQL ${embedded.reused ? 'reused' : 'running'} at ${embedded.displayUrl} (password in ${path.join(config.dataDir, 'pg.password')})`,
    )
  }

  const children: ChildProcess[] = []
  let stopping = false
  const stopAll = async (code: number) => {
    if (stopping) return
    stopping = true
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
    await Promise.all(children.map((c) => waitForExit(c, 15_000)))
    if (embedded) {
      await embedded.stop()
      logger.info('embedded PostgreSQL stopped')
    }
    process.exit(code)
  }
  process.on('SIGINT', () => void stopAll(0))
  process.on('SIGTERM', () => void stopAll(0))

  try {
    await migrateDatabase(databaseUrl)
    logger.info('database migrated')
    if (config.serveWeb) await buildDashboardIfStale(logger)
  } catch (err) {
    logger.error({ err }, 'start failed')
    return stopAll(1)
  }

  // FILE_STORAGE as decided here: without DATABASE_URL the files stay on this machine's disk, though
  // the children, handed the embedded database's URL, would otherwise default to PostgreSQL.
  const env = { ...process.env, DATABASE_URL: databaseUrl, MIGRATE_ON_START: 'false', FILE_STORAGE: config.fileStorage.kind }
  for (const entry of ['server/index.ts', 'worker/index.ts']) {
    // tsx as a loader in the child itself (not its CLI, which is a second process): a signal sent to
    // the child reaches the server or worker, and nothing outlives a kill.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], { cwd: root, env, stdio: 'inherit' })
    children.push(child)
    child.on('exit', (code, signal) => {
      if (stopping) return
      logger.error({ entry, code, signal }, `${entry} exited unexpectedly; stopping`)
      void stopAll(1)
    })
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve()
    }, timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof EmbeddedPostgresError) console.error(err.message)
  else console.error(err)
  process.exit(1)
})
