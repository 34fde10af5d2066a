import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { fernetFixturesDir, fixturesSkipNote, hasFernetFixtures, readFernetFixture, type RmirrorConfigs } from '../crypto/fixtures.ts'
import { makeConfigCipher } from '../../server/crypto/configCipher.ts'
import { generateMasterKey, MasterKey } from '../../server/crypto/keys.ts'
import { maskSecret } from '../../server/crypto/mask.ts'
import { rotateIntegrationKeys } from '../../server/crypto/rotateIntegrationKeys.ts'
import { importRmirrorConfigs } from '../../server/notion/connection/importRmirrorConfigs.ts'
import { runKeysRotate } from '../../scripts/keysRotate.ts'
import { runKeysImportRmirror } from '../../scripts/keysImportRmirror.ts'

// Key rotation and the rmirror-cloud import, on a real database: nothing lost, nothing left under an
// old key, nothing in plain text.

const repoRoot = path.resolve(import.meta.dirname, '..', '..')
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

/** Users with a Notion config each, encrypted under `cipher`; returns what each should open to. */
async function seedConfigs(prefix: string, count: number, encryptWith: ReturnType<typeof makeConfigCipher>) {
  const expected = new Map<number, Record<string, unknown>>()
  for (let i = 0; i < count; i++) {
    const user = await database.db.user.create({ data: { email: `${prefix}${i}@example.com`, passwordHash: 'x' } })
    const config = { token: `ntn_${prefix}_secret_${i}_${'x'.repeat(20)}`, databaseId: `db-${i}`, dataSourceId: null }
    await database.db.integrationConfig.create({ data: { userId: user.id, targetName: 'notion', configEncrypted: encryptWith.encrypt(user.id, config) } })
    expected.set(user.id, config)
  }
  return expected
}

async function readConfigs(userIds: Iterable<number>) {
  const ids = [...userIds]
  const rows = await database.db.integrationConfig.findMany({ where: { userId: { in: ids } }, orderBy: { userId: 'asc' } })
  return rows
}

