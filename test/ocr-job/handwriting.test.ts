// Handwriting OCR through the real worker and the local chat-completions fake: the request the
// provider gets, the page text (typed text, then the transcript), todos queued for sync, retries
// on 429/5xx/timeouts, permanent refusals, retryPageText, quota charged once per page and bytes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, readRmFixture } from '../rm/fixturePaths.ts'
import { INSTRUCTION, TRANSCRIBE_ASK } from '../../server/ocr/index.ts'
import { parseRm, renderPng } from '../../server/rm/index.ts'
import { readOcrUsage } from '../../server/quota/index.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { EXTRACT_MAX_ATTEMPTS } from '../../worker/tasks/extract_page.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { OCR_KEY, OCR_MODEL, makeNotebookUser, readJobs, readPendingSync, settled, startOcrJobApp, uploadTo, waitForPages, type OcrJobApp } from './helpers.ts'

const NB = 'nb-handwriting'
const PAGES = ['hw-todos', 'hw-429', 'hw-503', 'hw-timeout', 'hw-401', 'hw-credit', 'typed-only']
const WITH_TEXT = 'With_SceneInfo_Block.rm' // typed "TEST TEXT", "Test text from keyboard" and 13 strokes
const STROKES = 'Normal_A_stroke_2_layers.rm' // typed "A" and 2 strokes

const RetryPageText = graphql(`
  mutation RetryPageText($id: ID!) {
    retryPageText(input: { id: $id }) {
      __typename
      ... on Page { id ocrStatus ocrError }
      ... on Error { code message }
    }
  }
`)

const ViewerOcrUsage = graphql(`query ViewerOcrUsage { viewer { ocrUsage { used limit resetsAt plan pagesWaiting } } }`)

let t: OcrJobApp
let user: TestUser

const db = () => t.app.database.db
const usedUnits = async () => (await readOcrUsage(db(), t.app.services.config.ocr.quota, user.id))!.used

interface SentBody {
  model: string
  temperature: number
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string; detail?: string } }[] }[]
}

beforeAll(async () => {
  if (!HAS_RM_FIXTURES) return
  t = await startOcrJobApp({ OCR_TIMEOUT_MS: '1000', OCR_QUOTA_PLANS: 'free:30' })
  user = await makeNotebookUser(t, 'handwriting@example.com', NB, PAGES)
})
afterAll(async () => {
  await t?.close()
})
beforeEach(() => {
  t?.fake.reset()
})

