// Integration configs in integration_configs: credentials only as a Fernet token (config_encrypted,
// per-user key), a masked hint for display, and non-secret settings in plain JSON. The one place
// configs are written and opened — by the server's mutations and by the worker's sync.
import type { ConfigCipher } from '../crypto/configCipher.ts'
import type { JsonObject } from '../crypto/jsonObject.ts'
import { maskSecret } from '../crypto/mask.ts'
import type { DbTx, Prisma } from '../db.ts'
import type { IntegrationConfig } from '../generated/prisma/client.ts'
import { IntegrationCredentialsUnreadableError } from './errors.ts'
import type { Outcome } from './notionConnection.ts'
import { INTEGRATION_TARGETS } from '../sync/targets.ts'

export const NOTION_TARGET = INTEGRATION_TARGETS.NOTION.targetName

/** What is encrypted for Notion (other keys, e.g. from an import, are kept as they are). */
export interface NotionCredentials {
  token: string
  databaseId: string
  /** null: not chosen yet (an imported config); the database must then have exactly one. */
  dataSourceId: string | null
}

/** Where the sync writes, shown in the dashboard; a copy of the non-secret part of the credentials. */
export interface IntegrationDestination {
  databaseId: string
  dataSourceId: string | null
  databaseTitle: string | null
}

export interface IntegrationSettings {
  dryRun: boolean
  cleanUpOnDelete: boolean
  /** Readwise: each page's notes go too, as a highlight with a note (off by default). */
  sendPageNotes: boolean
  destination: IntegrationDestination | null
}

export const DEFAULT_SETTINGS: IntegrationSettings = { dryRun: false, cleanUpOnDelete: false, sendPageNotes: false, destination: null }

/** Reads the settings column leniently: unknown or malformed values fall back to the defaults. */
export function readIntegrationSettings(json: unknown): IntegrationSettings {
  const o = isObject(json) ? json : {}
  const d = isObject(o.destination) ? o.destination : null
  return {
    dryRun: o.dryRun === true,
    cleanUpOnDelete: o.cleanUpOnDelete === true,
    sendPageNotes: o.sendPageNotes === true,
    destination:
      d && typeof d.databaseId === 'string'
        ? {
            databaseId: d.databaseId,
            dataSourceId: typeof d.dataSourceId === 'string' ? d.dataSourceId : null,
            databaseTitle: typeof d.databaseTitle === 'string' ? d.databaseTitle : null,
          }
        : null,
  }
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

/** For the worker: an integration's owner and credentials by integration id. */
export async function readNotionIntegration(
  db: DbTx,
  cipher: ConfigCipher,
  integrationId: number,
): Promise<Outcome<{ integration: IntegrationConfig; credentials: NotionCredentials; settings: IntegrationSettings }, IntegrationCredentialsUnreadableError> | null> {
  const integration = await db.integrationConfig.findUnique({ where: { id: integrationId } })
  if (!integration || integration.targetName !== NOTION_TARGET) return null
  const credentials = openNotionCredentials(cipher, integration.userId, integration.configEncrypted)
  if (!credentials.ok) return credentials
  return { ok: true, value: { integration, credentials: credentials.value, settings: readIntegrationSettings(integration.settings) } }
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
  const settings = { dryRun: before.dryRun, cleanUpOnDelete: before.cleanUpOnDelete, sendPageNotes: before.sendPageNotes, destination }
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