describe('keys:rotate', () => {
  it('re-encrypts every config under the new first key, resumably after an interruption, losing none', async () => {
    const oldKey = generateMasterKey()
    const newKey = generateMasterKey()
    const expected = await seedConfigs('rot', 7, makeConfigCipher(oldKey))
    // One config under a key nobody has any more: reported, left as it is.
    const orphan = await database.db.user.create({ data: { email: 'orphan@example.com', passwordHash: 'x' } })
    const lostValue = makeConfigCipher(generateMasterKey()).encrypt(orphan.id, { token: 'ntn_lost' })
    await database.db.integrationConfig.create({ data: { userId: orphan.id, targetName: 'notion', configEncrypted: lostValue } })

    const rotating = makeConfigCipher([newKey, oldKey])
    const onlyNew = makeConfigCipher(newKey)
    const onlyOld = makeConfigCipher(oldKey)

    // Interrupted after three rewrites.
    const first = await rotateIntegrationKeys(database.db, rotating, { limit: 3, batchSize: 2 })
    expect(first).toMatchObject({ rotated: 3, stoppedEarly: true })
    let rows = await readConfigs(expected.keys())
    expect(rows.filter((r) => onlyNew.decrypt(r.userId, r.configEncrypted).ok)).toHaveLength(3)
    expect(rows.filter((r) => onlyOld.decrypt(r.userId, r.configEncrypted).ok)).toHaveLength(4)
    // Mid-way every config still opens under the key list, to what it held.
    for (const r of rows) expect(rotating.decrypt(r.userId, r.configEncrypted)).toMatchObject({ ok: true, config: expected.get(r.userId) })

    // Resumed: the rest, and the three already done are left alone.
    const second = await rotateIntegrationKeys(database.db, rotating, { batchSize: 2 })
    expect(second.rotated).toBe(4)
    expect(second.current).toBeGreaterThanOrEqual(3)
    expect(second.unreadable).toEqual([expect.objectContaining({ userId: orphan.id, targetName: 'notion' })])
    rows = await readConfigs(expected.keys())
    expect(rows).toHaveLength(7)
    for (const r of rows) expect(onlyNew.decrypt(r.userId, r.configEncrypted)).toMatchObject({ ok: true, keyIndex: 0, config: expected.get(r.userId) })
    const untouched = await database.db.integrationConfig.findFirstOrThrow({ where: { userId: orphan.id } })
    expect(untouched.configEncrypted).toBe(lostValue)

    // A third run has nothing left to do.
    const third = await rotateIntegrationKeys(database.db, rotating)
    expect(third.rotated).toBe(0)
    await database.db.integrationConfig.deleteMany({ where: { userId: orphan.id } })
  })

  it('npm run keys:rotate survives being killed mid-way: run again, every config opens under the new key only', async () => {
    await database.db.integrationConfig.deleteMany({})
    const oldKey = generateMasterKey()
    const newKey = generateMasterKey()
    const expected = await seedConfigs('kill', 250, makeConfigCipher(oldKey))
    const env = { ...process.env, DATABASE_URL: database.url, INTEGRATION_MASTER_KEY: `${newKey},${oldKey}`, LOG_LEVEL: 'silent', NODE_ENV: 'test' }

    // Killed right after its first batch reports progress.
    // One process (node --import tsx), so the kill reaches the one doing the work.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'keysRotate.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('scanned')) {
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.once('exit', () => resolve())
    })
    await exited
    const rotating = makeConfigCipher([newKey, oldKey])
    let rows = await readConfigs(expected.keys())
    expect(rows).toHaveLength(250)
    for (const r of rows) expect(rotating.decrypt(r.userId, r.configEncrypted)).toMatchObject({ ok: true, config: expected.get(r.userId) })
    const doneBeforeKill = rows.filter((r) => rotating.decrypt(r.userId, r.configEncrypted).ok && !makeConfigCipher(oldKey).decrypt(r.userId, r.configEncrypted).ok).length
    // How far it got depends on timing (usually one batch of 100); the invariants above do not.
    console.info(`keys:rotate killed after ${doneBeforeKill} of 250 configs`)

    const lines: string[] = []
    const code = await runKeysRotate([], (l) => lines.push(l), env)
    expect(code).toBe(0)
    expect(lines.join('\n')).toMatch(/250 configs: \d+ re-encrypted/)
    expect(lines.join('\n')).toContain('the other keys may now be removed')
    rows = await readConfigs(expected.keys())
    const onlyNew = makeConfigCipher(newKey)
    for (const r of rows) expect(onlyNew.decrypt(r.userId, r.configEncrypted)).toMatchObject({ ok: true, config: expected.get(r.userId) })
    expect(lines.join('\n')).not.toContain('ntn_kill')
  })
})

