// `npm run keys:import-rmirror -- EXPORT.json [--overwrite] [--dry-run]`: moves integration configs
// from the Python rmirror-cloud service. EXPORT.json holds { "users": [{ "user_id", "email",
// "config_encrypted", "target_name"?, "is_enabled"? }] } — e.g. from that service's database:
//   psql "$OLD_DATABASE_URL" -Atc "select json_build_object('users', json_agg(json_build_object(
//     'user_id', u.id, 'email', u.email, 'target_name', c.target_name, 'is_enabled', c.is_enabled,
//     'config_encrypted', c.config_encrypted))) from integration_configs c join users u on u.id = c.user_id" > export.json
// Its master key comes from RMIRROR_INTEGRATION_MASTER_KEY (that service's INTEGRATION_MASTER_KEY),
// or the file's "master_key". Users map by email; our own key list (INTEGRATION_MASTER_KEY or the
// data directory's master.key) encrypts. Prints outcomes per email, never a config.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, readConfig } from '../server/config.ts'
import { loadConfigCipher } from '../server/crypto/loadCipher.ts'
import { MasterKey } from '../server/crypto/keys.ts'
import { importRmirrorConfigs, type RmirrorConfigEntry } from '../server/notion/connection/importRmirrorConfigs.ts'
import { openScriptDatabase } from './scriptDatabase.ts'

const USAGE = 'usage: npm run keys:import-rmirror -- EXPORT.json [--overwrite] [--dry-run]'

export async function runKeysImportRmirror(argv: readonly string[], print: (line: string) => void = console.log, env = process.env): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')))
  const files = argv.filter((a) => !a.startsWith('--'))
  const unknown = [...flags].filter((f) => f !== '--overwrite' && f !== '--dry-run')
  if (files.length !== 1 || unknown.length) {
    print(USAGE)
    return 2
  }
  let exported: { master_key?: unknown; users?: unknown }
  try {
    exported = JSON.parse(readFileSync(files[0], 'utf8'))
  } catch {
    print(`${files[0]} cannot be read as JSON`)
    return 2
  }
  if (!Array.isArray(exported.users)) {
    print(`${files[0]} has no "users" list; ${USAGE}`)
    return 2
  }
  const keyText = env.RMIRROR_INTEGRATION_MASTER_KEY?.trim() || (typeof exported.master_key === 'string' ? exported.master_key : '')
  const theirKey = MasterKey.fromText(keyText)
  if (!theirKey) {
    print('rmirror-cloud master key missing or malformed: set RMIRROR_INTEGRATION_MASTER_KEY to that service\'s INTEGRATION_MASTER_KEY')
    return 2
  }
  const config = readConfig(env)
  const { cipher } = loadConfigCipher(config)
  const database = await openScriptDatabase(config, print)
  try {
    const report = await importRmirrorConfigs(database.db, cipher, theirKey, exported.users as RmirrorConfigEntry[], {
      overwrite: flags.has('--overwrite'),
      dryRun: flags.has('--dry-run'),
    })
    for (const e of report.entries) print(`${e.email || '(no email)'}: ${e.outcome}${e.kind === 'legacy_plain_json' ? ' (was plain JSON)' : ''}`)
    print(`${report.imported} of ${report.entries.length} configs ${flags.has('--dry-run') ? 'would be imported' : `imported under key ${cipher.fingerprints[0]}`}`)
    return report.entries.some((e) => e.outcome === 'undecryptable') ? 1 : 0
  } finally {
    await database.close()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runKeysImportRmirror(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof ConfigError || err instanceof Error ? err.message : err)
      process.exit(1)
    },
  )
}
