// Per-user limits (issue 15 item 6): pages and stored bytes per account, from USER_MAX_PAGES and
// USER_MAX_STORED_BYTES; past them the agent's call is answered UserLimitError and nothing is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { makeRmFile, makeBlock } from '../rm/rmWriter.ts'

let app: TestApp
let alice: TestUser
beforeAll(async () => {
  app = await startTestApp({ env: { USER_MAX_PAGES: '5', USER_MAX_STORED_BYTES: '300' } })
  alice = await createTestUser(app.database.db, 'limited@example.com')
})
afterAll(async () => {
  await app?.close()
})

const SYNC = `mutation($input: SyncNotebookMetadataInput!) { syncNotebookMetadata(input: $input) {
  __typename ... on UserLimitError { code limit max message } } }`
const UPLOAD = `mutation($input: UploadPageInput!) { uploadPage(input: $input) {
  __typename ... on UploadPagePayload { outcome } ... on UserLimitError { code limit max message } } }`

async function sync(notebooks: unknown[]): Promise<any> {
  const res = await app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.apiToken}` }, body: JSON.stringify({ query: SYNC, variables: { input: { notebooks } } }) })
  return ((await res.json()) as any).data?.syncNotebookMetadata
}

async function upload(pageUuid: string, bytes: Uint8Array): Promise<any> {
  const form = new FormData()
  form.append('operations', JSON.stringify({ query: UPLOAD, variables: { input: { notebookUuid: 'nb', pageUuid, file: null } } }))
  form.append('map', JSON.stringify({ 0: ['variables.input.file'] }))
  form.append('0', new Blob([Buffer.from(bytes)]), 'page.rm')
  const res = await app.fetch('/graphql', { method: 'POST', headers: { authorization: `Bearer ${alice.apiToken}` }, body: form })
  return ((await res.json()) as any).data?.uploadPage
}

/** A valid page file of about `size` bytes (one block of an unknown type, kept and skipped). */
function makePageOfSize(size: number, fill: number): Uint8Array {
  return makeRmFile([makeBlock(0x30, new Uint8Array(size - 43 - 8).fill(fill))])
}

describe('per-user limits', () => {
  it('refuses metadata that would make more pages than the account may hold, keeping nothing of it', async () => {
    expect((await sync([{ uuid: 'nb', visibleName: 'NB', type: 'NOTEBOOK', pageUuids: ['p1', 'p2', 'p3'] }])).__typename).toBe('SyncNotebookMetadataPayload')
    const refused = await sync([
      { uuid: 'nb', visibleName: 'NB', type: 'NOTEBOOK', pageUuids: ['p1', 'p2', 'p3'] },
      { uuid: 'nb2', visibleName: 'NB 2', type: 'NOTEBOOK', pageUuids: ['q1', 'q2', 'q3'] },
    ])
    expect(refused).toMatchObject({ __typename: 'UserLimitError', code: 'USER_LIMIT_REACHED', limit: 'PAGES', max: 5 })
    expect(await app.database.db.page.count()).toBe(3)
    expect(await app.database.db.notebook.count({ where: { uuid: 'nb2' } })).toBe(0)
  })

  it('refuses a page file that would take the account past its stored bytes, before storing it', async () => {
    expect(await upload('p1', makePageOfSize(200, 1))).toEqual({ __typename: 'UploadPagePayload', outcome: 'STORED' })
    // Replacing a page's file counts the new file only.
    expect(await upload('p1', makePageOfSize(250, 2))).toEqual({ __typename: 'UploadPagePayload', outcome: 'STORED' })
    const refused = await upload('p2', makePageOfSize(100, 3))
    expect(refused).toMatchObject({ __typename: 'UserLimitError', code: 'USER_LIMIT_REACHED', limit: 'STORED_BYTES', max: 300 })
    expect(await app.database.db.page.count({ where: { fileSha256: { not: null } } })).toBe(1)
    expect(await app.database.db.storedFile.count()).toBe(1)
  })
})
