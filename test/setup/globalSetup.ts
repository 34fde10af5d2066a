// Once per `npm test`: a PostgreSQL (DATABASE_URL's server, or an embedded one) and a template database
// holding every migration and graphile-worker's schema, named after a hash of the migrations. Each test
// file clones its own database from it (test/helpers/testDatabase.ts).
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/embeddedPostgres.ts'
import { migrateDatabase } from '../../scripts/migrate.ts'

const root = path.resolve(import.meta.dirname, '..', '..')

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: { adminUrl: string; template: string }
  }
}

function hashMigrations(): string {
  const h = createHash('sha256')
  const dir = path.join(root, 'prisma', 'migrations')
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'migration.sql')
    if (fs.existsSync(file)) h.update(name).update(fs.readFileSync(file))
  }
  h.update(JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'graphile-worker', 'package.json'), 'utf8')).version)
  return h.digest('hex').slice(0, 12)
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

async function ensureTemplate(adminUrl: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    // One builder at a time across concurrent test runs on the same server.
    await admin.query('select pg_advisory_lock(742031)')
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [template])
    if (rowCount) return
    const building = `${template}_building`
    await admin.query(`drop database if exists "${building}"`)
    await admin.query(`create database "${building}"`)
    await migrateDatabase(withDatabase(adminUrl, building))
    await admin.query(`alter database "${building}" rename to "${template}"`)
  } finally {
    await admin.query('select pg_advisory_unlock(742031)').catch(() => {})
    await admin.end()
  }
}

let embedded: EmbeddedPostgres | undefined
let embeddedDir: string | undefined

export async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    // A cluster of this run's own, removed at the end (runs may overlap).
    embeddedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-test-pg-'))
    embedded = await startEmbeddedPostgres({ dataDir: embeddedDir, database: 'postgres' })
    adminUrl = embedded.url
  }
  const template = `rmirror_tpl_${hashMigrations()}`
  await ensureTemplate(adminUrl, template)
  project.provide('testDatabase', { adminUrl, template })
}

export async function teardown() {
  await embedded?.stop()
  if (embeddedDir) fs.rmSync(embeddedDir, { recursive: true, force: true })
}
