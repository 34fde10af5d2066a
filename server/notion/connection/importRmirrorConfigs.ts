// `npm run keys:import-rmirror`: integration configs exported from the Python rmirror-cloud service,
// encrypted its way (or its legacy plain JSON), re-encrypted under our per-user keys. Its users map to
// ours by email; its user ids only serve its key derivation. Nothing read is ever printed.
import type { ConfigCipher } from '../../crypto/configCipher.ts'
import type { JsonObject } from '../../crypto/jsonObject.ts'
import { maskSecret } from '../../crypto/mask.ts'
import { decryptRmirrorConfig } from '../../crypto/rmirrorLegacy.ts'
import type { MasterKeyInput } from '../../crypto/keys.ts'
import type { Db, Prisma } from '../../db.ts'
import { queueCatchUp } from '../../sync/catchUp.ts'
import { NOTION_TARGET, encryptNotionCredentials } from './notionIntegration.ts'
import { DEFAULT_SETTINGS } from '../../sync/integrationSettings.ts'

/** One exported row: its user (id + email) and its stored value. */
export interface RmirrorConfigEntry {
  user_id: number | string
  email: string
  config_encrypted: string
  /** Default "notion" (the only target that service had credentials for). */
  target_name?: string
  is_enabled?: boolean
}

export type ImportOutcome = 'imported' | 'no_such_user' | 'already_connected' | 'undecryptable' | 'no_token' | 'unsupported_target'

export interface ImportReport {
  /** Per entry, in input order: the email and what happened (no config content). */
  entries: { email: string; outcome: ImportOutcome; kind?: 'fernet' | 'legacy_plain_json' }[]
  imported: number
}

export interface ImportOptions {
  /** Replace a config the user already connected here (default: keep theirs). */
  overwrite?: boolean
  dryRun?: boolean
}

// Key names that service used for the Notion token and database over time.
const TOKEN_KEYS = ['access_token', 'api_token', 'notion_token', 'token']
const DATABASE_KEYS = ['database_id', 'databaseId', 'notion_database_id']

export async function importRmirrorConfigs(
  db: Db,
  cipher: ConfigCipher,
  masterKey: MasterKeyInput,
  entries: readonly RmirrorConfigEntry[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = { entries: [], imported: 0 }
  for (const entry of entries) {
    const email = String(entry.email ?? '').trim().toLowerCase()
    const targetName = entry.target_name ?? NOTION_TARGET
    const note = (outcome: ImportOutcome, kind?: 'fernet' | 'legacy_plain_json') => report.entries.push({ email, outcome, ...(kind ? { kind } : {}) })
    if (targetName !== NOTION_TARGET) {
      note('unsupported_target')
      continue
    }
    const opened = decryptRmirrorConfig(masterKey, entry.user_id, String(entry.config_encrypted ?? ''))
    if (!opened.ok) {
      note('undecryptable')
      continue
    }
    const mapped = mapNotionConfig(opened.config)
    if (!mapped) {
      note('no_token', opened.kind)
      continue
    }
    const user = await db.user.findUnique({ where: { email }, select: { id: true } })
    if (!user) {
      note('no_such_user', opened.kind)
      continue
    }
    const existing = await db.integrationConfig.findUnique({ where: { userId_targetName: { userId: user.id, targetName } }, select: { id: true } })
    if (existing && !options.overwrite) {
      note('already_connected', opened.kind)
      continue
    }
    if (!options.dryRun) {
      const enabled = entry.is_enabled ?? true
      const settings = { ...DEFAULT_SETTINGS, destination: { databaseId: mapped.credentials.databaseId, dataSourceId: null, databaseTitle: null } }
      const data = {
        isEnabled: enabled,
        configEncrypted: encryptNotionCredentials(cipher, user.id, mapped.credentials, mapped.extra),
        credentialHint: maskSecret(mapped.credentials.token),
        settings: settings as unknown as Prisma.InputJsonObject,
      }
      await db.$transaction(async (tx) => {
        await tx.integrationConfig.upsert({
          where: { userId_targetName: { userId: user.id, targetName } },
          create: { userId: user.id, targetName, ...data },
          update: data,
        })
        if (enabled) await queueCatchUp(tx, user.id, targetName)
      })
    }
    report.imported++
    note('imported', opened.kind)
  }
  return report
}

/** That service's config → our Notion credentials; other keys (workspace name…) are kept as they are. */
function mapNotionConfig(config: JsonObject): { credentials: { token: string; databaseId: string; dataSourceId: null }; extra: JsonObject } | null {
  const token = TOKEN_KEYS.map((k) => config[k]).find((v): v is string => typeof v === 'string' && v !== '')
  const databaseId = DATABASE_KEYS.map((k) => config[k]).find((v): v is string => typeof v === 'string' && v !== '')
  if (!token || !databaseId) return null
  const extra: JsonObject = {}
  for (const [key, value] of Object.entries(config)) if (!TOKEN_KEYS.includes(key) && !DATABASE_KEYS.includes(key)) extra[key] = value
  return { credentials: { token, databaseId: normalizeNotionId(databaseId), dataSourceId: null }, extra }
}

/** 32 hex digits → the dashed form Notion answers with (what the API compares against). */
function normalizeNotionId(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(hex)) return id
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
