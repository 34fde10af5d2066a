// The FileStorage the configuration asks for (FILE_STORAGE), made once per server or worker process.
import fs from 'node:fs'
import type { FileStorageSettings } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { FileStorage } from './fileStorage.ts'
import { makeLocalFileStorage } from './localFileStorage.ts'
import { makePostgresFileStorage } from './postgresFileStorage.ts'
import { withLocalFallback } from './withLocalFallback.ts'

export async function makeFileStorage(settings: FileStorageSettings, databaseUrl: string, logger?: Logger): Promise<FileStorage> {
  const primary = await makeFileStore(settings, databaseUrl, logger)
  if (settings.kind === 'local' || !hasLocalFiles(settings.localDir)) return primary
  logger?.warn(
    { localDir: settings.localDir, fileStorage: settings.kind },
    `page files found on the local disk in ${settings.localDir}: read from there until moved; run \`npm run storage:migrate -- --to ${settings.kind}\` so every machine has them`,
  )
  return withLocalFallback(primary, makeLocalFileStorage(settings.localDir))
}

/** The store of `settings.kind` alone, without the fallback to older local files (storage:migrate). */
export async function makeFileStore(settings: FileStorageSettings, databaseUrl: string, logger?: Logger): Promise<FileStorage> {
  switch (settings.kind) {
    case 'local':
      return makeLocalFileStorage(settings.localDir)
    case 'postgres':
      return makePostgresFileStorage(databaseUrl, { onConnectionError: (err) => logger?.warn({ pool: 'files', err }, 'file storage connection lost') })
    case 's3':
      // Loaded only here: the AWS SDK is large, and most deployments never use it.
      return (await import('./s3FileStorage.ts')).makeS3FileStorage(settings.s3!)
  }
}

/** Whether the folder holds anything (an empty or missing one needs no fallback). */
export function hasLocalFiles(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0
  } catch {
    return false
  }
}
