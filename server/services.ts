// What a server process holds for its lifetime, made once at start and passed down.
import type { Config } from './config.ts'
import type { Db } from './db.ts'
import type { Logger } from './logger.ts'
import type { EventHub } from './events/listener.ts'
import type { ConfigCipher } from './crypto/configCipher.ts'
import type { FileStorage } from './storage/fileStorage.ts'
import type { UrlSigner } from './storage/signedUrls.ts'

export interface AppServices {
  config: Config
  db: Db
  /** The database the pool connects to; /healthz keeps a connection of its own to it. */
  databaseUrl: string
  logger: Logger
  events: EventHub
  /** Encrypts and opens integration configs (made once at start by loadConfigCipher). */
  cipher: ConfigCipher
  storage: FileStorage
  /** Signs and checks the short-lived URLs of files the dashboard shows (made once at start by loadSigningSecret). */
  signer: UrlSigner
}
