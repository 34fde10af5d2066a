// `npm run server`: the GraphQL server alone, against DATABASE_URL. Runs main(), nothing else.
import { readConfig, requireDatabaseUrl, ConfigError } from './config.ts'
import { makeLogger } from './logger.ts'
import { startServer } from './startServer.ts'

async function main() {
  const config = readConfig()
  const logger = makeLogger(config, { process: 'server' })
  const databaseUrl = requireDatabaseUrl(config)
  const running = await startServer(config, databaseUrl, logger)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'server stopping')
    await running.stop()
    logger.info('server stopped')
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
