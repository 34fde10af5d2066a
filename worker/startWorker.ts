// Starts a graphile-worker runner over DATABASE_URL with this project's tasks.
import { run, type Runner, type TaskList } from 'graphile-worker'
import type { Config } from '../server/config.ts'
import type { Logger } from '../server/logger.ts'
import { makeWorkerLogger } from './logger.ts'
import { makeTaskList } from './tasks/index.ts'
import { makeDb } from '../server/db.ts'
import { makeLocalFileStorage } from '../server/storage/localFileStorage.ts'
import path from 'node:path'

export interface StartedWorker {
  runner: Runner
  stop(): Promise<void>
}

export interface StartWorkerOptions {
  /** Replaces the project's task list (tests of the runner itself). */
  taskList?: TaskList
  pollInterval?: number
}

export async function startWorker(config: Config, databaseUrl: string, logger: Logger, options: StartWorkerOptions = {}): Promise<StartedWorker> {
  const db = makeDb(databaseUrl, { poolSize: config.workerConcurrency + 2 })
  const storage = makeLocalFileStorage(path.join(config.dataDir, 'files'))
  const runner = await run({
    connectionString: databaseUrl,
    concurrency: config.workerConcurrency,
    noHandleSignals: true,
    crontab: '',
    pollInterval: options.pollInterval ?? 2000,
    logger: makeWorkerLogger(logger),
    taskList: options.taskList ?? makeTaskList({ db, storage, logger, retryBaseMs: config.retryBaseMs }),
  })
  logger.info({ concurrency: config.workerConcurrency }, 'worker started')
  let stopped: Promise<void> | undefined
  return {
    runner,
    stop: () => (stopped ??= runner.stop().finally(() => db.$disconnect())),
  }
}
