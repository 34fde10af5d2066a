// A real server (schema, context, listener) over a test database, called in-process through
// yoga.fetch, plus a live HTTP port for WebSocket and raw-HTTP tests.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print } from 'graphql'
import { createTestDatabase, type TestDatabase } from './testDatabase.ts'
import { makeTestConfig, quietLogger } from './config.ts'
import { buildApp, type RunningApp } from '../../server/app.ts'
import { startEventHub } from '../../server/events/listener.ts'
import type { AppServices } from '../../server/services.ts'
import type { Config } from '../../server/config.ts'
import type { MakeDbOptions } from '../../server/db.ts'
import type { Logger } from '../../server/logger.ts'
import { makeConfigCipher } from '../../server/crypto/configCipher.ts'
import { generateMasterKey } from '../../server/crypto/keys.ts'
import { makeFileStorage } from '../../server/storage/makeFileStorage.ts'
import { loadSigningSecret } from '../../server/storage/signingSecret.ts'
import { makeUrlSigner } from '../../server/storage/signedUrls.ts'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface GraphQLResponse<T> {
  status: number
  headers: Headers
  data: T | null | undefined
  errors?: { message: string; extensions?: Record<string, unknown> }[]
}

export interface TestApp {
  database: TestDatabase
  services: AppServices
  url: string
  /** Runs a typed operation as `token` (or anonymously). */
  gql<TResult, TVariables>(doc: TypedDocumentNode<TResult, TVariables>, variables?: TVariables, token?: string): Promise<GraphQLResponse<TResult>>
  /** Raw HTTP against the running server. */
  fetch(path: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

export interface StartTestAppOptions {
  env?: Record<string, string>
  db?: MakeDbOptions
  /** The app's logger (default: silent); tests that read logs pass one writing to memory. */
  logger?: Logger
  /** INTEGRATION_MASTER_KEY format ("new,old"); default: a key generated for this app. */
  masterKeys?: string
  /** Serve this built dashboard at `/` (SERVE_WEB on); default: no dashboard. */
  webDistDir?: string
}

export async function startTestApp(options: StartTestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(options.db)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-app-'))
  // The key goes into the configuration, so a worker started with app.services.config opens the same configs.
  const masterKeys = options.masterKeys ?? generateMasterKey()
  const config: Config = makeTestConfig({ SERVE_WEB: options.webDistDir ? 'true' : 'false', RMIRROR_DATA_DIR: dataDir, INTEGRATION_MASTER_KEY: masterKeys, API_RATE_LIMIT_PER_SECOND: '1000', API_RATE_LIMIT_BURST: '1000', ...options.env })
  const logger = options.logger ?? quietLogger
  const events = startEventHub(database.url, database.db, logger)
  const cipher = makeConfigCipher(masterKeys.split(','))
  const storage = await makeFileStorage(config.fileStorage, database.url, logger)
  // As outside production: SIGNING_SECRET from options.env, else a secret generated into the temp data directory.
  const signer = makeUrlSigner(loadSigningSecret(config).secret)
  const services: AppServices = { config, db: database.db, databaseUrl: database.url, logger, events, storage, cipher, signer }
  const app = buildApp(services, { webDistDir: options.webDistDir })
  const running: RunningApp = await app.start()
  await events.ready
  return {
    database,
    services,
    url: running.url,
    async gql(doc, variables, token) {
      const body = JSON.stringify({ query: print(doc), variables: variables ?? {} })
      const res = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      })
      const json = (await res.json()) as { data?: any; errors?: any[] }
      return { status: res.status, headers: res.headers, data: json.data, errors: json.errors }
    },
    fetch: (path, init) => fetch(`${running.url}${path}`, init),
    async close() {
      await running.stop()
      await events.stop()
      await storage.close()
      await database.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
