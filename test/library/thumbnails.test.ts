// Page thumbnails for the dashboard: Page.thumbnailUrl hands the page's owner a short-lived signed
// path; /files/… renders the page to PNG for whoever holds a valid URL, and refuses anything altered
// or expired before it touches the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { V6_HEADER } from '../../server/rm/index.ts'
import { makeUrlSigner } from '../../server/storage/signedUrls.ts'
import { makeByteLru } from '../../server/http/byteLru.ts'
import { makeThumbnailTarget } from '../../server/http/pageThumbnail.ts'
import { makeRmFile, makeRootTextBlock } from '../rm/rmWriter.ts'
import { decodePng } from '../rm/decodePng.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, readRmFixture } from '../rm/fixturePaths.ts'
import { FILE_STORAGE_KINDS, startFileStorageBackend, type FileStorageBackend } from '../helpers/fileStorageBackends.ts'
import type { FileStorageKind } from '../../server/config.ts'

const PageThumbnail = graphql(`
  query PageThumbnail($id: ID!, $width: Int) {
    node(id: $id) { __typename ... on Page { uuid thumbnailUrl(width: $width) } }
  }
`)
const PageThumbnailDefault = graphql(`query PageThumbnailDefault($id: ID!) { node(id: $id) { ... on Page { thumbnailUrl } } }`)

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const NOTEBOOK = { a: 'aaaaaaaa-0000-4000-8000-000000000001', b: 'bbbbbbbb-0000-4000-8000-000000000001' }
const PAGE = {
  typed: 'aaaaaaaa-1111-4000-8000-000000000001',
  blank: 'aaaaaaaa-1111-4000-8000-000000000002', // listed in the notebook, never uploaded
  broken: 'aaaaaaaa-1111-4000-8000-000000000003',
  reuploaded: 'aaaaaaaa-1111-4000-8000-000000000004',
  bobs: 'bbbbbbbb-1111-4000-8000-000000000001',
}

let app: TestApp
let alice: TestUser
let bob: TestUser
let backend: FileStorageBackend
const statements: string[] = []

/** A server whose page files live in `kind` storage, with the pages every test below reads. */
async function setUp(kind: FileStorageKind): Promise<void> {
  backend = await startFileStorageBackend(kind)
  app = await startTestApp({ env: backend.env, db: { onQuery: (sql) => statements.push(sql) } })
  expect(app.services.storage.kind).toBe(kind)
  alice = await createTestUser(app.database.db, 'alice@example.com')
  bob = await createTestUser(app.database.db, 'bob@example.com')
  await syncNotebook(alice, NOTEBOOK.a, [PAGE.typed, PAGE.blank, PAGE.broken, PAGE.reuploaded])
  await syncNotebook(bob, NOTEBOOK.b, [PAGE.bobs])
  await uploadPage(alice, NOTEBOOK.a, PAGE.typed, makeTypedPage('Thumbnail test: a typed line of text'))
  // A valid header passes the upload check; the block after it claims more bytes than there are.
  await uploadPage(alice, NOTEBOOK.a, PAGE.broken, concat(new TextEncoder().encode(V6_HEADER), Uint8Array.from([0xff, 0xff, 0xff, 0, 0, 1, 1, 5, 1, 2, 3])))
  await uploadPage(bob, NOTEBOOK.b, PAGE.bobs, makeTypedPage('Bob’s own page'))
}

async function tearDown(): Promise<void> {
  await app?.close()
  await backend?.close()
}

