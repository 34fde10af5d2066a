// A user's Readwise integration in integration_configs: the access token only inside the Fernet
// token (config_encrypted, per-user key), its last 4 characters as the hint, settings in plain JSON.
import type { ConfigCipher } from '../crypto/configCipher.ts'
import { maskSecret } from '../crypto/mask.ts'
import type { DbTx, Prisma } from '../db.ts'
import type { IntegrationConfig } from '../generated/prisma/client.ts'
import { ValidationError } from '../errors.ts'
import { IntegrationCredentialsUnreadableError } from '../sync/integrationErrors.ts'
import { DEFAULT_SETTINGS, readIntegrationSettings, type IntegrationSettings } from '../sync/integrationSettings.ts'
import type { Outcome } from '../outcome.ts'
import { READWISE_TARGET } from './readwiseModel.ts'

export interface ReadwiseCredentials {
  token: string
}

// Readwise access tokens are 50 letters and digits; anything printable without spaces is let through.
const TOKEN_SHAPE = /^[\x21-\x7e]{8,500}$/

export function readReadwiseToken(raw: string, field = 'readwise.token'): Outcome<string, ValidationError> {
  const token = raw.trim().replace(/^Token\s+/i, '')
  if (token === '') return { ok: false, error: new ValidationError('Paste the Readwise access token (readwise.io/access_token)', field) }
  if (!TOKEN_SHAPE.test(token)) return { ok: false, error: new ValidationError('That does not look like a Readwise access token (no spaces, 8 to 500 characters)', field) }
  return { ok: true, value: token }
}

export function openReadwiseCredentials(cipher: ConfigCipher, userId: number, configEncrypted: string): Outcome<ReadwiseCredentials, IntegrationCredentialsUnreadableError> {
  const opened = cipher.decrypt(userId, configEncrypted)
  if (!opened.ok) return { ok: false, error: new IntegrationCredentialsUnreadableError() }
  const { token } = opened.config
  if (typeof token !== 'string' || token === '') return { ok: false, error: new IntegrationCredentialsUnreadableError('The stored Readwise config lacks a token: connect the integration again') }
  return { ok: true, value: { token } }
}

export async function readReadwiseIntegration(
  db: DbTx,
  cipher: ConfigCipher,
  integrationId: number,
): Promise<Outcome<{ integration: IntegrationConfig; credentials: ReadwiseCredentials; settings: IntegrationSettings }, IntegrationCredentialsUnreadableError> | null> {
  const integration = await db.integrationConfig.findUnique({ where: { id: integrationId } })
  if (!integration || integration.targetName !== READWISE_TARGET) return null
  const credentials = openReadwiseCredentials(cipher, integration.userId, integration.configEncrypted)
  if (!credentials.ok) return credentials
  return { ok: true, value: { integration, credentials: credentials.value, settings: readIntegrationSettings(integration.settings) } }
}

/** Creates or replaces the user's Readwise config, enabled; keeps earlier settings. */
export async function saveReadwiseIntegration(tx: DbTx, cipher: ConfigCipher, userId: number, credentials: ReadwiseCredentials): Promise<IntegrationConfig> {
  const existing = await tx.integrationConfig.findUnique({ where: { userId_targetName: { userId, targetName: READWISE_TARGET } } })
  const before = existing ? readIntegrationSettings(existing.settings) : DEFAULT_SETTINGS
  const settings = { dryRun: before.dryRun, cleanUpOnDelete: before.cleanUpOnDelete, sendPageNotes: before.sendPageNotes }
  const data = {
    isEnabled: true,
    configEncrypted: cipher.encrypt(userId, { token: credentials.token }),
    credentialHint: maskSecret(credentials.token),
    settings: settings as unknown as Prisma.InputJsonObject,
  }
  return tx.integrationConfig.upsert({
    where: { userId_targetName: { userId, targetName: READWISE_TARGET } },
    create: { userId, targetName: READWISE_TARGET, ...data },
    update: data,
  })
}
