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

export async function readMigrationState(db: Db): Promise<MigrationState> {
  const rows = await db.$queryRaw<{ applied: string[] | null; worker: boolean }[]>`
    select
      (select array_agg(migration_name::text) from _prisma_migrations
        where finished_at is not null and rolled_back_at is null) as applied,
      to_regclass('graphile_worker._private_jobs') is not null as worker`.catch((err: any) => {
    // 42P01: _prisma_migrations does not exist yet.
    if (String(err?.message ?? '').includes('_prisma_migrations')) return [{ applied: [], worker: false }]
    throw err
  })
  const applied = new Set(rows[0]?.applied ?? [])
  const missing = expectedMigrations.filter((m) => !applied.has(m))
  if (!rows[0]?.worker) missing.push('graphile_worker')
  return missing.length ? { migrated: false, missing } : { migrated: true }
}
