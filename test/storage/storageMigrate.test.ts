// `npm run storage:migrate`: an operator who upgraded (files on one machine's disk) or changes
// FILE_STORAGE moves every page file to the new store without losing one, and learns which pages
// were already lost or damaged.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runStorageMigrate } from '../../scripts/storageMigrate.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { uploadPage } from '../../server/library/uploadPage.ts'
import { makeLocalFileStorage } from '../../server/storage/localFileStorage.ts'
import { makePostgresFileStorage } from '../../server/storage/postgresFileStorage.ts'
import { makeS3FileStorage } from '../../server/storage/s3FileStorage.ts'
import { readConfig } from '../../server/config.ts'
import type { FileStorage } from '../../server/storage/fileStorage.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { createTestUser } from '../helpers/users.ts'
import { startS3rver, type LocalS3 } from '../helpers/fileStorageBackends.ts'
import { makeRmFile, makeRootTextBlock } from '../rm/rmWriter.ts'

const NOTEBOOK = 'cccccccc-0000-4000-8000-000000000001'
const pageUuid = (i: number) => `cccccccc-1111-4000-8000-00000000000${i}`
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const LOST = 'f'.repeat(64)

let database: TestDatabase
let s3: LocalS3
let dataDir: string
let local: FileStorage
let postgres: FileStorage
let bucket: FileStorage
const hashes: string[] = []
let damaged: { sha256: string; bytes: Uint8Array }

beforeAll(async () => {
  database = await createTestDatabase()
  s3 = await startS3rver()
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-migrate-'))
  local = makeLocalFileStorage(path.join(dataDir, 'files'))
  postgres = makePostgresFileStorage(database.url)
  bucket = makeS3FileStorage(readConfig(s3.env).fileStorage.s3!)
  // What an earlier version left: five pages uploaded to the local disk…
  const user = await createTestUser(database.db, 'migrate@example.com')
  await syncNotebookMetadata(database.db, user.id, [{ uuid: NOTEBOOK, visibleName: 'Old notebook', type: 'NOTEBOOK', pageUuids: [1, 2, 3, 4, 5].map(pageUuid) }])
  for (const i of [1, 2, 3, 4, 5]) {
    const bytes = makeRmFile([makeRootTextBlock([{ id: [1, 10], left: [0, 0], right: [0, 0], text: `Page ${i} of the old notebook` }], [])])
    await uploadPage(database.db, local, user.id, { notebookUuid: NOTEBOOK, pageUuid: pageUuid(i), bytes }, 1024 * 1024)
    hashes.push(sha(bytes))
  }
  // …one of them damaged on disk since, and one file the library knows that was lost before.
  const file = path.join(dataDir, 'files', hashes[4].slice(0, 2), hashes[4].slice(2, 4), hashes[4])
  damaged = { sha256: hashes[4], bytes: fs.readFileSync(file) }
  fs.writeFileSync(file, 'not the bytes that were uploaded')
  await database.query(`insert into stored_files (sha256, size) values ($1, 10)`, [LOST])
})
afterAll(async () => {
  await local?.close()
  await postgres?.close()
  await bucket?.close()
  await database?.drop()
  await s3?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

async function migrate(...argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = []
  const { FILE_STORAGE: _, ...s3Settings } = s3.env
  const code = await runStorageMigrate(argv, (line) => void lines.push(line), { DATABASE_URL: database.url, RMIRROR_DATA_DIR: dataDir, ...s3Settings })
  return { code, output: lines.join('\n') }
}

const good = () => hashes.slice(0, 4)
const count = async (store: FileStorage, keys: string[]) => (await Promise.all(keys.map((k) => store.has(k)))).filter(Boolean).length

describe('npm run storage:migrate', () => {
  it('refuses unclear arguments', async () => {
    expect((await migrate()).code).toBe(2)
    expect((await migrate('--to', 'postgres', '--from', 'postgres')).output).toMatch(/--from and --to are both postgres/)
    expect((await migrate('--to', 'disk')).output).toMatch(/--to takes one of local, postgres, s3/)
  })

  it('moves the local files to PostgreSQL, naming lost and damaged ones; again, it skips what is there; --remove-source empties the folder', async () => {
    const dry = await migrate('--to', 'postgres', '--dry-run')
    expect(dry.output).toContain('6 files: 4 would be copied, 0 already in postgres, 1 missing, 1 corrupt')
    expect(await count(postgres, good())).toBe(0)

    const first = await migrate('--to', 'postgres')
    expect(first.code).toBe(1)
    expect(first.output).toContain('6 files: 4 copied, 0 already in postgres, 1 missing, 1 corrupt')
    expect(first.output).toContain(`missing: ${LOST} is in neither store`)
    expect(first.output).toContain(`corrupt: ${damaged.sha256} in local does not match its hash`)
    for (const key of good()) expect(sha((await postgres.get(key))!)).toBe(key)
    expect(await postgres.has(damaged.sha256)).toBe(false)
    expect(await count(local, good())).toBe(4)

    const second = await migrate('--to', 'postgres', '--remove-source')
    expect(second.output).toContain('6 files: 0 copied, 4 already in postgres, 4 removed from local, 1 missing, 1 corrupt')
    expect(await count(local, good())).toBe(0)
    expect(await local.has(damaged.sha256)).toBe(true)

    // The damaged file restored from a backup, the lost page's record gone: the folder empties and goes.
    fs.writeFileSync(path.join(dataDir, 'files', damaged.sha256.slice(0, 2), damaged.sha256.slice(2, 4), damaged.sha256), damaged.bytes)
    await database.query(`delete from stored_files where sha256 = $1`, [LOST])
    const last = await migrate('--to', 'postgres', '--remove-source')
    expect(last.code).toBe(0)
    expect(last.output).toContain('5 files: 1 copied, 4 already in postgres, 1 removed from local, 0 missing, 0 corrupt')
    expect(last.output).toContain('is empty and removed')
    expect(fs.existsSync(path.join(dataDir, 'files'))).toBe(false)
    for (const key of hashes) expect(sha((await postgres.get(key))!)).toBe(key)
  })

  it('moves them on from PostgreSQL to an S3 bucket', async () => {
    const { code, output } = await migrate('--from', 'postgres', '--to', 's3')
    expect(code).toBe(0)
    expect(output).toContain('5 files: 5 copied, 0 already in s3, 0 missing, 0 corrupt')
    for (const key of hashes) expect(sha((await bucket.get(key))!)).toBe(key)
  })
})
