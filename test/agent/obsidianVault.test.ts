// `agent obsidian VAULT` against a real server: a temporary vault goes through create, incremental
// runs, update, rename, move, a hand-edit conflict and deletes; file names that collide; and the
// safety rules (a token without the read scope, an empty listing, unsafe paths never touch files).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { graphql } from '../gql/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { openVault, type VaultOptions, type VaultSummary } from '../../agent/obsidian/vaultSync.ts'
import { runAgentCli } from '../../agent/runAgentCli.ts'
import { writeAgentConfig } from '../../agent/config.ts'
import { makeTypedPage, setHandwrittenText, STYLE, syncLibrary, uploadAndExtract, type LibraryItem } from '../markdown/markdownLibrary.ts'

const NotebookMarkdown = graphql(`query VaultNotebookMarkdown($id: ID!) { node(id: $id) { ... on Notebook { markdown } } }`)

const WORK = 'f1000000-0000-4000-8000-000000000001'
const A = { uuid: 'a1000000-0000-4000-8000-000000000001', pages: ['a1000000-1111-4000-8000-000000000001', 'a1000000-1111-4000-8000-000000000002'] }
const B = { uuid: 'b1000000-0000-4000-8000-000000000001', pages: ['b1000000-1111-4000-8000-000000000001'] }

let app: TestApp
let user: TestUser
let readOnlyAgent: TestUser
let root: string
let vault: string
let stateDir: string

beforeAll(async () => {
  app = await startTestApp()
  user = await createTestUser(app.database.db, 'vault@example.com', ['agent', 'read'])
  readOnlyAgent = await createTestUser(app.database.db, 'agent-only@example.com', ['agent'])
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-vault-'))
  vault = path.join(root, 'vault')
  stateDir = path.join(root, 'state')
  fs.mkdirSync(vault)
})
afterAll(async () => {
  await app?.close()
  fs.rmSync(root, { recursive: true, force: true })
})
afterEach(() => {
  vi.restoreAllMocks()
})

const file = (relative: string) => path.join(vault, ...relative.split('/'))
const read = (relative: string) => fs.readFileSync(file(relative), 'utf8')
const exists = (relative: string) => fs.existsSync(file(relative))

async function markdownOf(uuid: string): Promise<string> {
  const nb = await app.database.db.notebook.findFirstOrThrow({ where: { userId: user.id, uuid } })
  const result = await app.gql(NotebookMarkdown, { id: encodeGlobalID('Notebook', nb.id) }, user.session)
  return (result.data?.node as { markdown: string }).markdown
}

/** One run of `agent obsidian`, counting the GraphQL operations it sent. */
async function runOnce(options: Partial<VaultOptions> = {}, token = user.apiToken): Promise<{ summary: VaultSummary; logs: string[]; operations: { name: string; variables: any }[] }> {
  const logs: string[] = []
  const operations: { name: string; variables: any }[] = []
  const realFetch = globalThis.fetch
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    if (typeof init?.body === 'string') {
      const body = JSON.parse(init.body)
      operations.push({ name: body.operationName, variables: body.variables })
    }
    return realFetch(input, init)
  })
  const opened = await openVault({ vault, url: app.url, token, stateDir, log: (line) => logs.push(line), retry: { maxAttempts: 1 }, ...options })
  if (!opened.ok) throw new Error(opened.error.message)
  try {
    return { summary: await opened.session.syncAll(), logs, operations }
  } finally {
    await opened.session.close()
    vi.restoreAllMocks()
  }
}

/** The notebooks' sync records at target obsidian, by uuid: what the agent reported. */
async function obsidianRecords(): Promise<Record<string, { status: string; externalId: string | null; errorMessage: string | null }>> {
  const rows = await app.database.db.syncRecord.findMany({ where: { userId: user.id, targetName: 'obsidian' } })
  return Object.fromEntries(rows.map((r) => [r.notebookUuid!, { status: r.status, externalId: r.externalId, errorMessage: r.errorMessage }]))
}

const fetchedIds = (ops: { name: string; variables: any }[]) => ops.filter((o) => o.name === 'NotebookMarkdown').flatMap((o) => o.variables.ids)

async function setLibrary(items: LibraryItem[]) {
  await syncLibrary(app, user, items)
}

