// Obsidian's per-notebook status: the agent reports the Markdown version it wrote; the notebook's
// record at target "obsidian" is success while that is the notebook's version, pending as soon as the
// notebook changes (and success again if it changes back), failed while the file is edited by hand,
// and goes once the agent reports a deleted notebook's file gone.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { reportAgentSync } from '../../server/sync/reportAgentSync.ts'
import { OBSIDIAN_TARGET } from '../../server/sync/markdownChanges.ts'
import { loadMarkdownVersions } from '../../server/markdown/loadMarkdownSources.ts'
import { EVENTS_CHANNEL, type AppEvent } from '../../server/events/appEvent.ts'
import { ValidationError } from '../../server/errors.ts'
import { notebookIdOf, setHandwrittenText, syncLibrary } from './markdownLibrary.ts'
import { graphql } from '../gql/index.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'

const ConnectObsidian = graphql(`
  mutation ConnectObsidian { connectIntegration(input: { target: OBSIDIAN }) { __typename ... on ValidationError { field message } } }
`)
const Report = graphql(`
  mutation ReportFromAgent($input: ReportAgentSyncInput!) {
    reportAgentSync(input: $input) {
      __typename
      ... on ReportAgentSyncPayload { removed records { status externalId notebookUuid } }
      ... on Error { code message }
      ... on ValidationError { field }
    }
  }
`)

const A = { uuid: 'r1000000-0000-4000-8000-000000000001', page: 'r1000000-1111-4000-8000-000000000001' }
const C = 'r1000000-0000-4000-8000-000000000003'

let app: TestApp
let user: TestUser
let other: TestUser
let a: number
let listener: pg.Client
const heard: AppEvent[] = []

beforeAll(async () => {
  app = await startTestApp()
  user = await createTestUser(app.database.db, 'obsidian@example.com', ['agent', 'read'])
  other = await createTestUser(app.database.db, 'someone@example.com', ['agent', 'read'])
  await syncLibrary(app, user, [{ uuid: A.uuid, visibleName: 'A', pageUuids: [A.page] }])
  await setHandwrittenText(app, user, A.uuid, A.page, 'original')
  a = await notebookIdOf(app, user, A.uuid)
  listener = new pg.Client({ connectionString: app.database.url })
  await listener.connect()
  listener.on('notification', (n) => heard.push(...(JSON.parse(n.payload ?? '[]') as AppEvent[])))
  await listener.query(`listen ${EVENTS_CHANNEL}`)
})
afterAll(async () => {
  await listener?.end()
  await app?.close()
})

const db = () => app.database.db
const versionOf = async (id: number) => (await loadMarkdownVersions(db(), user.id, [id])).get(id)!
const record = (id: number) => db().syncRecord.findFirst({ where: { userId: user.id, targetName: OBSIDIAN_TARGET, itemId: String(id) } })
const report = (written: { notebookId: number; version: string; location: string; conflictLocation?: string }[], removedUuids: string[] = []) =>
  reportAgentSync(db(), user.id, OBSIDIAN_TARGET, { written, removedUuids })