describe(`keys:import-rmirror${fixturesSkipNote}`, () => {
  it.skipIf(!hasFernetFixtures)('re-encrypts rmirror-cloud configs (Fernet and legacy JSON) under our keys, mapping users by email', async () => {
    const fixture = readFernetFixture<RmirrorConfigs>('rmirror-cloud-configs.json')
    await database.db.integrationConfig.deleteMany({})
    // Our ids differ from theirs: a user or two first.
    await database.db.user.create({ data: { email: 'first@example.com', passwordHash: 'x' } })
    const ours = new Map<string, number>()
    for (const u of [...fixture.users].reverse()) ours.set(u.email, (await database.db.user.create({ data: { email: u.email, passwordHash: 'x' } })).id)
    const cipher = makeConfigCipher(generateMasterKey())
    const theirKey = MasterKey.fromText(fixture.master_key)!
    const entries = [...fixture.users, { ...fixture.users[0], email: 'stranger@example.com' }]

    const report = await importRmirrorConfigs(database.db, cipher, theirKey, entries)
    expect(report.imported).toBe(3)
    expect(report.entries).toEqual([
      { email: 'ana@example.com', outcome: 'imported', kind: 'fernet' },
      { email: 'ben@example.org', outcome: 'imported', kind: 'fernet' },
      { email: 'cleo@example.net', outcome: 'imported', kind: 'legacy_plain_json' },
      { email: 'stranger@example.com', outcome: 'no_such_user', kind: 'fernet' },
    ])
    for (const u of fixture.users) {
      const userId = ours.get(u.email)!
      const row = await database.db.integrationConfig.findFirstOrThrow({ where: { userId, targetName: 'notion' } })
      const token = u.config.access_token as string
      expect(row.configEncrypted).not.toContain(token)
      expect(row.credentialHint).toBe(maskSecret(token))
      const opened = cipher.decrypt(userId, row.configEncrypted)
      const hex = (u.config.database_id as string).toLowerCase()
      const dashed = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
      expect(opened).toMatchObject({ ok: true, config: { token, databaseId: dashed, dataSourceId: null } })
      if (u.config.workspace_name) expect(opened.ok && opened.config.workspace_name).toBe(u.config.workspace_name)
      // Their user id's key is not ours: it does not open under our key for their id (unless equal).
      if (u.user_id !== userId) expect(cipher.decrypt(u.user_id, row.configEncrypted).ok).toBe(false)
    }
    // No token in plain text anywhere in the table.
    const dump = JSON.stringify((await database.query('select * from integration_configs')).rows)
    for (const u of fixture.users) expect(dump).not.toContain(u.config.access_token as string)

    // Again: what is connected is kept, unless asked to overwrite.
    const again = await importRmirrorConfigs(database.db, cipher, theirKey, fixture.users)
    expect(again.entries.map((e) => e.outcome)).toEqual(['already_connected', 'already_connected', 'already_connected'])
    const overwrite = await importRmirrorConfigs(database.db, cipher, theirKey, fixture.users, { overwrite: true })
    expect(overwrite.imported).toBe(3)
    // The wrong master key opens none of the Fernet values (legacy JSON needs none).
    await database.db.integrationConfig.deleteMany({})
    const wrong = await importRmirrorConfigs(database.db, cipher, MasterKey.fromText(generateMasterKey())!, fixture.users)
    expect(wrong.entries.map((e) => e.outcome)).toEqual(['undecryptable', 'undecryptable', 'imported'])
  })

  it.skipIf(!hasFernetFixtures)('npm run keys:import-rmirror reads the export file and prints outcomes, never a token', async () => {
    await database.db.integrationConfig.deleteMany({})
    const fixture = readFernetFixture<RmirrorConfigs>('rmirror-cloud-configs.json')
    const ourKey = generateMasterKey()
    const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: database.url, INTEGRATION_MASTER_KEY: ourKey, NODE_ENV: 'test', LOG_LEVEL: 'silent' }
    delete env.RMIRROR_INTEGRATION_MASTER_KEY // the key comes from the export file
    const lines: string[] = []
    const code = await runKeysImportRmirror([path.join(fernetFixturesDir, 'rmirror-cloud-configs.json')], (l) => lines.push(l), env)
    expect(code).toBe(0)
    const output = lines.join('\n')
    expect(output).toContain('ana@example.com: imported')
    expect(output).toContain('cleo@example.net: imported (was plain JSON)')
    expect(output).toMatch(/3 of 3 configs imported/)
    for (const u of fixture.users) expect(output).not.toContain(u.config.access_token as string)
    const cipher = makeConfigCipher(ourKey)
    const rows = await database.db.integrationConfig.findMany({ include: { user: true } })
    expect(rows).toHaveLength(3)
    for (const r of rows) expect(cipher.decrypt(r.userId, r.configEncrypted).ok).toBe(true)
    expect(await runKeysImportRmirror([], (l) => lines.push(l), env)).toBe(2)
  })
})