const library = (extra: { aName?: string; bParent?: string | null } = {}): LibraryItem[] => [
  { uuid: WORK, visibleName: 'Work', type: 'FOLDER' },
  { uuid: A.uuid, visibleName: extra.aName ?? 'Plans', parentUuid: WORK, pageUuids: A.pages },
  { uuid: B.uuid, visibleName: 'Journal', parentUuid: extra.bParent ?? null, pageUuids: B.pages },
]

describe('agent obsidian: a vault through the life of a library', () => {
  it('creates one file per notebook under reMarkable/, mirroring the folders, each the notebook’s Markdown', async () => {
    await setLibrary(library())
    await uploadAndExtract(app, user, A.uuid, A.pages[0], makeTypedPage([[STYLE.heading, 'Plans'], [STYLE.checkbox, 'Book flights']]))
    await setHandwrittenText(app, user, B.uuid, B.pages[0], 'Dear diary')
    const { summary, operations } = await runOnce()
    expect(summary).toMatchObject({ written: 2, unchanged: 0, conflicts: 0, failed: [] })
    expect(read('reMarkable/Work/Plans.md')).toBe(await markdownOf(A.uuid))
    expect(read('reMarkable/Journal.md')).toBe(await markdownOf(B.uuid))
    expect(read('reMarkable/Work/Plans.md')).toContain('- [ ] Book flights')
    expect(fetchedIds(operations)).toHaveLength(2)
    // The vault shows as target OBSIDIAN, each notebook with its file.
    expect(await obsidianRecords()).toEqual({
      [A.uuid]: { status: 'success', externalId: 'reMarkable/Work/Plans.md', errorMessage: null },
      [B.uuid]: { status: 'success', externalId: 'reMarkable/Journal.md', errorMessage: null },
    })
    // Nothing but the notebooks' files in the vault: no temporary files left, no state.
    expect(fs.readdirSync(vault, { recursive: true }).sort()).toEqual(['reMarkable', 'reMarkable/Journal.md', 'reMarkable/Work', 'reMarkable/Work/Plans.md'].map((p) => p.split('/').join(path.sep)))
  })

  it('fetches nothing on a run with no change: the listing tells versions (and nothing new is reported)', async () => {
    const { summary, operations } = await runOnce()
    expect(summary).toMatchObject({ written: 0, unchanged: 2 })
    expect(operations.map((o) => o.name)).toEqual(['MarkdownLibrary'])
  })

  it('fetches and rewrites only the notebook that changed; its status is pending until then', async () => {
    await setHandwrittenText(app, user, A.uuid, A.pages[1], 'A second page, added later')
    expect((await obsidianRecords())[A.uuid].status).toBe('pending')
    const { summary, operations } = await runOnce()
    expect((await obsidianRecords())[A.uuid].status).toBe('success')
    expect(operations.filter((o) => o.name === 'ReportAgentSync').map((o) => o.variables.input.written.length)).toEqual([1])
    expect(summary).toMatchObject({ written: 1, unchanged: 1 })
    expect(fetchedIds(operations)).toEqual([encodeGlobalID('Notebook', (await app.database.db.notebook.findFirstOrThrow({ where: { uuid: A.uuid } })).id)])
    expect(read('reMarkable/Work/Plans.md')).toContain('## Page 2\n\nA second page, added later\n')
  })

  it('moves the file when the notebook is renamed, then writes its new title', async () => {
    await setLibrary(library({ aName: 'Plans 2027' }))
    const { summary } = await runOnce()
    expect(summary).toMatchObject({ moved: 1, written: 1 })
    expect(exists('reMarkable/Work/Plans.md')).toBe(false)
    expect(read('reMarkable/Work/Plans 2027.md')).toBe(await markdownOf(A.uuid))
  })

  it('moves the file when the notebook moves to another folder, removing the folder it left if empty', async () => {
    await setLibrary(library({ aName: 'Plans 2027', bParent: WORK }))
    const { summary } = await runOnce()
    expect(summary.moved).toBe(1)
    expect(exists('reMarkable/Journal.md')).toBe(false)
    expect(read('reMarkable/Work/Journal.md')).toBe(await markdownOf(B.uuid))
  })

  it('never overwrites a file edited by hand: the new version goes beside it, and the run says so', async () => {
    const edited = `${read('reMarkable/Work/Journal.md')}\nMy own note, written in Obsidian.\n`
    fs.writeFileSync(file('reMarkable/Work/Journal.md'), edited)
    await setHandwrittenText(app, user, B.uuid, B.pages[0], 'Dear diary, a new entry')
    const { summary, logs } = await runOnce()
    expect(summary).toMatchObject({ conflicts: 1, written: 0 })
    expect(read('reMarkable/Work/Journal.md')).toBe(edited)
    expect(read('reMarkable/Work/Journal (rmirror).md')).toBe(await markdownOf(B.uuid))
    expect(logs).toContain('reMarkable/Work/Journal.md was edited in the vault: it is kept, and the new version is in reMarkable/Work/Journal (rmirror).md')
    expect((await obsidianRecords())[B.uuid]).toEqual({
      status: 'failed',
      externalId: 'reMarkable/Work/Journal.md',
      errorMessage: 'Edited in the vault: reMarkable/Work/Journal.md is kept; the new version is in reMarkable/Work/Journal (rmirror).md',
    })
    // The next change goes to the same copy; the user's file is still left alone.
    await setHandwrittenText(app, user, B.uuid, B.pages[0], 'Dear diary, another entry')
    expect((await runOnce()).summary.conflicts).toBe(1)
    expect(read('reMarkable/Work/Journal.md')).toBe(edited)
    expect(read('reMarkable/Work/Journal (rmirror).md')).toBe(await markdownOf(B.uuid))
  })

  it('moves a hand-edited file on rename, edits and all, with its copy', async () => {
    await setLibrary([...library({ aName: 'Plans 2027', bParent: WORK }).slice(0, 2), { uuid: B.uuid, visibleName: 'Diary', parentUuid: WORK, pageUuids: B.pages }])
    const { summary } = await runOnce()
    expect(summary).toMatchObject({ moved: 1, conflicts: 1 })
    expect(read('reMarkable/Work/Diary.md')).toContain('My own note, written in Obsidian.')
    expect(read('reMarkable/Work/Diary (rmirror).md')).toBe(await markdownOf(B.uuid))
    expect(exists('reMarkable/Work/Journal.md') || exists('reMarkable/Work/Journal (rmirror).md')).toBe(false)
  })

  it('ends the conflict when the user deletes their file: the fresh version takes its place', async () => {
    fs.unlinkSync(file('reMarkable/Work/Diary.md'))
    const { summary } = await runOnce()
    expect(summary).toMatchObject({ written: 1, conflicts: 0 })
    expect(read('reMarkable/Work/Diary.md')).toBe(await markdownOf(B.uuid))
    expect(exists('reMarkable/Work/Diary (rmirror).md')).toBe(false)
    expect((await obsidianRecords())[B.uuid]).toEqual({ status: 'success', externalId: 'reMarkable/Work/Diary.md', errorMessage: null })
  })

  it('gives a second notebook with the same name, or a name a file of the user has, the start of its uuid', async () => {
    fs.writeFileSync(file('reMarkable/Inbox.md'), 'my own file\n')
    await setLibrary([
      ...library({ aName: 'Plans 2027', bParent: WORK }).slice(0, 2),
      { uuid: B.uuid, visibleName: 'Diary', parentUuid: WORK, pageUuids: B.pages },
      { uuid: 'c1000000-0000-4000-8000-000000000001', visibleName: 'Inbox', pageUuids: [] },
      { uuid: 'd1000000-0000-4000-8000-000000000001', visibleName: 'diary', parentUuid: WORK, pageUuids: [] },
    ])
    const { summary } = await runOnce()
    expect(summary.written).toBe(2)
    expect(read('reMarkable/Inbox.md')).toBe('my own file\n')
    expect(read('reMarkable/Inbox (c1000000).md')).toContain('title: Inbox')
    expect(read('reMarkable/Work/diary (d1000000).md')).toContain('title: diary')
  })

  it('removes a deleted notebook’s file, but keeps one edited by hand', async () => {
    const edited = `${read('reMarkable/Work/diary (d1000000).md')}\nkeep me\n`
    fs.writeFileSync(file('reMarkable/Work/diary (d1000000).md'), edited)
    for (const uuid of [A.uuid, 'd1000000-0000-4000-8000-000000000001']) {
      const res = await app.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.apiToken}` },
        body: JSON.stringify({ query: 'mutation($input: DeleteNotebookInput!) { deleteNotebook(input: $input) { __typename } }', variables: { input: { uuid } } }),
      })
      expect(res.status).toBe(200)
    }
    const { summary, logs } = await runOnce()
    expect(summary).toMatchObject({ removed: 1, kept: 1 })
    expect(exists('reMarkable/Work/Plans 2027.md')).toBe(false)
    expect(read('reMarkable/Work/diary (d1000000).md')).toBe(edited)
    // Reported gone: the deleted notebooks' records are dropped.
    const records = await obsidianRecords()
    expect(records[A.uuid]).toBeUndefined()
    expect(records['d1000000-0000-4000-8000-000000000001']).toBeUndefined()
    expect(logs.some((l) => l.includes('diary (d1000000).md') && l.includes('edited in the vault'))).toBe(true)
  })

  it('moves deleted notebooks’ files to the archive folder when asked', async () => {
    const archiveVault = { folder: 'Notes/rM', archive: 'Archive' }
    await runOnce(archiveVault)
    expect(read('Notes/rM/Inbox.md')).toBe(await markdownOf('c1000000-0000-4000-8000-000000000001'))
    await setLibrary([{ uuid: 'c1000000-0000-4000-8000-000000000001', visibleName: 'Inbox', type: 'NOTEBOOK', deleted: true }])
    const { summary } = await runOnce(archiveVault)
    expect(summary.archived).toBe(1)
    expect(exists('Notes/rM/Inbox.md')).toBe(false)
    expect(read('Archive/Inbox.md')).toContain('title: Inbox')
  })
})

describe('agent obsidian: what it refuses', () => {
  it('stops, touching no file, with a token that may not read', async () => {
    const before = fs.readdirSync(vault, { recursive: true }).sort()
    const { summary } = await runOnce({ folder: 'Other' }, readOnlyAgent.apiToken)
    expect(summary.aborted).toMatchObject({ code: 'NOT_ALLOWED' })
    expect(fs.readdirSync(vault, { recursive: true }).sort()).toEqual(before)
  })

  it('leaves the vault alone when the server suddenly lists no notebooks', async () => {
    const lonely = await createTestUser(app.database.db, 'lonely@example.com', ['agent', 'read'])
    await syncLibrary(app, lonely, [{ uuid: 'e1000000-0000-4000-8000-000000000001', visibleName: 'Only', pageUuids: [] }])
    const options = { folder: 'Lonely' }
    await runOnce(options, lonely.apiToken)
    expect(exists('Lonely/Only.md')).toBe(true)
    await app.database.db.notebook.deleteMany({ where: { userId: lonely.id } })
    const { summary, logs } = await runOnce(options, lonely.apiToken)
    expect(summary.removed).toBe(0)
    expect(exists('Lonely/Only.md')).toBe(true)
    expect(logs).toContain('the server lists no notebooks: the 1 files in the vault are left alone')
  })

  it('refuses a vault that does not exist, and an archive inside the notebooks’ folder', async () => {
    const missing = await openVault({ vault: path.join(root, 'nope'), url: app.url, token: user.apiToken, stateDir })
    expect(missing).toMatchObject({ ok: false, error: { code: 'VAULT_NOT_FOUND' } })
    const inside = await openVault({ vault, folder: 'rM', archive: 'rM/old', url: app.url, token: user.apiToken, stateDir })
    expect(inside).toMatchObject({ ok: false, error: { code: 'BAD_ARCHIVE' } })
    const escaping = await openVault({ vault, folder: '../outside', url: app.url, token: user.apiToken, stateDir })
    expect(escaping).toMatchObject({ ok: false, error: { code: 'BAD_FOLDER' } })
  })
})

describe('npm run agent -- obsidian VAULT', () => {
  it('writes the vault once and prints what it did', async () => {
    const configDir = path.join(root, 'config')
    await writeAgentConfig(configDir, { url: app.url, token: user.apiToken })
    let stdout = ''
    let stderr = ''
    const code = await runAgentCli(['obsidian', vault, '--folder', 'FromCli'], {
      stdout: { write: (text: string) => (stdout += text), isTTY: false },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
      env: { RMIRROR_AGENT_CONFIG_DIR: configDir, RMIRROR_AGENT_STATE_DIR: stateDir },
      readStdin: async () => '',
      untilInterrupted: new Promise(() => {}),
    })
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout).toMatch(/^done: FromCli\/: 1 written, 0 unchanged in \d+\.\d s\n$/) // Diary: the other notebooks were deleted above
    expect(read('FromCli/Work/Diary.md')).toBe(await markdownOf(B.uuid))
  })
})
