// Starts a server process: migrations (unless told not to), services, HTTP. Used by `npm run server`,
// `npm start` (through server/index.ts) and tests.
import type { Config } from './config.ts'
import type { Logger } from './logger.ts'
import { makeDb } from './db.ts'
import { buildApp, type RunningApp } from './app.ts'
import { readMigrationState } from './migrationStatus.ts'
import { migrateDatabase } from '../scripts/migrate.ts'
import type { AppServices } from './services.ts'
import { startEventHub } from './events/listener.ts'
import { loadConfigCipher } from './crypto/loadCipher.ts'
import { makeFileStorage } from './storage/makeFileStorage.ts'
import { loadSigningSecret } from './storage/signingSecret.ts'
import { makeUrlSigner } from './storage/signedUrls.ts'

export interface StartedServer extends RunningApp {
  services: AppServices
}

export async function startServer(config: Config, databaseUrl: string, logger: Logger): Promise<StartedServer> {
  // First: a bad or missing master key stops the start before anything else runs.
  const { cipher } = loadConfigCipher(config, logger)
  const signer = makeUrlSigner(loadSigningSecret(config, logger).secret)
  const db = makeDb(databaseUrl, { statementTimeoutMs: config.databaseStatementTimeoutMs, onConnectionError: (err) => logger.warn({ pool: 'queries', err }, 'database connection lost') })
  if (config.migrateOnStart) {
    const state = await readMigrationState(db).catch(() => ({ migrated: false as const, missing: ['?'] }))
    if (!state.migrated) {
      logger.info('applying database migrations')
      await migrateDatabase(databaseUrl)
    }
  }
  const events = startEventHub(databaseUrl, db, logger)
  const storage = await makeFileStorage(config.fileStorage, databaseUrl, logger)
  const services: AppServices = { config, db, databaseUrl, logger, events, storage, cipher, signer }
  const app = buildApp(services)
  const running = await app.start()
  await events.ready
  logger.info({ url: running.url, graphql: `${running.url}/graphql` }, `server listening on ${running.url}`)
  return {
    ...running,
    services,
    async stop() {
      await running.stop()
      await events.stop()
      await storage.close()
      await db.$disconnect()
    },
  }
}
