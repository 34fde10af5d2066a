// How the Readwise sync meets failure, through the same engine as Notion: 429s paced by the shared
// pacer with no request before its Retry-After, a create answered 504 after Readwise applied it
// (recovered, no duplicate), dry run and its preview, a refused highlight failing alone and retried,
// the probe after Readwise was down, and a revoked token's typed error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReadwiseHarness, type ReadwiseHarness } from './readwiseHarness.ts'
import { graphql } from '../gql/index.ts'
import { probeIntegration } from '../../server/sync/probeIntegration.ts'
import { runSync, type SyncRunOutcome } from '../../server/sync/runSync.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { makeReadwiseSyncTarget } from '../../server/readwise/readwiseSyncTarget.ts'
import { makeReadwisePacer } from '../../server/readwise/readwisePace.ts'
import { READWISE_TOKEN_REJECTED_MESSAGE } from '../../server/readwise/readwiseCallError.ts'

const RetrySync = graphql(`mutation ReadwiseRetrySync($input: RetrySyncInput!) { retrySync(input: $input) { __typename ... on SyncRecord { status target } ... on Error { code } } }`)
const ReadwisePreview = graphql(`query ReadwiseSyncPreview($id: ID!) { syncPreview(notebookId: $id) { requestCount requests target } }`)
const TestReadwise = graphql(`mutation TestReadwise($input: TestIntegrationInput!) { testIntegration(input: $input) { __typename ... on IntegrationTestResult { target ok tokenAccepted problem { code message } } ... on Error { code } } }`)

let h: ReadwiseHarness
// Readwise's limit scaled down: 5 requests per second per token. The pacer is set far faster, so
// Readwise answers 429s and only its Retry-After keeps the sync in line.
beforeAll(async () => {
  h = await startReadwiseHarness({ readwise: { rateLimit: { requestsPerWindow: 5, listRequestsPerWindow: 2, windowMs: 1000 } }, pace: { requestsPerSecond: 100, burst: 100 }, maxPacerWaitMs: 5000 })
})
afterAll(async () => {
  await h?.close()
})

const records = (notebookUuid: string) => h.app.database.db.syncRecord.findMany({ where: { targetName: 'readwise', notebookUuid }, orderBy: { id: 'asc' } })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Runs the job as the worker would: again after each retry outcome (the pacer holds the wait). */
async function syncUntilSettled(run: (attempt: number) => Promise<SyncRunOutcome>): Promise<SyncRunOutcome[]> {
  const outcomes: SyncRunOutcome[] = []
  for (let attempt = 1; attempt <= 8; attempt++) {
    const o = await run(attempt)
    outcomes.push(o)
    if (o.kind !== 'retry') break
  }
  return outcomes
}

