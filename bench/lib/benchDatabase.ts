// A fresh, migrated database for a benchmark: on DATABASE_URL's server when set, else on an embedded
// PostgreSQL started for the run. Dropped (and the embedded server stopped) at the end.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../../scripts/embeddedPostgres.ts'
import { migrateDatabase } from '../../scripts/migrate.ts'

export interface BenchDatabase {
  url: string
  close(): Promise<void>
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL
  let stopEmbedded: (() => Promise<void>) | undefined
  let dir: string | undefined
  if (!adminUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-bench-pg-'))
    const embedded = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres' })
    adminUrl = embedded.url
    stopEmbedded = embedded.stop
  }
  const name = `rmirror_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database "${name}"`)
  await admin.end()
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  const url = u.toString()
  await migrateDatabase(url)
  return {
    url,
    async close() {
      const a = new pg.Client({ connectionString: adminUrl })
      await a.connect()
      await a.query(`drop database if exists "${name}" with (force)`)
      await a.end()
      await stopEmbedded?.()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export function machineLine(): string {
  return `${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`
}
