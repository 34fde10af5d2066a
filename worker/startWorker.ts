// Starts a graphile-worker runner over DATABASE_URL with this project's tasks.
import { run, type Runner, type TaskList } from 'graphile-worker'
import type { Config } from '../server/config.ts'
import type { Logger } from '../server/logger.ts'
import { makeWorkerLogger } from './logger.ts'
import { makeTaskList } from './tasks/index.ts'
import { makeDb } from '../server/db.ts'
import { WaitingPool } from '../server/waitingPool.ts'
import { makeFileStorage } from '../server/storage/makeFileStorage.ts'
import { loadConfigCipher } from '../server/crypto/loadCipher.ts'
import { makeSyncTargets } from './syncTargets.ts'
import { startReaper, type ReaperOptions } from './reaper.ts'
import os from 'node:os'
import { makeConfiguredHandwritingReader } from '../server/extraction/makeHandwritingReader.ts'
import { scheduleWaitingOcrResumes } from '../server/quota/index.ts'

export interface StartedWorker {
  runner: Runner
  stop(): Promise<void>
}

export interface StartWorkerOptions {
  /** Replaces the project's task list (tests of the runner itself). */
  taskList?: TaskList
  /** Only these of the project's tasks (tests that look at queued jobs of the others). */
  onlyTasks?: string[]
  pollInterval?: number
  reaper?: ReaperOptions
}

export async function startWorker(config: Config, databaseUrl: string, logger: Logger, options: StartWorkerOptions = {}): Promise<StartedWorker> {
  // Every pool rides out a PostgreSQL restart (waiting for connections, not failing), and says which
  // pool lost a connection.
  const waitOptions = (pool: string) => ({
    waitForServerMs: DATABASE_WAIT_MS,
    onWaitForServer: (err: Error, attempt: number) => logger.warn({ pool, attempt, err: err.message }, 'database unavailable; waiting for it'),
  })
  const db = makeDb(databaseUrl, { poolSize: config.workerConcurrency + 2, statementTimeoutMs: config.databaseStatementTimeoutMs, onConnectionError: (err) => logger.warn({ pool: 'queries', err }, 'database connection lost'), ...waitOptions('queries') })
  const jobsPool = makeJobsPool(databaseUrl, logger, waitOptions('jobs'))
  const storage = await makeFileStorage(config.fileStorage, databaseUrl, logger)
  const { cipher } = loadConfigCipher(config, logger)
  const sync = { db, cipher, logger, targets: makeSyncTargets(config, db) }
  const reaper = startReaper(db, logger, `${os.hostname()}:${process.pid}`, options.reaper ?? { heartbeatMs: config.workerHeartbeatMs, deadAfterMs: config.workerDeadAfterMs })
  const handwriting = makeConfiguredHandwritingReader(config, db, logger)
  const runner = await run({
    events: reaper.events as any,
    pgPool: jobsPool,
    concurrency: config.workerConcurrency,
    noHandleSignals: true,
    // No cron: the one scheduled thing (the probe) is a job. An empty list, so graphile-worker does not
    // look for a ./crontab file either.
    parsedCronItems: [],
    pollInterval: options.pollInterval ?? 2000,
    logger: makeWorkerLogger(logger),
    taskList: options.taskList ?? pickTasks(options.onlyTasks, makeTaskList({ db, storage, logger, handwriting, ocrQuota: config.ocr.quota, retryBaseMs: config.retryBaseMs, probeDelayMs: config.probeDelayMs, sync })),
  })
  // At start: this process's workers are alive; jobs of dead ones go back to the queue.
  await reaper.tick()
  // Limits raised in the configuration, or resume jobs lost: waiting pages get their resume job.
  if (!options.taskList) await scheduleWaitingOcrResumes(db, config.ocr.quota)
  logger.info({ concurrency: config.workerConcurrency }, 'worker started')
  let stopped: Promise<void> | undefined
  return {
    runner,
    stop: () => (stopped ??= runner.stop().finally(async () => {
      await reaper.stop()
      await storage.close()
      await db.$disconnect()
      await jobsPool.end()
    })),
  }
}

/** How long a worker waits for PostgreSQL to be back before a query fails (a restart takes seconds). */
const DATABASE_WAIT_MS = 60_000

/**
 * graphile-worker's pool. Its own would fail at once while PostgreSQL restarts, and graphile-worker
 * 0.17 completes and fails jobs without awaiting them: one refused connection there ends the process.
 */
function makeJobsPool(databaseUrl: string, logger: Logger, wait: { waitForServerMs: number; onWaitForServer: (err: Error, attempt: number) => void }): WaitingPool {
  const pool = new WaitingPool({ connectionString: databaseUrl, max: 10, waitMs: wait.waitForServerMs, onWait: wait.onWaitForServer })
  const onError = (err: Error) => logger.warn({ pool: 'jobs', err: err.message }, 'database connection lost')
  pool.on('error', onError)
  pool.on('connect', (client) => client.on('error', onError))
  return pool
}

function pickTasks(only: string[] | undefined, all: TaskList): TaskList {
  return only ? Object.fromEntries(Object.entries(all).filter(([name]) => only.includes(name))) : all
}
