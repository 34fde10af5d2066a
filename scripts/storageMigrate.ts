// `npm run storage:migrate -- --to postgres|s3|local [--from local|postgres|s3] [--remove-source] [--dry-run]`:
// moves every page file the library references from one store to another (from the data directory's
// files/ folder by default). Run it after choosing another FILE_STORAGE — or after upgrading, when
// files an earlier version kept on disk are to reach every machine. It can run while the service
// runs, and again after an interruption. The target's settings (S3_*) come from the environment.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, FILE_STORAGE_KINDS, readConfig, type FileStorageKind } from '../server/config.ts'
import { makeFileStore } from '../server/storage/makeFileStorage.ts'
import { moveFiles, type MoveFilesReport } from '../server/storage/moveFiles.ts'
import { openScriptDatabase } from './scriptDatabase.ts'

const USAGE = 'usage: npm run storage:migrate -- --to postgres|s3|local [--from local|postgres|s3] [--remove-source] [--dry-run]'

interface Arguments {
  from: FileStorageKind
  to: FileStorageKind
  removeSource: boolean
  dryRun: boolean
}

function parseArguments(argv: readonly string[]): Arguments | string {
  const args: Partial<Arguments> = { from: 'local', removeSource: false, dryRun: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--remove-source') args.removeSource = true
    else if (a === '--dry-run') args.dryRun = true
    else if (a === '--to' || a === '--from') {
      const kind = argv[++i] as FileStorageKind
      if (!FILE_STORAGE_KINDS.includes(kind)) return `${a} takes one of ${FILE_STORAGE_KINDS.join(', ')}`
      args[a === '--to' ? 'to' : 'from'] = kind
    } else return `unknown argument ${a}`
  }
  if (!args.to) return '--to is required'
  if (args.to === args.from) return `--from and --to are both ${args.to}`
  return args as Arguments
}

export async function runStorageMigrate(argv: readonly string[], print: (line: string) => void = console.log, env = process.env): Promise<number> {
  const args = parseArguments(argv)
  if (typeof args === 'string') {
    print(`${args}; ${USAGE}`)
    return 2
  }
  const config = readConfig(env)
  const settingsOf = (kind: FileStorageKind) => readConfig({ ...env, FILE_STORAGE: kind }).fileStorage
  const fromSettings = settingsOf(args.from)
  const toSettings = settingsOf(args.to)
  const database = await openScriptDatabase(config, print)
  const from = await makeFileStore(fromSettings, database.url)
  const to = await makeFileStore(toSettings, database.url)
  let report: MoveFilesReport
  try {
    await to.check()
    print(`moving page files from ${describeStore(args.from, fromSettings.localDir)} to ${describeStore(args.to, toSettings.localDir)}${args.dryRun ? ' (dry run: nothing is written)' : ''}`)
    report = await moveFiles(database.db, from, to, {
      removeSource: args.removeSource,
      dryRun: args.dryRun,
      onProgress: (r) => print(`… ${r.scanned} files: ${r.copied} ${args.dryRun ? 'to copy' : 'copied'}, ${r.alreadyThere} already there`),
    })
  } finally {
    await from.close()
    await to.close()
    await database.close()
  }
  print(
    `${report.scanned} files: ${report.copied} ${args.dryRun ? 'would be copied' : 'copied'}, ${report.alreadyThere} already in ${args.to}` +
      `${args.removeSource ? `, ${report.removedFromSource} removed from ${args.from}` : ''}, ${report.missing.length} missing, ${report.corrupt.length} corrupt`,
  )
  for (const sha of report.missing) print(`  missing: ${sha} is in neither store; the pages using it need uploading again (the agent does so when its state file is deleted)`)
  for (const sha of report.corrupt) print(`  corrupt: ${sha} in ${args.from} does not match its hash; left there, not copied`)
  if (args.from === 'local' && args.removeSource && !args.dryRun && pruneEmptyFolders(fromSettings.localDir)) {
    print(`${fromSettings.localDir} is empty and removed: servers and workers stop looking there at their next start`)
  } else if (args.from === 'local' && !args.removeSource && report.copied + report.alreadyThere > 0 && !args.dryRun) {
    print(`the files stay in ${fromSettings.localDir} too: run again with --remove-source to delete them there`)
  }
  return report.missing.length || report.corrupt.length ? 1 : 0
}

function describeStore(kind: FileStorageKind, localDir: string): string {
  return kind === 'local' ? `local (${localDir})` : kind
}

/** Removes empty folders under `dir` and `dir` itself if it ends up empty; true when it did. */
function pruneEmptyFolders(dir: string): boolean {
  if (!fs.existsSync(dir)) return true
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) pruneEmptyFolders(path.join(dir, entry.name))
  if (fs.readdirSync(dir).length) return false
  fs.rmdirSync(dir)
  return true
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runStorageMigrate(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof ConfigError || err instanceof Error ? err.message : err)
      process.exit(1)
    },
  )
}
