// The secret that signs file URLs: SIGNING_SECRET when set (required in production); otherwise a
// secret generated once into <dataDir>/signing.key (mode 0600, like master.key) and read from there,
// so URLs stay valid across restarts and every server sharing the data directory agrees. Logs say
// where the secret came from, never its value.
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { ConfigError, type Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { publishOwnerOnlyFileIfAbsent, readOwnerOnlyFile } from '../crypto/ownerOnlyFile.ts'

export const SIGNING_SECRET_ENV = 'SIGNING_SECRET'
export const SIGNING_SECRET_FILE_NAME = 'signing.key'
/** Shorter secrets could be guessed offline from one signed URL. */
export const MIN_SIGNING_SECRET_LENGTH = 32

export type SigningSecretSource = { kind: 'environment' } | { kind: 'file'; path: string; created: boolean }
export type SigningSecretFileErrorCode = 'insecure_permissions' | 'not_a_file' | 'too_short'

/** Start-up stops on these; messages name the file and the fix, never its content. */
export class SigningSecretFileError extends Error {
  constructor(readonly code: SigningSecretFileErrorCode, readonly path: string, message: string) {
    super(message)
    this.name = 'SigningSecretFileError'
  }
}

/** Throws ConfigError naming SIGNING_SECRET (never its value) or SigningSecretFileError. */
export function loadSigningSecret(config: Pick<Config, 'signingSecret' | 'production' | 'dataDir'>, logger?: Logger): { secret: string; source: SigningSecretSource } {
  if (config.signingSecret !== undefined) {
    if (config.signingSecret.length < MIN_SIGNING_SECRET_LENGTH)
      throw new ConfigError(SIGNING_SECRET_ENV, `must be at least ${MIN_SIGNING_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`)
    logger?.info(`file URLs signed with ${SIGNING_SECRET_ENV}`)
    return { secret: config.signingSecret, source: { kind: 'environment' } }
  }
  if (config.production) throw new ConfigError(SIGNING_SECRET_ENV, 'is required in production (NODE_ENV=production)')
  const file = loadOrCreateSigningSecretFile(config.dataDir)
  if (file.created) logger?.warn({ secretFile: file.path }, `Generated the URL signing secret in ${file.path} (mode 600, owner only); set ${SIGNING_SECRET_ENV} to use another`)
  else logger?.info({ secretFile: file.path }, `Using the URL signing secret from ${file.path} (${SIGNING_SECRET_ENV} is not set)`)
  return { secret: file.secret, source: { kind: 'file', path: file.path, created: file.created } }
}

/** Reads <dataDir>/signing.key, creating the folder and a new secret first if there is none. Concurrent starters agree on one. */
export function loadOrCreateSigningSecretFile(dataDir: string): { secret: string; created: boolean; path: string } {
  const dir = path.resolve(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = path.join(dir, SIGNING_SECRET_FILE_NAME)
  const created = publishOwnerOnlyFileIfAbsent(file, () => randomBytes(32).toString('base64url'))
  return { secret: readSecretFile(file), created, path: file }
}

function readSecretFile(file: string): string {
  const read = readOwnerOnlyFile(file)
  if (!read.ok && read.problem === 'not_a_file') throw new SigningSecretFileError('not_a_file', file, `${file} is not a regular file`)
  if (!read.ok)
    throw new SigningSecretFileError(
      'insecure_permissions',
      file,
      `${file} is accessible to group or others (mode ${read.mode}); anyone who reads it can sign file URLs, so it is not used. Run: chmod 600 '${file}'`,
    )
  if (read.text.length < MIN_SIGNING_SECRET_LENGTH)
    throw new SigningSecretFileError('too_short', file, `${file} holds fewer than ${MIN_SIGNING_SECRET_LENGTH} characters; delete it and a new secret is generated (signed URLs already handed out stop working)`)
  return read.text
}
