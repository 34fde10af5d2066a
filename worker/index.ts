// `npm run worker`: the job runner alone, against DATABASE_URL. Runs main(), nothing else.
import { readConfig, requireDatabaseUrl, ConfigError } from '../server/config.ts'
import { makeLogger } from '../server/logger.ts'
import { startWorker } from './startWorker.ts'
import { isDatabaseUnavailable } from '../server/waitingPool.ts'

async function main() {
  const config = readConfig()
  const logger = makeLogger(config, { process: 'worker' })
  // graphile-worker completes and fails jobs without awaiting the statement: one sent while PostgreSQL
  // restarts is a rejection nobody handles. The worker rides that out (the reaper releases the job it
  // left locked); anything else unhandled still ends the process.
  process.on('unhandledRejection', (err) => {
    if (isDatabaseUnavailable(err)) return void logger.warn({ pool: 'jobs', err: (err as Error).message }, 'a job could not be completed or failed: database unavailable; the reaper releases it')
    logger.fatal({ err }, 'unhandled rejection')
    process.exit(1)
  })
  const worker = await startWorker(config, requireDatabaseUrl(config), logger)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'worker stopping')
    await worker.stop()
    logger.info('worker stopped')
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`)
  else console.error(err)
  process.exit(1)
})