describe('Obsidian sync records', () => {
  it('do not exist for a user who never ran the agent: changes make none', async () => {
    await setHandwrittenText(app, user, A.uuid, A.page, 'original, before any report')
    await setHandwrittenText(app, user, A.uuid, A.page, 'original')
    expect(await db().syncRecord.count({ where: { targetName: OBSIDIAN_TARGET } })).toBe(0)
  })

  it('become success when the agent reports the current version, with where it wrote it', async () => {
    const { records } = await report([{ notebookId: a, version: await versionOf(a), location: 'reMarkable/A.md' }])
    expect(records).toMatchObject([{ status: 'success', externalId: 'reMarkable/A.md', notebookUuid: A.uuid, itemType: 'notebook_metadata', errorMessage: null }])
    expect(records[0].syncedAt).not.toBeNull()
  })

  it('turn pending when the notebook changes, and announce it; success again when it changes back', async () => {
    heard.length = 0
    await setHandwrittenText(app, user, A.uuid, A.page, 'edited on the tablet')
    const pending = await record(a)
    expect(pending?.status).toBe('pending')
    await new Promise((r) => setTimeout(r, 100))
    expect(heard).toContainEqual({ kind: 'sync_record', userId: user.id, id: pending!.id })
    expect(heard).toContainEqual({ kind: 'markdown', userId: user.id, id: a })
    await setHandwrittenText(app, user, A.uuid, A.page, 'original')
    expect((await record(a))?.status).toBe('success')
  })

  it('stay pending when the agent reports a version the notebook has moved past', async () => {
    const written = await versionOf(a)
    await setHandwrittenText(app, user, A.uuid, A.page, 'changed after the agent fetched it')
    expect((await report([{ notebookId: a, version: written, location: 'reMarkable/A.md' }])).records[0].status).toBe('pending')
    expect((await report([{ notebookId: a, version: await versionOf(a), location: 'reMarkable/A.md' }])).records[0].status).toBe('success')
  })

  it('are made pending for a notebook created after the user started using the agent', async () => {
    await syncLibrary(app, user, [{ uuid: C, visibleName: 'C', pageUuids: [] }])
    expect((await record(await notebookIdOf(app, user, C)))?.status).toBe('pending')
  })

  it('say so when the file was edited by hand (failed, with where the new version went), until the next change', async () => {
    const { records } = await report([{ notebookId: a, version: await versionOf(a), location: 'reMarkable/A.md', conflictLocation: 'reMarkable/A (rmirror).md' }])
    expect(records[0]).toMatchObject({ status: 'failed', errorMessage: 'Edited in the vault: reMarkable/A.md is kept; the new version is in reMarkable/A (rmirror).md' })
    await setHandwrittenText(app, user, A.uuid, A.page, 'another change')
    expect(await record(a)).toMatchObject({ status: 'pending', errorMessage: null })
  })

  it('of a deleted notebook wait as removed until the agent reports its file gone, then go', async () => {
    const c = await notebookIdOf(app, user, C)
    await report([{ notebookId: c, version: await versionOf(c), location: 'reMarkable/C.md' }])
    await syncLibrary(app, user, [{ uuid: C, visibleName: 'C', type: 'NOTEBOOK', deleted: true }])
    const waiting = await db().syncRecord.findFirstOrThrow({ where: { userId: user.id, targetName: OBSIDIAN_TARGET, notebookUuid: C } })
    expect(waiting.removedAt).not.toBeNull()
    expect(waiting.status).toBe('pending')
    // A live notebook's record is not dropped by a report that names it removed.
    expect((await report([], [C, A.uuid])).removed).toBe(1)
    expect(await db().syncRecord.count({ where: { userId: user.id, targetName: OBSIDIAN_TARGET, notebookUuid: C } })).toBe(0)
    expect(await record(a)).not.toBeNull()
  })

  it('are never made for another user’s notebook, and bad reports are refused whole', async () => {
    await syncLibrary(app, other, [{ uuid: 'r9000000-0000-4000-8000-000000000001', visibleName: 'Theirs', pageUuids: [] }])
    const theirs = await notebookIdOf(app, other, 'r9000000-0000-4000-8000-000000000001')
    expect((await report([{ notebookId: theirs, version: 'a'.repeat(64), location: 'x.md' }])).records).toEqual([])
    await expect(report([{ notebookId: a, version: 'not a version', location: 'x.md' }])).rejects.toBeInstanceOf(ValidationError)
    await expect(report([{ notebookId: a, version: 'a'.repeat(64), location: '' }])).rejects.toBeInstanceOf(ValidationError)
  })
})

describe('the reportAgentSync mutation', () => {
  it('is the only way in: OBSIDIAN cannot be connected like Notion', async () => {
    const session = (await createTestUser(app.database.db, 'session@example.com', ['read', 'write'])).session
    const result = await app.gql(ConnectObsidian, {}, session)
    expect(result.data?.connectIntegration).toMatchObject({ __typename: 'ValidationError', field: 'target' })
  })

  it('records the report for an agent token', async () => {
    const result = await app.gql(Report, { input: { target: 'OBSIDIAN', written: [{ notebookId: encodeGlobalID('Notebook', a), markdownVersion: await versionOf(a), location: 'reMarkable/A.md' }] } }, user.apiToken)
    expect(result.data?.reportAgentSync).toEqual({ __typename: 'ReportAgentSyncPayload', removed: 0, records: [{ status: 'success', externalId: 'reMarkable/A.md', notebookUuid: A.uuid }] })
  })

  it('refuses a target the worker syncs, an id that is not a notebook’s, and a token without the agent scope', async () => {
    const version = await versionOf(a)
    const notion = await app.gql(Report, { input: { target: 'NOTION', written: [] } }, user.apiToken)
    expect(notion.data?.reportAgentSync).toMatchObject({ __typename: 'ValidationError', field: 'target' })
    const badId = await app.gql(Report, { input: { target: 'OBSIDIAN', written: [{ notebookId: encodeGlobalID('Page', a), markdownVersion: version, location: 'x.md' }] } }, user.apiToken)
    expect(badId.data?.reportAgentSync).toMatchObject({ __typename: 'ValidationError', field: 'written.0.notebookId' })
    const reader = await createTestUser(app.database.db, 'reader@example.com', ['read'])
    const refused = await app.gql(Report, { input: { target: 'OBSIDIAN', written: [] } }, reader.apiToken)
    expect(refused.data?.reportAgentSync).toMatchObject({ __typename: 'NotAllowedError' })
  })
})
