// Where pg_trgm cannot be installed (a role without CREATE on its database, a PostgreSQL without the
// contrib package), the search migration still applies, with a warning, and search works without
// OCR-variant matching, saying so once in the log.
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { makeDb, type Db } from '../../server/db.ts'
import { searchLibrary } from '../../server/search/searchLibrary.ts'

const migrations = path.resolve(import.meta.dirname, '..', '..', 'prisma', 'migrations')
const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`
const role = `rmirror_test_role_${suffix}`
const password = randomBytes(12).toString('hex')
const database = `rmirror_test_notrgm_${suffix}`
const { adminUrl } = inject('testDatabase')

function urlFor(user: string | undefined, db: string): string {
  const u = new URL(adminUrl)
  if (user) {
    u.username = user
    u.password = password
  }
  u.pathname = `/${db}`
  return u.toString()
}

/** As Prisma's driver adapter applies a migration: statement by statement, split at semicolons. */
async function applyMigration(client: pg.Client, name: string): Promise<string[]> {
  const notices: string[] = []
  const onNotice = (n: { message?: string }) => notices.push(n.message ?? '')
  client.on('notice', onNotice)
  try {
    const sql = fs.readFileSync(path.join(migrations, name, 'migration.sql'), 'utf8')
    for (const statement of sql.split(';').map((s) => s.trim()).filter(Boolean)) await client.query(statement)
  } finally {
    client.off('notice', onNotice)
  }
  return notices
}

let admin: pg.Client
let db: Db
let migrationNotices: string[] = []
const logLines: string[] = []
const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) })

beforeAll(async () => {
  admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create role "${role}" login password '${password}'`)
  await admin.query(`create database "${database}" owner "${role}" template template0`)
  const owner = new pg.Client({ connectionString: urlFor(role, database) })
  await owner.connect()
  try {
    const names = fs.readdirSync(migrations).filter((n) => fs.existsSync(path.join(migrations, n, 'migration.sql'))).sort()
    const search = names.findIndex((n) => n.endsWith('_search'))
    for (const name of names.slice(0, search)) await applyMigration(owner, name)
    // From here on the owner may not create extensions (nor schemas) in its database.
    await admin.query(`revoke create on database "${database}" from "${role}", public`)
    for (const name of names.slice(search)) migrationNotices.push(...(await applyMigration(owner, name)))
  } finally {
    await owner.end()
  }
  db = makeDb(urlFor(role, database))
}, 120_000)

afterAll(async () => {
  await db?.$disconnect()
  await admin.query(`drop database if exists "${database}" with (force)`)
  await admin.query(`drop role if exists "${role}"`)
  await admin.end()
})

describe('search without pg_trgm', () => {
  it('applies the migration with a warning saying what is missing', async () => {
    expect(migrationNotices.join('\n')).toMatch(/search: pg_trgm or btree_gin is not available .*permission denied.*without OCR-variant matching/)
    const [state] = await db.$queryRaw<{ extensions: number; indexes: number; vectors: number }[]>`
      select (select count(*)::int from pg_extension where extname in ('pg_trgm', 'btree_gin')) as extensions,
        (select count(*)::int from pg_indexes where indexname = 'search_words_trgm_idx') as indexes,
        (select count(*)::int from pg_indexes where indexname like '%search_vector_idx') as vectors`
    expect(state).toEqual({ extensions: 0, indexes: 0, vectors: 3 })
  })

  it('finds exact words and says once in the log that OCR variants are not matched', async () => {
    const user = await db.user.create({ data: { email: 'no-trgm@example.com', passwordHash: 'x' } })
    const nb = await db.notebook.create({ data: { userId: user.id, uuid: 'nb', visibleName: 'Work', type: 'NOTEBOOK' } })
    const page = await db.page.create({ data: { userId: user.id, notebookId: nb.id, notebookUuid: 'nb', uuid: 'p', ocrText: 'Send the invoice to ACME', ocrStatus: 'completed' } })
    await db.notebookPage.create({ data: { notebookId: nb.id, pageId: page.id, pageNumber: 1 } })
    const search = (query: string) => searchLibrary(db, logger, { userId: user.id, query, offset: 0, limit: 10 })
    expect((await search('invoice')).map((h) => h.id)).toEqual([page.id])
    expect(await search('invoce')).toEqual([])
    expect(await search('invo')).toEqual([])
    const warnings = logLines.filter((l) => l.includes('pg_trgm'))
    expect(warnings).toHaveLength(1)
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, msg: expect.stringContaining('do not match OCR-garbled or partial words') })
  })
})
