// Applies the app's Prisma migrations and graphile-worker's schema. `npm run migrate`, and called by
// `npm start`, the server at start, and the test template builder.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { Logger, runMigrations } from 'graphile-worker'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export class MigrationError extends Error {}

/** Runs `prisma migrate deploy` (advisory-locked by Prisma, so concurrent callers are safe). */
export async function migratePrisma(databaseUrl: string): Promise<void> {
  const prismaBin = path.join(root, 'node_modules', 'prisma', 'build', 'index.js')
  const preload = path.join(root, 'scripts', 'unref-long-timers.cjs')
  const output: string[] = []
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', preload, prismaBin, 'migrate', 'deploy'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.on('data', (d) => output.push(String(d)))
    child.stderr.on('data', (d) => output.push(String(d)))
    child.on('error', reject)
    child.on('close', resolve)
  })
  if (code !== 0) throw new MigrationError(`prisma migrate deploy failed (exit ${code}):\n${output.join('').replace(/postgres(ql)?:\/\/[^\s"']+/g, 'postgresql://…')}`)
}

export async function migrateDatabase(databaseUrl: string): Promise<void> {
  await migratePrisma(databaseUrl)
  await runMigrations({ connectionString: databaseUrl, logger: silentWorkerLogger() })
}

// graphile-worker's migrations have nothing worth printing.
function silentWorkerLogger(): Logger {
  return new Logger(() => () => {})
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const url = process.env.DATABASE_URL
  if (!url) {
    console.error('DATABASE_URL is required for `npm run migrate`.')
    process.exit(1)
  }
  migrateDatabase(url).then(
    () => console.log('migrations applied'),
    (err) => {
      console.error(err instanceof Error ? err.message : err)
      process.exit(1)
    },
  )
}