function makeTypedPage(text: string): Uint8Array {
  return makeRmFile([makeRootTextBlock([{ id: [1, 10], left: [0, 0], right: [0, 0], text }], [])])
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

async function postGraphql(user: TestUser, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await app.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.apiToken}` },
    body: JSON.stringify({ query, variables }),
  })
  return res.json()
}

async function syncNotebook(user: TestUser, uuid: string, pageUuids: string[]): Promise<void> {
  const result = await postGraphql(user, 'mutation($input: SyncNotebookMetadataInput!) { syncNotebookMetadata(input: $input) { __typename } }', {
    input: { notebooks: [{ uuid, visibleName: `Notebook ${uuid.slice(0, 4)}`, type: 'NOTEBOOK', pageUuids }] },
  })
  expect(result).toEqual({ data: { syncNotebookMetadata: { __typename: 'SyncNotebookMetadataPayload' } } })
}

/** The agent's upload: a GraphQL multipart request. */
async function uploadPage(user: TestUser, notebookUuid: string, pageUuid: string, bytes: Uint8Array): Promise<void> {
  const form = new FormData()
  const query = 'mutation($input: UploadPageInput!) { uploadPage(input: $input) { __typename ... on UploadPagePayload { outcome } } }'
  form.append('operations', JSON.stringify({ query, variables: { input: { notebookUuid, pageUuid, file: null } } }))
  form.append('map', JSON.stringify({ 0: ['variables.input.file'] }))
  form.append('0', new Blob([Buffer.from(bytes)]), 'page.rm')
  const res = await app.fetch('/graphql', { method: 'POST', headers: { authorization: `Bearer ${user.apiToken}` }, body: form })
  expect(await res.json()).toEqual({ data: { uploadPage: { __typename: 'UploadPagePayload', outcome: 'STORED' } } })
}

async function pageIdOf(uuid: string): Promise<number> {
  return (await app.database.db.page.findFirstOrThrow({ where: { uuid } })).id
}

async function thumbnailUrlOf(user: TestUser, pageUuid: string, width?: number | null): Promise<string | null | undefined> {
  const id = encodeGlobalID('Page', await pageIdOf(pageUuid))
  const result = await app.gql(PageThumbnail, width === undefined ? { id } : { id, width }, user.session)
  expect(result.errors).toBeUndefined()
  const node = result.data?.node
  return node && node.__typename === 'Page' ? node.thumbnailUrl : undefined
}

/** Fetches a URL and counts the SQL statements the request made. */
async function fetchCounting(url: string, init?: RequestInit): Promise<{ res: Response; statements: number }> {
  const before = statements.length
  const res = await app.fetch(url, init)
  await res.arrayBuffer().catch(() => undefined)
  return { res, statements: statements.length - before }
}

/** Pixels clearly not the white paper: ink, text. */
function countInkedPixels(png: Uint8Array): number {
  const image = decodePng(png)
  let inked = 0
  for (let i = 0; i < image.width * image.height; i++) if (Math.min(image.pixels[i * 4], image.pixels[i * 4 + 1], image.pixels[i * 4 + 2]) < 160) inked++
  return inked
}

function replaceParam(url: string, name: string, value: string): string {
  const u = new URL(url, 'http://x')
  u.searchParams.set(name, value)
  return `${u.pathname}${u.search}`
}

describe.each(FILE_STORAGE_KINDS)('Page.thumbnailUrl and /files/pages/…/thumbnail.png (%s file storage)', (kind) => {
  beforeAll(() => setUp(kind))
  afterAll(tearDown)

  it('hands the owner a signed path that renders the page as a PNG of the asked width, with caching headers', async () => {
    const url = await thumbnailUrlOf(alice, PAGE.typed, 240)
    expect(url).toMatch(/^\/files\/pages\/\d+\/thumbnail\.png\?.*\bw=240\b.*&exp=\d+&sig=[\w-]+$/)
    const res = await app.fetch(url!)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('cache-control')).toBe('private, max-age=300')
    const page = await app.database.db.page.findFirstOrThrow({ where: { uuid: PAGE.typed } })
    expect(res.headers.get('etag')).toBe(`"${page.fileSha256}-240"`)
    const png = new Uint8Array(await res.arrayBuffer())
    expect([...png.subarray(0, 8)]).toEqual(PNG_MAGIC)
    const image = decodePng(png)
    expect(image.width).toBe(240)
    expect(image.height).toBe(Math.round((240 * 1872) / 1404)) // the page's proportions
    expect(countInkedPixels(png)).toBeGreaterThan(20) // the typed line was drawn, not a blank page
  })

  it('defaults to 300 pixels and clamps widths outside 50–1404', async () => {
    const id = encodeGlobalID('Page', await pageIdOf(PAGE.typed))
    const byDefault = await app.gql(PageThumbnailDefault, { id }, alice.session)
    const defaultUrl = (byDefault.data?.node as { thumbnailUrl?: string | null }).thumbnailUrl!
    expect(new URL(defaultUrl, 'http://x').searchParams.get('w')).toBe('300')
    expect(decodePng(new Uint8Array(await (await app.fetch(defaultUrl)).arrayBuffer())).width).toBe(300)
    const huge = (await thumbnailUrlOf(alice, PAGE.typed, 5000))!
    expect(new URL(huge, 'http://x').searchParams.get('w')).toBe('1404')
    const tiny = (await thumbnailUrlOf(alice, PAGE.typed, 3))!
    expect(decodePng(new Uint8Array(await (await app.fetch(tiny)).arrayBuffer())).width).toBe(50)
  })

  it('answers 304 to a browser that has the same rendering', async () => {
    const url = (await thumbnailUrlOf(alice, PAGE.typed, 300))!
    const first = await app.fetch(url)
    const etag = first.headers.get('etag')!
    const again = await app.fetch(url, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
  })

  it('is null until the page is uploaded', async () => {
    expect(await thumbnailUrlOf(alice, PAGE.blank)).toBeNull()
  })

  it('changes when the page is uploaded again, and then shows the new file', async () => {
    const before = (await thumbnailUrlOf(alice, PAGE.reuploaded, 200))
    expect(before).toBeNull()
    await uploadPage(alice, NOTEBOOK.a, PAGE.reuploaded, makeTypedPage('first version'))
    const first = (await thumbnailUrlOf(alice, PAGE.reuploaded, 200))!
    await uploadPage(alice, NOTEBOOK.a, PAGE.reuploaded, makeTypedPage('second version, longer than the first one'))
    const second = (await thumbnailUrlOf(alice, PAGE.reuploaded, 200))!
    expect(second).not.toBe(first)
    const page = await app.database.db.page.findFirstOrThrow({ where: { uuid: PAGE.reuploaded } })
    expect((await app.fetch(second)).headers.get('etag')).toBe(`"${page.fileSha256}-200"`)
  })

  it('refuses an altered signature, width or page id, an expired URL and an unsigned one with 403, before any database access', async () => {
    const url = (await thumbnailUrlOf(alice, PAGE.typed, 300))!
    const sig = new URL(url, 'http://x').searchParams.get('sig')!
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A')
    const pageId = await pageIdOf(PAGE.typed)
    const bobsPageId = await pageIdOf(PAGE.bobs)
    const expired = app.services.signer.sign(makeThumbnailTarget(pageId, 300, 'f'.repeat(64)), { ttlSeconds: 300, now: new Date(Date.now() - 3_600_000) })
    const cases: [string, string][] = [
      [replaceParam(url, 'sig', flipped), 'BAD_SIGNATURE'],
      [replaceParam(url, 'w', '1404'), 'BAD_SIGNATURE'],
      [replaceParam(url, 'exp', String(Number(new URL(url, 'http://x').searchParams.get('exp')) + 86_400)), 'BAD_SIGNATURE'],
      [url.replace(`/pages/${pageId}/`, `/pages/${bobsPageId}/`), 'BAD_SIGNATURE'],
      [`${url}&w=1404`, 'BAD_SIGNATURE'],
      [expired, 'URL_EXPIRED'],
      [`/files/pages/${pageId}/thumbnail.png?w=300`, 'SIGNATURE_REQUIRED'],
      [url.replace(/&sig=[^&]+/, ''), 'BAD_SIGNATURE'],
    ]
    for (const [target] of cases) {
      const { res, statements: sql } = await fetchCounting(target)
      expect({ target, status: res.status, sql }).toEqual({ target, status: 403, sql: 0 })
    }
    for (const [target, code] of cases) {
      const res = await app.fetch(target)
      expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } })
    }
    // A URL signed with another secret is refused too.
    const forged = makeUrlSigner('another secret, at least thirty-two characters').sign(makeThumbnailTarget(pageId, 300, 'f'.repeat(64)))
    expect((await app.fetch(forged)).status).toBe(403)
  })

  it('gives another user no URL for a page that is not theirs, and their own URL cannot be pointed at it', async () => {
    expect(await thumbnailUrlOf(bob, PAGE.typed, 300)).toBeUndefined() // node(id) is null for someone else's page
    const bobsUrl = (await thumbnailUrlOf(bob, PAGE.bobs, 300))!
    expect((await app.fetch(bobsUrl)).status).toBe(200)
    const alicesId = await pageIdOf(PAGE.typed)
    const pointed = bobsUrl.replace(/\/pages\/\d+\//, `/pages/${alicesId}/`)
    expect((await app.fetch(pointed)).status).toBe(403)
  })

  it('answers 422 for a stored page whose file cannot be read, 404 for an unknown page or a non-thumbnail path', async () => {
    const broken = await app.fetch((await thumbnailUrlOf(alice, PAGE.broken, 300))!)
    expect(broken.status).toBe(422)
    expect(await broken.json()).toEqual({ error: { code: 'UNREADABLE_PAGE', message: expect.stringMatching(/needs \d+ bytes/) } })
    const unknown = await app.fetch(app.services.signer.sign(makeThumbnailTarget(987_654_321, 300, 'f'.repeat(64))))
    expect(unknown.status).toBe(404)
    const otherPath = await app.fetch(app.services.signer.sign('/files/pages/1/original.rm'))
    expect(otherPath.status).toBe(404)
    const post = await app.fetch((await thumbnailUrlOf(alice, PAGE.typed, 300))!, { method: 'POST', headers: { 'content-length': '0' } })
    expect(post.status).toBe(405)
  })

  it.skipIf(!HAS_RM_FIXTURES)(HAS_RM_FIXTURES ? 'renders pen strokes of a real tablet page' : `renders pen strokes of a real tablet page (skipped: ${MISSING_FIXTURES_REASON})`, async () => {
    const uuid = 'aaaaaaaa-1111-4000-8000-000000000005'
    await syncNotebook(alice, NOTEBOOK.a, [PAGE.typed, PAGE.blank, PAGE.broken, PAGE.reuploaded, uuid])
    await uploadPage(alice, NOTEBOOK.a, uuid, readRmFixture('Color_and_tool_v3.14.4.rm'))
    const res = await app.fetch((await thumbnailUrlOf(alice, uuid, 400))!)
    expect(res.status).toBe(200)
    const png = new Uint8Array(await res.arrayBuffer())
    expect(decodePng(png).width).toBe(400)
    expect(countInkedPixels(png)).toBeGreaterThan(500) // handwriting in four colours
  })
})

describe('URL signer', () => {
  const signer = makeUrlSigner('a test secret of thirty-two characters or more')
  const now = new Date('2026-01-01T12:00:00Z')

  it('accepts its own URL with the query in any order until it expires (rounded up to the minute)', () => {
    const url = signer.sign('/files/x.png?w=300&v=abc', { ttlSeconds: 300, now })
    const exp = Number(new URL(url, 'http://x').searchParams.get('exp'))
    expect(exp % 60).toBe(0)
    expect(exp - now.getTime() / 1000).toBeGreaterThanOrEqual(300)
    expect(exp - now.getTime() / 1000).toBeLessThan(360)
    const reordered = url.replace('w=300&v=abc', 'v=abc&w=300')
    expect(signer.verify(reordered, now)).toMatchObject({ ok: true })
    expect(signer.verify(url, new Date((exp + 1) * 1000))).toEqual({ ok: false, reason: 'expired' })
    expect(signer.verify(url.replace('v=abc', 'v=abd'), now)).toEqual({ ok: false, reason: 'bad_signature' })
    expect(signer.verify(`${url}&exp=${exp}`, now)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('gives the same URL twice within the rounding step, so a browser can cache the image', () => {
    const at = new Date('2026-01-01T12:00:05Z')
    expect(signer.sign('/f?w=1', { now: at })).toBe(signer.sign('/f?w=1', { now: new Date(at.getTime() + 20_000) }))
  })
})

describe('byte LRU', () => {
  it('evicts the least recently used entries beyond its byte budget', () => {
    const cache = makeByteLru(10)
    cache.set('a', new Uint8Array(4))
    cache.set('b', new Uint8Array(4))
    cache.get('a') // a is now the most recent
    cache.set('c', new Uint8Array(4))
    expect([cache.get('a')?.length, cache.get('b'), cache.get('c')?.length]).toEqual([4, undefined, 4])
    expect(cache.bytes).toBe(8)
    cache.set('huge', new Uint8Array(11))
    expect(cache.get('huge')).toBeUndefined()
    expect(cache.entries).toBe(2)
  })
})