describe.skipIf(!HAS_RM_FIXTURES)(HAS_RM_FIXTURES ? 'handwriting OCR in the worker' : `handwriting OCR in the worker (skipped: ${MISSING_FIXTURES_REASON})`, () => {
  it('reads a handwritten page: typed text, then the transcript without its fences; its checkboxes become todos queued for sync', async () => {
    t.fake.script([{ transcript: '```markdown\n- [ ] Call Bob\n- [x] Pay rent\n```', usage: { prompt_tokens: 812, completion_tokens: 14, total_tokens: 826 } }])
    await uploadTo(t, user, NB, 'hw-todos', readRmFixture(WITH_TEXT))
    const page = (await waitForPages(t, user.id, ['hw-todos'], settled)).get('hw-todos')!
    expect(page).toMatchObject({ ocrStatus: 'completed', ocrError: null, hasHandwriting: true, textFileSha256: page.fileSha256 })
    expect(page.ocrText).toBe('TEST TEXT\n\nTest text from keyboard\n\n- [ ] Call Bob\n- [x] Pay rent\n')

    const todos = await db().todo.findMany({ where: { userId: user.id, pageId: page.id }, orderBy: { id: 'asc' } })
    expect(todos.map((todo) => [todo.text, todo.completed])).toEqual([['Call Bob', false], ['Pay rent', true]])
    const pending = await readPendingSync(t, user.id)
    expect(pending).toEqual(expect.arrayContaining([`page_text:${page.id}`, `todo:${todos[0].id}`, `todo:${todos[1].id}`]))
    const integration = await db().integrationConfig.findFirstOrThrow({ where: { userId: user.id } })
    expect((await readJobs(t.app, 'sync_notebook')).map((job) => job.key)).toContain(`sync_notebook:${integration.id}:${page.notebookId}`)

    // The request: the configured model, the instruction, the ask, and the strokes-only PNG.
    expect(t.fake.requests).toHaveLength(1)
    const [request] = t.fake.requests
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', authOk: true, status: 200 })
    const body = request.body as SentBody
    expect(body.model).toBe(OCR_MODEL)
    expect(body.temperature).toBe(0)
    expect(body.messages[0]).toEqual({ role: 'system', content: INSTRUCTION })
    for (const rule of ['two spaces', '"- [ ] "', '"- [x] "', '"## "', 'arrows', 'no code fences']) expect(INSTRUCTION).toContain(rule)
    const parts = body.messages[1].content as { type: string; text?: string; image_url?: { url: string } }[]
    expect(parts.map((part) => part.type)).toEqual(['text', 'image_url'])
    expect(parts[0].text).toBe(TRANSCRIBE_ASK)
    expect(parts[1].image_url!.url.startsWith('data:image/png;base64,')).toBe(true)
    expect(request.image).toMatchObject({ isPng: true, width: 768, height: 1024 })
    const parsed = parseRm(readRmFixture(WITH_TEXT))
    if (!parsed.ok) throw new Error(parsed.error.message)
    expect(Buffer.from(request.image!.bytes!).equals(Buffer.from(renderPng(parsed.page, { strokesOnly: true, width: 768 })))).toBe(true)

    expect(await usedUnits()).toBe(1)
    // Token usage is logged per page (under keys the logger does not redact), and the key never is.
    const usageLine = t.logs.find((line) => line.msg === 'ocr usage' && line.pageId === page.id)
    expect(usageLine).toMatchObject({ userId: user.id, model: OCR_MODEL, usage: { prompt: 812, completion: 14, total: 826 }, charged: true })
    expect(typeof usageLine!.latencyMs).toBe('number')
    expect(t.rawLogs.some((line) => line.includes(OCR_KEY))).toBe(false)
  })

  it('retries after a 429 with Retry-After and charges the page once', async () => {
    const before = await usedUnits()
    t.fake.script([{ status: 429, headers: { 'retry-after-ms': '30' } }, { transcript: '- note after the rate limit' }])
    await uploadTo(t, user, NB, 'hw-429', readRmFixture(STROKES))
    const page = (await waitForPages(t, user.id, ['hw-429'], settled)).get('hw-429')!
    expect(page).toMatchObject({ ocrStatus: 'completed', ocrText: 'A\n\n- note after the rate limit\n' })
    expect(t.fake.requests.map((request) => request.status)).toEqual([429, 200])
    expect(await usedUnits()).toBe(before + 1)
    expect(await db().ocrCharge.findUnique({ where: { pageId: page.id } })).toMatchObject({ fileSha256: page.fileSha256 })
  })

  it('retries a request that times out', async () => {
    t.fake.script([{ stall: true }, { transcript: '- answered the second time' }])
    await uploadTo(t, user, NB, 'hw-timeout', readRmFixture(STROKES))
    const page = (await waitForPages(t, user.id, ['hw-timeout'], settled)).get('hw-timeout')!
    expect(page).toMatchObject({ ocrStatus: 'completed', ocrText: 'A\n\n- answered the second time\n' })
    expect(t.fake.requests.map((request) => request.outcome)).toEqual(['stalled', 'answered'])
  })

  it('fails a page whose provider keeps answering 503, with the reason; retryPageText then reads it without charging again', async () => {
    const before = await usedUnits()
    t.fake.script(Array.from({ length: EXTRACT_MAX_ATTEMPTS }, () => ({ status: 503 })))
    await uploadTo(t, user, NB, 'hw-503', readRmFixture(STROKES))
    const failed = (await waitForPages(t, user.id, ['hw-503'], settled)).get('hw-503')!
    expect(failed.ocrStatus).toBe('failed')
    expect(failed.ocrError).toBe(
      'The OCR provider had an error (HTTP 503): The engine is currently overloaded, please try again later (gave up after retries; retry the page to try again)',
    )
    expect(t.fake.requests.map((request) => request.status)).toEqual(Array(EXTRACT_MAX_ATTEMPTS).fill(503))
    expect(await usedUnits()).toBe(before + 1)

    const retried = await t.app.gql(RetryPageText, { id: encodeGlobalID('Page', failed.id) }, user.session)
    expect(retried.data?.retryPageText).toMatchObject({ __typename: 'Page', ocrStatus: 'pending', ocrError: null })
    const page = (await waitForPages(t, user.id, ['hw-503'], (s) => s === 'completed')).get('hw-503')!
    expect(page.ocrText).toBe('A\n\n- fake transcript\n')
    expect(t.fake.requests).toHaveLength(EXTRACT_MAX_ATTEMPTS + 1)
    expect(await usedUnits()).toBe(before + 1)
  })

  it('fails at once on a refused key, says what to fix without quoting the key, and gives the unit back', async () => {
    const before = await usedUnits()
    t.fake.script([{ status: 401 }])
    await uploadTo(t, user, NB, 'hw-401', readRmFixture(STROKES))
    const page = (await waitForPages(t, user.id, ['hw-401'], settled)).get('hw-401')!
    expect(page.ocrStatus).toBe('failed')
    expect(page.ocrError).toBe('The OCR provider did not accept the configured API key (HTTP 401); fix the OCR settings (OCR_API_KEY), then retry the page')
    expect(page.ocrText).toBe('A') // the typed text still flows on
    expect(t.fake.requests).toHaveLength(1)
    expect(await usedUnits()).toBe(before)
    expect(await db().ocrCharge.count({ where: { pageId: page.id } })).toBe(0)
  })

  it('does not retry an account out of credit (429 insufficient_quota)', async () => {
    const before = await usedUnits()
    const body = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }
    t.fake.script([{ status: 429, body }])
    await uploadTo(t, user, NB, 'hw-credit', readRmFixture(STROKES))
    const page = (await waitForPages(t, user.id, ['hw-credit'], settled)).get('hw-credit')!
    expect(page).toMatchObject({ ocrStatus: 'failed', ocrError: 'The OCR provider account has run out of credit (insufficient_quota); retry the page once it is topped up' })
    expect(t.fake.requests).toHaveLength(1)
    expect(await usedUnits()).toBe(before)
  })

  it('never meters a typed-text-only page', async () => {
    const before = await usedUnits()
    await uploadTo(t, user, NB, 'typed-only', readRmFixture('Checkbox_styles.rm'))
    const page = (await waitForPages(t, user.id, ['typed-only'], settled)).get('typed-only')!
    expect(page).toMatchObject({ ocrStatus: 'completed', hasHandwriting: false })
    expect(t.fake.requests).toHaveLength(0)
    expect(await usedUnits()).toBe(before)
    expect(await db().ocrCharge.count({ where: { pageId: page.id } })).toBe(0)
  })

  it('shows usage in GraphQL and refuses retryPageText where there is nothing to retry or no right to', async () => {
    const usage = await readOcrUsage(db(), t.app.services.config.ocr.quota, user.id)
    const res = await t.app.gql(ViewerOcrUsage, {}, user.session)
    expect(res.data?.viewer?.ocrUsage).toEqual({ used: usage!.used, limit: 30, resetsAt: usage!.resetsAt!.toISOString(), plan: 'free', pagesWaiting: 0 })

    const completed = await db().page.findFirstOrThrow({ where: { userId: user.id, uuid: 'hw-todos' } })
    const id = encodeGlobalID('Page', completed.id)
    expect((await t.app.gql(RetryPageText, { id }, user.session)).data?.retryPageText).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' })
    expect((await t.app.gql(RetryPageText, { id }, user.apiToken)).data?.retryPageText).toMatchObject({ __typename: 'NotAllowedError' })
    const stranger = await createTestUser(db(), 'stranger@example.com', ['read', 'write'])
    expect((await t.app.gql(RetryPageText, { id }, stranger.session)).data?.retryPageText).toMatchObject({ __typename: 'NotFoundError' })
  })
})
