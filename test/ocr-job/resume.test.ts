// Pages over quota wait as pending_quota (their typed text flows on) and resume by themselves:
// at the period's reset, newest first, as many as the quota allows; and at once when the limit
// rises. The real worker runs one job at a time here, so the order pages are read in is visible.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, readRmFixture } from '../rm/fixturePaths.ts'
import { readOcrUsage, setUserPlan } from '../../server/quota/index.ts'
import type { TestUser } from '../helpers/users.ts'
import { makeNotebookUser, readJobs, readPendingSync, settled, startOcrJobApp, uploadTo, waitForPages, type OcrJobApp } from './helpers.ts'

const STROKES = 'Normal_A_stroke_2_layers.rm' // typed "A" and 2 strokes
const DAY = 86_400_000
const WAITING_REASON = /^OCR quota used up: (\d+) of \1 pages this period; resumes on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/

const ResumeOcrUsage = graphql(`query ResumeOcrUsage { viewer { ocrUsage { used limit resetsAt plan pagesWaiting } } }`)

let t: OcrJobApp
/** The user of the reset test, whose last waiting page the limit raise resumes. */
let resetUser: TestUser
const db = () => t.app.database.db
const usage = async (user: TestUser) => (await readOcrUsage(db(), t.app.services.config.ocr.quota, user.id))!

async function resumeJobOf(user: TestUser) {
  return (await readJobs(t.app, 'resume_ocr_quota')).filter((job) => job.key === `resume_ocr_quota:${user.id}`)
}

/** What happens when the period's end arrives: reset_at and the resume job's run_at are in the past. */
async function passResetOf(user: TestUser) {
  await t.app.database.query(`update quota_usage set period_start = period_start - interval '31 days', reset_at = now() - interval '1 second' where user_id = $1`, [user.id])
  await t.app.database.query(`update graphile_worker._private_jobs set run_at = now() where key = $1`, [`resume_ocr_quota:${user.id}`])
}

beforeAll(async () => {
  if (!HAS_RM_FIXTURES) return
  t = await startOcrJobApp({ WORKER_CONCURRENCY: '1', OCR_QUOTA_PLANS: 'free:2,one:1,pro:5' })
})
afterAll(async () => {
  await t?.close()
})

describe.skipIf(!HAS_RM_FIXTURES)(HAS_RM_FIXTURES ? 'pages waiting for OCR quota' : `pages waiting for OCR quota (skipped: ${MISSING_FIXTURES_REASON})`, () => {
  it('gives the last unit to the first page; the next waits as pending_quota with its typed text, and a resume is due at the reset', async () => {
    const pages = ['last-a', 'last-b']
    const user = await makeNotebookUser(t, 'last-unit@example.com', 'nb-last', pages, 'one')
    for (const uuid of pages) await uploadTo(t, user, 'nb-last', uuid, readRmFixture(STROKES))
    const read = await waitForPages(t, user.id, pages, settled)
    expect(read.get('last-a')).toMatchObject({ ocrStatus: 'completed', ocrText: 'A\n\n- fake transcript\n' })
    const waiting = read.get('last-b')!
    expect(waiting).toMatchObject({ ocrStatus: 'pending_quota', ocrText: 'A' })
    expect(waiting.ocrError).toMatch(WAITING_REASON)
    expect(waiting.ocrError).toContain('1 of 1 pages')
    expect(await readPendingSync(t, user.id)).toContain(`page_text:${waiting.id}`)
    const { resetsAt } = await usage(user)
    expect(await resumeJobOf(user)).toMatchObject([{ run_at: resetsAt, payload: { userId: user.id } }])
  })

  it('at the reset, resumes the waiting pages newest first, as many as the limit allows, each flowing on to sync', async () => {
    const pages = ['r1', 'r2', 'r3', 'r4', 'r5']
    const user = (resetUser = await makeNotebookUser(t, 'reset@example.com', 'nb-reset', pages, 'free'))
    for (const uuid of pages) await uploadTo(t, user, 'nb-reset', uuid, readRmFixture(STROKES))
    const first = await waitForPages(t, user.id, pages, settled)
    expect(pages.map((uuid) => first.get(uuid)!.ocrStatus)).toEqual(['completed', 'completed', 'pending_quota', 'pending_quota', 'pending_quota'])
    const before = await usage(user)
    expect(before).toMatchObject({ used: 2, limit: 2, pagesWaiting: 3 })
    const gql = await t.app.gql(ResumeOcrUsage, {}, user.session)
    expect(gql.data?.viewer?.ocrUsage).toEqual({ used: 2, limit: 2, resetsAt: before.resetsAt!.toISOString(), plan: 'free', pagesWaiting: 3 })
    expect(await resumeJobOf(user)).toMatchObject([{ run_at: before.resetsAt }])

    await db().syncRecord.updateMany({ where: { userId: user.id }, data: { status: 'success' } })
    await passResetOf(user)
    const resumed = await waitForPages(t, user.id, ['r4', 'r5'], (s) => s === 'completed')
    // Newest first: r5 was read before r4; r3 still waits for the next period.
    expect(resumed.get('r5')!.textReadyAt!.getTime()).toBeLessThan(resumed.get('r4')!.textReadyAt!.getTime())
    expect(resumed.get('r5')!.ocrText).toBe('A\n\n- fake transcript\n')
    const r3 = await db().page.findFirstOrThrow({ where: { userId: user.id, uuid: 'r3' } })
    expect(r3.ocrStatus).toBe('pending_quota')
    expect(await readPendingSync(t, user.id)).toEqual(expect.arrayContaining([`page_text:${resumed.get('r4')!.id}`, `page_text:${resumed.get('r5')!.id}`]))
    expect(await readPendingSync(t, user.id)).not.toContain(`page_text:${r3.id}`)

    const after = await usage(user)
    expect(after).toMatchObject({ used: 2, limit: 2, pagesWaiting: 1 })
    expect(after.periodStart!.getTime()).toBeGreaterThan(before.periodStart!.getTime())
    // The next resume comes about one period later, no earlier than the new period's end could be.
    const [next] = await resumeJobOf(user)
    expect(next.run_at.getTime()).toBeGreaterThan(Date.now() + 29 * DAY)
  })

  it('resumes at once when the limit rises', async () => {
    const user = resetUser
    const raised = await setUserPlan(db(), t.app.services.config.ocr.quota, user.id, 'pro')
    expect(raised).toMatchObject({ ok: true, previous: 'free', plan: 'pro', limit: 5, resume: { kind: 'now' } })
    const r3 = (await waitForPages(t, user.id, ['r3'], (s) => s === 'completed')).get('r3')!
    expect(r3.ocrError).toBeNull()
    expect(await usage(user)).toMatchObject({ used: 3, limit: 5, pagesWaiting: 0 })
  })
})
