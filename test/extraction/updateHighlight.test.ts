// updateHighlight: a correction is stored, the highlight's fingerprint recomputed and its sync record
// queued in one transaction; the next Notion sync shows the corrected text in the highlight's callout.
import { createHash } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import { startSyncHarness, flattenTree, type SyncHarness } from '../sync/syncHarness.ts'
import { createTestUser } from '../helpers/users.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { fingerprintHighlight } from '../../server/text/fingerprints.ts'
import { makeSyncJobKey } from '../../server/sync/queueSync.ts'
import { hashToken, makeToken } from '../../server/auth/tokens.ts'
import { EVENTS_CHANNEL, type AppEvent } from '../../server/events/appEvent.ts'

const UpdateHighlight = graphql(`
  mutation UpdateHighlight($input: UpdateHighlightInput!) {
    updateHighlight(input: $input) {
      __typename
      ... on Highlight { id originalText correctedText text pageNumber syncRecords { target status } }
      ... on Error { code message }
      ... on ValidationError { field }
    }
  }
`)

const NB = 'nb-highlights'
const ORIGINAL = 'Teh quick brown fox jumps ovr the lazy dog'
const CORRECTED = 'The quick brown fox jumps over the lazy dog'

let h: SyncHarness
let notebookId: number
let highlightId: number
let highlightGid: string
let otherGid: string

const db = () => h.app.database.db
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** A highlight as extraction writes it: an empty fingerprint, for the reconciliation to compute and queue. */
async function createHighlight(userId: number, nbId: number, nbUuid: string, pageUuid: string, text: string) {
  const page = await db().page.findFirstOrThrow({ where: { notebookId: nbId, uuid: pageUuid } })
  return db().highlight.create({
    data: { userId, notebookId: nbId, notebookUuid: nbUuid, pageId: page.id, originalText: text, originalTextHash: sha256(text), sourceFile: `${nbUuid}/${pageUuid}`, color: 'yellow', contentHash: '' },
  })
}

const record = () => db().syncRecord.findFirstOrThrow({ where: { userId: h.user.id, itemType: 'highlight', itemId: String(highlightId) } })
const expectedHash = (correctedText: string | null) => fingerprintHighlight({ originalText: ORIGINAL, correctedText, sourceFile: `${NB}/p1`, pageNumber: 1 })

async function syncJobKeys(): Promise<string[]> {
  const r = await h.app.database.query(`select j.key from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'sync_notebook'`)
  return r.rows.map((x) => x.key)
}

/** Syncs the notebook, then forgets its queued jobs (no worker runs here), so a test sees only new ones. */
async function syncNow() {
  expect(await h.sync(notebookId)).toMatchObject({ kind: 'done', failed: 0 })
  await h.app.database.query(`delete from graphile_worker._private_jobs`)
}

async function callouts(): Promise<string[]> {
  return flattenTree(h.notion.pageTree(await h.notebookPageId(notebookId))).filter((line) => line.startsWith('callout:'))
}

/** As the harness user's dashboard session, or as `token` (null: anonymous). */
const update = (input: { id: string; correctedText?: string | null }, token: string | null = h.user.session) => h.app.gql(UpdateHighlight, { input }, token ?? undefined)

beforeAll(async () => {
  h = await startSyncHarness()
  notebookId = await h.setNotebook(NB, ['p1', 'p2'], 'Highlights')
  const hl = await createHighlight(h.user.id, notebookId, NB, 'p1', ORIGINAL)
  highlightId = hl.id
  highlightGid = encodeGlobalID('Highlight', hl.id)
  await h.setTexts(NB, { p1: 'Reading notes', p2: 'Second page' })
  await syncNow()

  // Another user's highlight, to try with the first user's session.
  const other = await createTestUser(db(), 'other@example.com', ['agent', 'read', 'write'])
  const nb = await db().notebook.create({ data: { userId: other.id, uuid: 'nb-other', visibleName: 'Other', type: 'NOTEBOOK' } })
  await db().page.create({ data: { userId: other.id, notebookId: nb.id, notebookUuid: nb.uuid, uuid: 'p-other' } })
  otherGid = encodeGlobalID('Highlight', (await createHighlight(other.id, nb.id, nb.uuid, 'p-other', 'Other text')).id)
})
afterAll(async () => {
  await h?.close()
})

