// `npm run keys:rotate [-- --dry-run]`: re-encrypts every integration config under the first master
// key. To rotate: put the new key first (INTEGRATION_MASTER_KEY=new,old — or the same in the data
// directory's master.key), restart the servers and workers, run this, then drop the old key once it
// reports nothing left under it. Interrupted, it loses nothing: run it again and it continues.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, readConfig } from '../server/config.ts'
import { loadConfigCipher } from '../server/crypto/loadCipher.ts'
import { rotateIntegrationKeys, type RotationReport } from '../server/crypto/rotateIntegrationKeys.ts'
import { openScriptDatabase } from './scriptDatabase.ts'

export async function runKeysRotate(argv: readonly string[], print: (line: string) => void = console.log, env = process.env): Promise<number> {
  const unknown = argv.filter((a) => a !== '--dry-run')
  if (unknown.length) {
    print(`unknown argument ${unknown[0]}; usage: npm run keys:rotate [-- --dry-run]`)
    return 2
  }
  const dryRun = argv.includes('--dry-run')
  const config = readConfig(env)
  const { cipher, source } = loadConfigCipher(config)
  print(`master keys (first encrypts): ${cipher.fingerprints.join(', ')} from ${source.kind === 'file' ? source.path : 'INTEGRATION_MASTER_KEY'}`)
  if (cipher.fingerprints.length === 1) print('only one key is configured: to rotate, put a new key first ("new,old") and run this again')
  const database = await openScriptDatabase(config, print)
  let report: RotationReport
  try {
    report = await rotateIntegrationKeys(database.db, cipher, {
      dryRun,
      onProgress: (p) => print(`… ${p.scanned} scanned, ${p.rotated} ${dryRun ? 'to rotate' : 'rotated'}`),
    })
  } finally {
    await database.close()
  }
  print(
    `${report.scanned} configs: ${report.rotated} ${dryRun ? 'would be re-encrypted' : 're-encrypted'}, ${report.current} already under key ${cipher.fingerprints[0]}, ` +
      `${report.unreadable.length} unreadable, ${report.changedMeanwhile} changed meanwhile`,
  )
  for (const u of report.unreadable) print(`  unreadable: integration ${u.id} (user ${u.userId}, ${u.targetName}) opens under none of the configured keys; left as it is`)
  if (report.changedMeanwhile) print('some configs changed while this ran: run it again to take them')
  const done = !dryRun && report.unreadable.length === 0 && report.changedMeanwhile === 0
  if (done && cipher.fingerprints.length > 1) print(`every config opens under ${cipher.fingerprints[0]}: the other keys may now be removed`)
  return report.unreadable.length || report.changedMeanwhile ? 1 : 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runKeysRotate(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof ConfigError || err instanceof Error ? err.message : err)
      process.exit(1)
    },
  )
}
