// The Readwise fake against the documented behaviour: auth, batch create answering books with ids,
// de-duplication, update and delete, limits and error shapes, throttling with Retry-After.
import { afterEach, describe, expect, it } from 'vitest'
import { startReadwiseFake, type ReadwiseFake } from '../fakes/readwise/index.ts'

let readwise: ReadwiseFake | undefined
afterEach(async () => {
  await readwise?.close()
  readwise = undefined
})

function call(fake: ReadwiseFake, token: string | null, method: string, path: string, body?: unknown) {
  return fetch(fake.url + path, {
    method,
    headers: { ...(token ? { authorization: `Token ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('readwise fake', () => {
  it('checks tokens: 204, 401 Invalid token., 401 without credentials, revoked', async () => {
    readwise = await startReadwiseFake()
    const { token } = readwise.addAccount()
    expect((await call(readwise, token, 'GET', '/api/v2/auth/')).status).toBe(204)
    const bad = await call(readwise, 'nope', 'GET', '/api/v2/auth/')
    expect(bad.status).toBe(401)
    expect(bad.headers.get('www-authenticate')).toBe('Token')
    expect(await bad.json()).toEqual({ detail: 'Invalid token.' })
    expect(await (await call(readwise, null, 'GET', '/api/v2/auth/')).json()).toEqual({ detail: 'Authentication credentials were not provided.' })
    readwise.revoke(token)
    expect((await call(readwise, token, 'GET', '/api/v2/auth/')).status).toBe(401)
  })

  it('creates many highlights in one request, answering the books with their ids; de-duplicates on (title, author, text, source_url)', async () => {
    readwise = await startReadwiseFake()
    const { token } = readwise.addAccount()
    const item = (text: string, location: number) => ({ text, title: 'Notebook', author: 'Work', source_type: 'rmirror', category: 'books', location, location_type: 'page' })
    const r = await call(readwise, token, 'POST', '/api/v2/highlights/', { highlights: [item('one', 1), item('two', 2), { ...item('other book', 1), title: 'Other' }] })
    expect(r.status).toBe(200)
    const books = await r.json()
    expect(books).toHaveLength(2)
    expect(books[0]).toMatchObject({ title: 'Notebook', author: 'Work', category: 'books', source: 'rmirror', num_highlights: 2 })
    expect(books[0].modified_highlights).toHaveLength(2)
    const [one, two] = books[0].modified_highlights
    // The same text again in the same book: the same highlight, updated.
    const again = await (await call(readwise, token, 'POST', '/api/v2/highlights/', { highlights: [item('one', 7)] })).json()
    expect(again[0].modified_highlights).toEqual([one])
    expect(readwise.library(token).find((b) => b.title === 'Notebook')!.highlights.map((h) => [h.id, h.text, h.location])).toEqual([[two, 'two', 2], [one, 'one', 7]])
  })

  it('updates in place and deletes; 404 after', async () => {
    readwise = await startReadwiseFake()
    const { token } = readwise.addAccount()
    const [book] = await (await call(readwise, token, 'POST', '/api/v2/highlights/', { highlights: [{ text: 'draft', title: 'T' }] })).json()
    const id = book.modified_highlights[0]
    const patched = await call(readwise, token, 'PATCH', `/api/v2/highlights/${id}/`, { text: 'final', note: 'n' })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({ id, text: 'final', note: 'n', book_id: book.id })
    expect((await call(readwise, token, 'DELETE', `/api/v2/highlights/${id}/`)).status).toBe(204)
    const gone = await call(readwise, token, 'PATCH', `/api/v2/highlights/${id}/`, { text: 'x' })
    expect(gone.status).toBe(404)
    expect(await gone.json()).toEqual({ detail: 'Not found.' })
    expect(readwise.library(token)).toEqual([])
  })

  it('refuses a batch with one invalid highlight, field by field, as DRF does', async () => {
    readwise = await startReadwiseFake()
    const { token } = readwise.addAccount()
    const r = await call(readwise, token, 'POST', '/api/v2/highlights/', {
      highlights: [{ text: 'ok' }, { text: 'x'.repeat(8192), title: 't'.repeat(512), category: 'notes', source_type: 'my app', location: 1.5 }],
    })
    expect(r.status).toBe(400)
    expect(await r.json()).toEqual({
      highlights: [
        {},
        {
          text: ['Ensure this field has no more than 8191 characters.'],
          title: ['Ensure this field has no more than 511 characters.'],
          category: ['"notes" is not a valid choice.'],
          source_type: ['source_type must be a string between 3 and 64 characters, without spaces.'],
          location: ['A valid integer is required.'],
        },
      ],
    })
    expect(readwise.library(token)).toEqual([])
    expect((await call(readwise, token, 'POST', '/api/v2/highlights/', { highlights: [{ text: 'x'.repeat(8191) }] })).status).toBe(200)
    expect(await (await call(readwise, token, 'POST', '/api/v2/highlights/', {})).json()).toEqual({ highlights: ['This field is required.'] })
  })

  it('throttles per token with Retry-After, LIST endpoints sooner, and records requests that ignore it', async () => {
    readwise = await startReadwiseFake({ rateLimit: { requestsPerWindow: 4, listRequestsPerWindow: 2, windowMs: 1000 } })
    const { token } = readwise.addAccount()
    const other = readwise.addAccount().token
    await call(readwise, token, 'GET', '/api/v2/highlights/')
    await call(readwise, token, 'GET', '/api/v2/highlights/')
    const list = await call(readwise, token, 'GET', '/api/v2/books/')
    expect(list.status).toBe(429)
    expect(list.headers.get('retry-after')).toBe('1')
    expect(await list.json()).toEqual({ detail: 'Request was throttled. Expected available in 1 second.' })
    const early = await call(readwise, token, 'GET', '/api/v2/auth/')
    expect(early.status).toBe(429)
    // Another token has its own window.
    expect((await call(readwise, other, 'GET', '/api/v2/auth/')).status).toBe(204)
    await sleep(1050)
    for (let i = 0; i < 4; i++) expect((await call(readwise, token, 'GET', '/api/v2/auth/')).status).toBe(204)
    expect((await call(readwise, token, 'GET', '/api/v2/auth/')).status).toBe(429)
    expect(readwise.stats()).toMatchObject({ rateLimited: 3, retryAfterViolations: 1 })
  })
})