describe('updateHighlight', () => {
  it('starts from the original text in Notion', async () => {
    expect(await callouts()).toEqual([`callout: ${ORIGINAL}\n— highlighted on page 1`])
    expect(await record()).toMatchObject({ status: 'success', contentHash: expectedHash(null) })
  })

  it('stores the correction, queues the highlight with its new fingerprint and announces it, in one go', async () => {
    const listener = new pg.Client({ connectionString: h.app.database.url })
    await listener.connect()
    const heard: AppEvent[] = []
    listener.on('notification', (m) => heard.push(...(JSON.parse(m.payload ?? '[]') as AppEvent[])))
    await listener.query(`listen ${EVENTS_CHANNEL}`)
    try {
      const res = await update({ id: highlightGid, correctedText: `  ${CORRECTED}\n` })
      expect(res.errors).toBeUndefined()
      expect(res.data?.updateHighlight).toMatchObject({ __typename: 'Highlight', id: highlightGid, originalText: ORIGINAL, correctedText: CORRECTED, text: CORRECTED, pageNumber: 1 })
      const r = await record()
      expect(r).toMatchObject({ status: 'pending', contentHash: expectedHash(CORRECTED), removedAt: null })
      expect(expectedHash(CORRECTED)).not.toBe(expectedHash(null))
      expect(await syncJobKeys()).toEqual([makeSyncJobKey(h.integrationId, notebookId)])
      const row = await db().highlight.findUniqueOrThrow({ where: { id: highlightId } })
      expect(row).toMatchObject({ correctedText: CORRECTED, contentHash: expectedHash(CORRECTED), pageNumber: 1 })
      // NOTIFY is delivered at commit; give the listener's socket a moment.
      for (let i = 0; i < 100 && !heard.some((e) => e.kind === 'sync_record'); i++) await new Promise((r) => setTimeout(r, 20))
      expect(heard).toEqual(expect.arrayContaining([{ kind: 'highlight', userId: h.user.id, id: highlightId }, { kind: 'sync_record', userId: h.user.id, id: r.id }]))
    } finally {
      await listener.end()
    }
  })

  it('the next sync shows the corrected text, in the same callout block', async () => {
    const before = await record()
    await syncNow()
    expect(await callouts()).toEqual([`callout: ${CORRECTED}\n— highlighted on page 1`])
    const after = await record()
    expect(after).toMatchObject({ status: 'success', externalId: before.externalId })
  })

  it('the same correction again changes and queues nothing', async () => {
    const before = await record()
    const res = await update({ id: highlightGid, correctedText: CORRECTED })
    expect(res.data?.updateHighlight).toMatchObject({ __typename: 'Highlight', correctedText: CORRECTED })
    expect(await record()).toEqual(before)
    expect(await syncJobKeys()).toEqual([])
  })

  it('"" clears the correction: the original fingerprint is queued and Notion shows the original again', async () => {
    const res = await update({ id: highlightGid, correctedText: '' })
    expect(res.data?.updateHighlight).toMatchObject({ __typename: 'Highlight', correctedText: null, text: ORIGINAL })
    expect(await record()).toMatchObject({ status: 'pending', contentHash: expectedHash(null) })
    await syncNow()
    expect(await callouts()).toEqual([`callout: ${ORIGINAL}\n— highlighted on page 1`])
  })

  it('null clears it too', async () => {
    await update({ id: highlightGid, correctedText: CORRECTED })
    expect(await record()).toMatchObject({ status: 'pending', contentHash: expectedHash(CORRECTED) })
    const res = await update({ id: highlightGid, correctedText: null })
    expect(res.data?.updateHighlight).toMatchObject({ __typename: 'Highlight', correctedText: null, text: ORIGINAL })
    expect(await record()).toMatchObject({ status: 'pending', contentHash: expectedHash(null) })
    await syncNow()
  })

  it('refuses a correction over 10,000 characters and changes nothing', async () => {
    const before = await db().highlight.findUniqueOrThrow({ where: { id: highlightId } })
    const res = await update({ id: highlightGid, correctedText: 'x'.repeat(10_001) })
    expect(res.data?.updateHighlight).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'correctedText' })
    expect(await db().highlight.findUniqueOrThrow({ where: { id: highlightId } })).toEqual(before)
    expect(await syncJobKeys()).toEqual([])
    // 10,000 is allowed.
    const ok = await update({ id: highlightGid, correctedText: 'y'.repeat(10_000) })
    expect(ok.data?.updateHighlight).toMatchObject({ __typename: 'Highlight', correctedText: 'y'.repeat(10_000) })
    await update({ id: highlightGid, correctedText: null })
    await h.app.database.query(`delete from graphile_worker._private_jobs`)
  })

  it("another user's highlight, or an id of another type, is not found and stays as it was", async () => {
    const theirs = await db().highlight.findMany({ where: { userId: { not: h.user.id } } })
    for (const id of [otherGid, encodeGlobalID('Notebook', notebookId), 'not-an-id']) {
      const res = await update({ id, correctedText: 'mine now' })
      expect(res.data?.updateHighlight).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' })
    }
    expect(await db().highlight.findMany({ where: { userId: { not: h.user.id } } })).toEqual(theirs)
  })

  it('needs a signed-in caller with the write scope', async () => {
    const anonymous = await update({ id: highlightGid, correctedText: 'x' }, null)
    expect(anonymous.data?.updateHighlight).toMatchObject({ __typename: 'NotAuthenticatedError', code: 'NOT_AUTHENTICATED' })
    const readOnly = makeToken('api_token')
    await db().apiToken.create({ data: { userId: h.user.id, name: 'read only', scopes: ['read'], tokenHash: hashToken(readOnly), prefix: readOnly.slice(0, 8) } })
    const refused = await update({ id: highlightGid, correctedText: 'x' }, readOnly)
    expect(refused.data?.updateHighlight).toMatchObject({ __typename: 'NotAllowedError', code: 'NOT_ALLOWED' })
    expect(await db().highlight.findUniqueOrThrow({ where: { id: highlightId } })).toMatchObject({ correctedText: null })
  })

  it('a removed highlight keeps its correction for when it comes back, and queues nothing now', async () => {
    await db().highlight.update({ where: { id: highlightId }, data: { removedAt: new Date() } })
    const before = await record()
    const res = await update({ id: highlightGid, correctedText: CORRECTED })
    expect(res.data?.updateHighlight).toMatchObject({ __typename: 'Highlight', correctedText: CORRECTED })
    expect(await record()).toEqual(before)
    expect(await syncJobKeys()).toEqual([])
  })
})