describe('Readwise failures', () => {
  it('429s are honoured: every request after a Retry-After waits it out (0 violations), nothing is lost or doubled', async () => {
    const nb = await h.setNotebook('nb-429', ['a'], 'Paced')
    await h.setTexts('nb-429', { a: 'text' })
    const ids = await h.addHighlights('nb-429', 'a', Array.from({ length: 12 }, (_, i) => `paced passage ${i}`))
    expect((await syncUntilSettled((n) => h.syncReadwise(nb, n))).at(-1)).toMatchObject({ kind: 'done', failed: 0 })
    // Twelve corrections: twelve PATCHes against a limit of five a second.
    for (const [i, id] of ids.entries()) await h.correctHighlight(id, `paced passage ${i}, corrected`)
    h.readwise.reset()
    h.readwise.faults.failNext(1, { status: 429, retryAfterSeconds: 1 })
    const outcomes = await syncUntilSettled((n) => h.syncReadwise(nb, n))
    const stats = h.readwise.stats()
    console.log('readwise 12 edits at 5 requests/s:', JSON.stringify({ outcomes: outcomes.map((o) => o.kind), requests: stats.requests, byStatus: stats.byStatus, rateLimited: stats.rateLimited, retryAfterViolations: stats.retryAfterViolations }))
    expect(outcomes.at(-1)).toMatchObject({ kind: 'done', failed: 0 })
    expect(stats.rateLimited).toBeGreaterThanOrEqual(2)
    expect(stats.retryAfterViolations).toBe(0)
    expect(stats.byEndpoint['PATCH /api/v2/highlights/:id/']).toBe(12 + stats.rateLimited)
    const texts = h.readwise.library(h.readwiseToken).find((b) => b.title === 'Paced')!.highlights.map((x) => x.text).sort()
    expect(texts).toEqual(ids.map((_, i) => `paced passage ${i}, corrected`).sort())
    expect((await records('nb-429')).every((r) => r.status === 'success')).toBe(true)
  })

  it('with the pacer at Readwise’s rate, the same work meets no 429 at all', async () => {
    const db = h.app.database.db
    const matched = makeReadwiseSyncTarget({ pacer: makeReadwisePacer(db, { requestsPerSecond: 4, burst: 1 }), baseUrl: h.readwise.url, publicUrl: 'https://rmirror.example', maxPacerWaitMs: 5000 })
    const deps = { ...h.deps, targets: { ...h.deps.targets, readwise: matched } }
    const nb = (await db.notebook.findFirstOrThrow({ where: { uuid: 'nb-429' } })).id
    const hs = await db.highlight.findMany({ where: { notebookId: nb }, orderBy: { id: 'asc' } })
    for (const [i, x] of hs.entries()) await h.correctHighlight(x.id, `paced passage ${i}, again`)
    await sleep(1100)
    h.readwise.reset()
    expect(await runSync(deps, h.readwiseIntegrationId, nb, 1, 8)).toMatchObject({ kind: 'done', requests: 12, failed: 0 })
    expect(h.readwise.stats()).toMatchObject({ requests: 12, rateLimited: 0, retryAfterViolations: 0 })
  })

  it('a create Readwise applied but answered 504 is recovered on the next run: the same highlights, none twice', async () => {
    await sleep(1100)
    const nb = await h.setNotebook('nb-504', ['a'], 'Gateway')
    await h.setTexts('nb-504', { a: 'text' })
    await h.addHighlights('nb-504', 'a', ['one', 'two', 'three'])
    h.readwise.reset()
    h.readwise.faults.failAfterApply(1, 'POST /api/v2/highlights/')
    expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'retry' })
    expect((await records('nb-504')).filter((r) => r.itemType === 'highlight').every((r) => r.status === 'retry')).toBe(true)
    expect(await h.syncReadwise(nb, 2)).toMatchObject({ kind: 'done', failed: 0 })
    const book = h.readwise.library(h.readwiseToken).find((b) => b.title === 'Gateway')!
    expect(book.highlights.map((x) => x.text).sort()).toEqual(['one', 'three', 'two'])
    const rs = (await records('nb-504')).filter((r) => r.itemType === 'highlight')
    expect(new Set(rs.map((r) => r.externalId))).toEqual(new Set(book.highlights.map((x) => String(x.id))))
    expect(h.readwise.stats().byEndpoint).toEqual({ 'POST /api/v2/highlights/': 2 })
  })

  it('dry run records the exact requests (syncPreview) and sends none; off again, they are sent', async () => {
    await sleep(1100)
    const nb = await h.setNotebook('nb-dry', ['a'], 'Dry')
    await h.setTexts('nb-dry', { a: 'text' })
    await h.addHighlights('nb-dry', 'a', ['planned passage'])
    await h.setReadwiseSettings({ dryRun: true })
    h.readwise.reset()
    expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'dry_run', requests: 1 })
    expect(h.readwise.stats().requests).toBe(0)
    const r = await h.app.gql(ReadwisePreview, { id: encodeGlobalID('Notebook', nb) }, h.user.session)
    const preview = r.data!.syncPreview.find((p) => p.target === 'READWISE')!
    expect(preview.requestCount).toBe(1)
    expect((preview.requests as any[])[0]).toMatchObject({ method: 'POST', path: '/api/v2/highlights/', body: { highlights: [{ text: 'planned passage', title: 'Dry', source_type: 'rmirror', category: 'books', location: 1, location_type: 'page' }] } })
    expect((await records('nb-dry')).find((x) => x.itemType === 'highlight')!.status).toBe('pending')
    await h.setReadwiseSettings({ dryRun: false })
    expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'done', requests: 1 })
  })

  it('a highlight Readwise refuses fails alone with Readwise’s message; retrySync sends it again', async () => {
    await sleep(1100)
    const nb = await h.setNotebook('nb-400', ['a'], 'Refused')
    await h.setTexts('nb-400', { a: 'text' })
    const [bad] = await h.addHighlights('nb-400', 'a', ['refused passage', 'accepted passage'])
    h.readwise.reset()
    // The batch is refused, then the refused item sent alone: the other goes through.
    h.readwise.faults.failNext(2, { status: 400, match: (r) => r.bodyText.includes('refused passage') })
    expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'done', failed: 1 })
    const failed = (await records('nb-400')).filter((r) => r.status === 'failed')
    expect(failed).toEqual([expect.objectContaining({ itemType: 'highlight', itemId: String(bad), failureKind: 'permanent', errorMessage: 'Readwise refused the request: non_field_errors: Invalid data.' })])
    const res = await h.app.gql(RetrySync, { input: { id: encodeGlobalID('SyncRecord', failed[0].id) } }, h.user.session)
    expect(res.data?.retrySync).toEqual({ __typename: 'SyncRecord', status: 'pending', target: 'READWISE' })
    expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'done', failed: 0 })
    expect(h.readwise.library(h.readwiseToken).find((b) => b.title === 'Refused')!.highlights.map((x) => x.text).sort()).toEqual(['accepted passage', 'refused passage'])
  })

  it('past the attempt limit the items wait; the probe (the token endpoint) queues them again once Readwise answers', async () => {
    await sleep(1100)
    const nb = await h.setNotebook('nb-down', ['a'], 'Readwise down')
    await h.setTexts('nb-down', { a: 'text' })
    await h.addHighlights('nb-down', 'a', ['written while Readwise was down'])
    h.readwise.faults.failNext(1000, { status: 503 })
    expect(await h.syncReadwise(nb, 8)).toMatchObject({ kind: 'failed', transient: true })
    expect((await records('nb-down')).filter((r) => r.status !== 'success').every((r) => r.status === 'failed' && r.failureKind === 'transient')).toBe(true)
    expect(await probeIntegration(h.deps, h.readwiseIntegrationId)).toMatchObject({ kind: 'still_down' })
    h.readwise.faults.clear()
    h.readwise.reset()
    expect(await probeIntegration(h.deps, h.readwiseIntegrationId)).toMatchObject({ kind: 'requeued', notebooks: 1 })
    expect(h.readwise.stats().byEndpoint).toEqual({ 'GET /api/v2/auth/': 1 })
    expect(await h.syncReadwise(nb)).toMatchObject({ kind: 'done', failed: 0 })
  })

  it('a revoked token: the sync fails with a typed message and waits for the user; testIntegration says the token is refused', async () => {
    await sleep(1100)
    const nb = await h.setNotebook('nb-revoked', ['a'], 'Revoked')
    await h.setTexts('nb-revoked', { a: 'text' })
    await h.addHighlights('nb-revoked', 'a', ['after the token went'])
    h.readwise.revoke(h.readwiseToken)
    expect(await h.syncReadwise(nb)).toEqual({ kind: 'failed', reason: READWISE_TOKEN_REJECTED_MESSAGE, requests: 0 })
    const open = (await records('nb-revoked')).filter((r) => r.status !== 'success')
    expect(open.length).toBeGreaterThan(0)
    for (const r of open) expect(r).toMatchObject({ status: 'failed', failureKind: 'permanent', errorMessage: READWISE_TOKEN_REJECTED_MESSAGE })
    const t = await h.app.gql(TestReadwise, { input: { target: 'READWISE' } }, h.user.session)
    expect(t.data?.testIntegration).toEqual({ __typename: 'IntegrationTestResult', target: 'READWISE', ok: false, tokenAccepted: false, problem: { code: 'READWISE_TOKEN_REJECTED', message: READWISE_TOKEN_REJECTED_MESSAGE } })
  })
})
