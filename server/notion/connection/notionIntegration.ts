// Notion's integration config in integration_configs: its credentials only as a Fernet token
// (config_encrypted, per-user key), a masked hint for display, the destination in the settings. The one
// place Notion configs are written and opened — by the server's mutations and by the worker's sync.
import type { ConfigCipher } from '../../crypto/configCipher.ts'
import type { JsonObject } from '../../crypto/jsonObject.ts'
import { maskSecret } from '../../crypto/mask.ts'
import type { DbTx, Prisma } from '../../db.ts'
import type { IntegrationConfig } from '../../generated/prisma/client.ts'
import { IntegrationCredentialsUnreadableError } from '../../sync/integrationErrors.ts'
import { DEFAULT_SETTINGS, readIntegrationSettings, type IntegrationDestination } from '../../sync/integrationSettings.ts'
import type { Outcome } from '../../outcome.ts'
import { INTEGRATION_TARGETS } from '../../targets.ts'

export const NOTION_TARGET = INTEGRATION_TARGETS.NOTION.targetName

/** What is encrypted for Notion (other keys, e.g. from an import, are kept as they are). */
export interface NotionCredentials {
  token: string
  databaseId: string
  /** null: not chosen yet (an imported config); the database must then have exactly one. */
  dataSourceId: string | null
}

export function encryptNotionCredentials(cipher: ConfigCipher, userId: number, credentials: NotionCredentials, extra: JsonObject = {}): string {
  return cipher.encrypt(userId, { ...extra, token: credentials.token, databaseId: credentials.databaseId, dataSourceId: credentials.dataSourceId })
}

/** Opens a stored Notion config; any failure is one typed error (the cause is logged by no one: it is a state). */
export function openNotionCredentials(cipher: ConfigCipher, userId: number, configEncrypted: string): Outcome<NotionCredentials, IntegrationCredentialsUnreadableError> {
  const opened = cipher.decrypt(userId, configEncrypted)
  if (!opened.ok) return { ok: false, error: new IntegrationCredentialsUnreadableError() }
  const { token, databaseId, dataSourceId } = opened.config
  if (typeof token !== 'string' || token === '' || typeof databaseId !== 'string')
    return { ok: false, error: new IntegrationCredentialsUnreadableError('The stored Notion config lacks a token or database id: connect the integration again') }
  return { ok: true, value: { token, databaseId, dataSourceId: typeof dataSourceId === 'string' ? dataSourceId : null } }
}

export interface SaveNotionIntegrationResult {
  integration: IntegrationConfig
  /** A destination was saved before and this one differs (records of the old one no longer apply). */
  destinationChanged: boolean
}

/** Creates or replaces the user's Notion config, enabled; keeps earlier settings (dry run, clean-up). */
export async function saveNotionIntegration(
  tx: DbTx,
  cipher: ConfigCipher,
  userId: number,
  credentials: NotionCredentials,
  databaseTitle: string | null,
): Promise<SaveNotionIntegrationResult> {
  const existing = await tx.integrationConfig.findUnique({ where: { userId_targetName: { userId, targetName: NOTION_TARGET } } })
  const before = existing ? readIntegrationSettings(existing.settings) : DEFAULT_SETTINGS
  const destination: IntegrationDestination = { databaseId: credentials.databaseId, dataSourceId: credentials.dataSourceId, databaseTitle }
  const settings = { dryRun: before.dryRun, cleanUpOnDelete: before.cleanUpOnDelete, destination }
  const data = {
    isEnabled: true,
    configEncrypted: encryptNotionCredentials(cipher, userId, credentials),
    credentialHint: maskSecret(credentials.token),
    settings: settings as unknown as Prisma.InputJsonObject,
  }
  const integration = await tx.integrationConfig.upsert({
    where: { userId_targetName: { userId, targetName: NOTION_TARGET } },
    create: { userId, targetName: NOTION_TARGET, ...data },
    update: data,
  })
  const destinationChanged =
    before.destination !== null && (before.destination.dataSourceId !== credentials.dataSourceId || before.destination.databaseId !== credentials.databaseId)
  return { integration, destinationChanged }
}
