// Whether the database has every migration this code expects: the app's (Prisma) and the job queue's.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Db } from './db.ts'

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'prisma', 'migrations')

/** The migration folder names shipped with this code (read once). */
export const expectedMigrations: readonly string[] = fs
  .readdirSync(migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

export type MigrationState = { migrated: true } | { migrated: false; missing: string[] }

const MIGRATION_STATE_SQL = `
    select
      (select array_agg(migration_name::text) from _prisma_migrations
        where finished_at is not null and rolled_back_at is null) as applied,
      to_regclass('graphile_worker._private_jobs') is not null as worker`

type StateRow = { applied: string[] | null; worker: boolean }

export async function readMigrationState(db: Db): Promise<MigrationState> {
  return readMigrationStateWith((sql) => db.$queryRawUnsafe<StateRow[]>(sql))
}

/** readMigrationState over any connection (/healthz uses one of its own). */
export async function readMigrationStateWith(query: (sql: string) => Promise<StateRow[]>): Promise<MigrationState> {
  const rows = await query(MIGRATION_STATE_SQL).catch((err: any) => {
    // 42P01: _prisma_migrations does not exist yet.
    if (String(err?.message ?? '').includes('_prisma_migrations')) return [{ applied: [], worker: false }]
    throw err
  })
  const applied = new Set(rows[0]?.applied ?? [])
  const missing = expectedMigrations.filter((m) => !applied.has(m))
  if (!rows[0]?.worker) missing.push('graphile_worker')
  return missing.length ? { migrated: false, missing } : { migrated: true }
}
