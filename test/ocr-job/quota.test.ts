// OCR quota at the database: charges per page and bytes, the last unit, periods, refunds, plan
// changes, and two connections racing for the last unit (many rounds).
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { makeDb, type Db } from '../../server/db.ts'
import {
  consumeOcrPage, describeOcrQuotaUsedUp, readOcrUsage, refundOcrPage, resumeOcrQuota, scheduleOcrResume, setUserPlan, type OcrQuotaSettings,
} from '../../server/quota/index.ts'
import { runQuotaSetPlan } from '../../scripts/quotaSetPlan.ts'

const settings: OcrQuotaSettings = { plans: { free: 3, one: 1, none: 0, pro: 10 }, periodDays: 30 }
const DAY = 86_400_000
const sha = (label: string) => createHash('sha256').update(label).digest('hex')

let t: TestDatabase
let other: Db
let userId: number
let notebookId: number
let pageIds: number[] = []

async function makePage(uuid: string, uploadedAt = new Date()): Promise<number> {
  const page = await t.db.page.create({ data: { userId, notebookId, notebookUuid: 'nb-quota', uuid, fileSha256: sha(uuid), uploadedAt } })
  return page.id
}

async function resumeJobs() {
  const { rows } = await t.query<{ key: string; run_at: Date; due: boolean }>(
    `select j.key, j.run_at, j.run_at <= now() as due from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = 'resume_ocr_quota'`,
  )
  return rows
}

async function usage() {
  return (await readOcrUsage(t.db, settings, userId))!
}

beforeAll(async () => {
  t = await createTestDatabase()
  other = makeDb(t.url, { poolSize: 2 })
})
afterAll(async () => {
  await other?.$disconnect()
  await t?.drop()
})
beforeEach(async () => {
  await t.query(`delete from users`)
  await t.query(`delete from graphile_worker._private_jobs`)
  const user = await t.db.user.create({ data: { email: 'quota@example.com', passwordHash: 'x' } })
  userId = user.id
  notebookId = (await t.db.notebook.create({ data: { userId, uuid: 'nb-quota', visibleName: 'Quota', type: 'NOTEBOOK' } })).id
  pageIds = []
  for (const uuid of ['p1', 'p2', 'p3', 'p4']) pageIds.push(await makePage(uuid))
})

describe('OCR quota', () => {
  it('has no period before first use; the first charge starts one of 30 days', async () => {
    expect(await usage()).toMatchObject({ plan: 'free', used: 0, limit: 3, remaining: 3, resetsAt: null, periodStart: null, pagesWaiting: 0 })
    expect(await consumeOcrPage(t.db, settings, userId, pageIds[0], sha('a'))).toEqual({ ok: true, charged: true })
    const after = await usage()
    expect(after).toMatchObject({ used: 1, limit: 3, remaining: 2 })
    expect(after.resetsAt!.getTime() - after.periodStart!.getTime()).toBe(30 * DAY)
  })

  it('gives the last unit to one page and refuses the next, leaving no charge behind', async () => {
    for (const id of pageIds.slice(0, 3)) expect(await consumeOcrPage(t.db, settings, userId, id, sha('a'))).toMatchObject({ ok: true, charged: true })
    const refused = await consumeOcrPage(t.db, settings, userId, pageIds[3], sha('a'))
    expect(refused).toMatchObject({ ok: false, usage: { used: 3, limit: 3, remaining: 0 } })
    expect(await t.db.ocrCharge.count({ where: { pageId: pageIds[3] } })).toBe(0)
    if (refused.ok) return
    expect(describeOcrQuotaUsedUp(refused.usage)).toMatch(/^OCR quota used up: 3 of 3 pages this period; resumes on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/)
    // A page charged before is still read while the quota is used up (a retry of the same bytes).
    expect(await consumeOcrPage(t.db, settings, userId, pageIds[0], sha('a'))).toEqual({ ok: true, charged: false })
  })

  it('charges a page once per bytes: a retry is free, new bytes are charged, and so is going back to old bytes', async () => {
    const [p] = pageIds
    expect(await consumeOcrPage(t.db, settings, userId, p, sha('a'))).toEqual({ ok: true, charged: true })
    expect(await consumeOcrPage(t.db, settings, userId, p, sha('a'))).toEqual({ ok: true, charged: false })
    expect(await consumeOcrPage(t.db, settings, userId, p, sha('b'))).toEqual({ ok: true, charged: true })
    expect(await consumeOcrPage(t.db, settings, userId, p, sha('a'))).toEqual({ ok: true, charged: true })
    expect((await usage()).used).toBe(3)
  })

  it('starts a new period at the first charge after the reset, and reads an ended period as unused', async () => {
    for (const id of pageIds.slice(0, 3)) await consumeOcrPage(t.db, settings, userId, id, sha('a'))
    await t.query(`update quota_usage set period_start = now() - interval '31 days', reset_at = now() - interval '1 day'`)
    expect(await usage()).toMatchObject({ used: 0, remaining: 3, resetsAt: null, periodStart: null })
    expect(await consumeOcrPage(t.db, settings, userId, pageIds[3], sha('a'))).toEqual({ ok: true, charged: true })
    const { rows } = await t.query(`select used, period_start > now() - interval '1 minute' as fresh, reset_at - period_start = interval '30 days' as month from quota_usage`)
    expect(rows).toEqual([{ used: 1, fresh: true, month: true }])
  })

  it('gives a unit back for a refused request, but an older period’s charge does not lower the new one', async () => {
    await consumeOcrPage(t.db, settings, userId, pageIds[0], sha('a'))
    await consumeOcrPage(t.db, settings, userId, pageIds[1], sha('a'))
    expect(await refundOcrPage(t.db, pageIds[0], sha('other'))).toBe(false) // not the bytes charged
    expect(await refundOcrPage(t.db, pageIds[0], sha('a'))).toBe(true)
    expect((await usage()).used).toBe(1)
    expect(await refundOcrPage(t.db, pageIds[0], sha('a'))).toBe(false) // once only
    // The charge of p2 was made in a period that has ended; a new period has begun since.
    await t.query(`update quota_usage set period_start = now() - interval '31 days', reset_at = now() - interval '1 day'`)
    await t.query(`update ocr_charges set charged_at = now() - interval '20 days'`)
    await consumeOcrPage(t.db, settings, userId, pageIds[2], sha('a'))
    expect(await refundOcrPage(t.db, pageIds[1], sha('a'))).toBe(false)
    expect((await usage()).used).toBe(1)
    expect(await t.db.ocrCharge.count({ where: { pageId: pageIds[1] } })).toBe(0)
  })

  it('takes limits from the plan: an unknown plan gets the free limit, a plan of 0 pages never starts a period', async () => {
    await t.db.user.update({ where: { id: userId }, data: { plan: 'gone-plan' } })
    expect((await usage()).limit).toBe(3)
    await t.db.user.update({ where: { id: userId }, data: { plan: 'none' } })
    const refused = await consumeOcrPage(t.db, settings, userId, pageIds[0], sha('a'))
    expect(refused).toMatchObject({ ok: false, usage: { used: 0, limit: 0, resetsAt: null } })
    if (!refused.ok) expect(describeOcrQuotaUsedUp(refused.usage)).toBe('OCR quota: the none plan includes no handwriting pages; the page resumes by itself when the limit rises')
  })

  it('two connections racing for the last unit: exactly one wins, every round', async () => {
    const rounds = 40
    let wins = 0
    for (let round = 0; round < rounds; round++) {
      // A running period with 2 of 3 used: one unit left.
      await t.query(`delete from ocr_charges; delete from quota_usage`)
      await t.query(`insert into quota_usage (user_id, quota_type, used, "limit", period_start, reset_at) values ($1, 'ocr_pages', 2, 3, now(), now() + interval '30 days')`, [userId])
      const results = await Promise.all([
        consumeOcrPage(t.db, settings, userId, pageIds[0], sha(`round-${round}`)),
        consumeOcrPage(other, settings, userId, pageIds[1], sha(`round-${round}`)),
      ])
      expect(results.filter((r) => r.ok).length, `round ${round}`).toBe(1)
      wins += results.filter((r) => r.ok).length
      const { rows } = await t.query(`select (select used from quota_usage) as used, (select count(*)::int from ocr_charges) as charges`)
      expect(rows[0], `round ${round}`).toEqual({ used: 3, charges: 1 })
    }
    expect(wins).toBe(rounds)
  })

  it('two connections racing at a period reset, and two charging the same bytes: one unit taken each time', async () => {
    await t.db.user.update({ where: { id: userId }, data: { plan: 'one' } })
    for (let round = 0; round < 30; round++) {
      await t.query(`delete from ocr_charges; delete from quota_usage`)
      await t.query(`insert into quota_usage (user_id, quota_type, used, "limit", period_start, reset_at) values ($1, 'ocr_pages', 1, 1, now() - interval '31 days', now() - interval '1 day')`, [userId])
      const atReset = await Promise.all([
        consumeOcrPage(t.db, settings, userId, pageIds[0], sha('a')),
        consumeOcrPage(other, settings, userId, pageIds[1], sha('a')),
      ])
      expect(atReset.filter((r) => r.ok).length, `reset round ${round}`).toBe(1)
      await t.query(`delete from ocr_charges; delete from quota_usage`)
      const samePage = await Promise.all([
        consumeOcrPage(t.db, settings, userId, pageIds[2], sha('a')),
        consumeOcrPage(other, settings, userId, pageIds[2], sha('a')),
      ])
      expect(samePage.map((r) => r.ok && r.charged).sort(), `same page round ${round}`).toEqual([false, true])
      const { rows } = await t.query(`select used from quota_usage`)
      expect(rows).toEqual([{ used: 1 }])
    }
  })

  it('schedules one resume job per user: at the reset when full, now when there is room, never postponing an earlier one', async () => {
    await t.db.user.update({ where: { id: userId }, data: { plan: 'one' } })
    expect(await scheduleOcrResume(t.db, settings, userId)).toEqual({ kind: 'none' }) // nothing waits
    await consumeOcrPage(t.db, settings, userId, pageIds[0], sha('a'))
    await t.db.page.update({ where: { id: pageIds[1] }, data: { ocrStatus: 'pending_quota' } })
    const atReset = await scheduleOcrResume(t.db, settings, userId)
    const resetsAt = (await usage()).resetsAt!
    expect(atReset).toEqual({ kind: 'at', runAt: resetsAt })
    expect(await resumeJobs()).toEqual([{ key: `resume_ocr_quota:${userId}`, run_at: resetsAt, due: false }])

    const raised = await setUserPlan(t.db, settings, userId, 'pro')
    expect(raised).toMatchObject({ ok: true, previous: 'one', plan: 'pro', limit: 10, resume: { kind: 'now' } })
    expect(await resumeJobs()).toMatchObject([{ key: `resume_ocr_quota:${userId}`, due: true }])
    // A page written as waiting after the raise saw the old limit: its schedule keeps the job due now.
    await t.db.user.update({ where: { id: userId }, data: { plan: 'one' } })
    await scheduleOcrResume(t.db, settings, userId)
    expect(await resumeJobs()).toMatchObject([{ due: true }])
  })

  it('refuses an unknown plan, naming the configured ones', async () => {
    expect(await setUserPlan(t.db, settings, userId, 'platinum')).toEqual({
      ok: false,
      error: { code: 'unknown_plan', message: 'No plan "platinum"; the configured plans are free, one, none, pro (OCR_QUOTA_PLANS)' },
    })
    expect(await setUserPlan(t.db, settings, userId + 1000, 'pro')).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('resumes waiting pages newest first, as many as there is room for, and comes back at the next reset for the rest', async () => {
    const base = Date.now() - 60_000
    const waiting: number[] = []
    for (let i = 0; i < 4; i++) {
      const id = await makePage(`w${i}`, new Date(base + i * 1000))
      await t.db.page.update({ where: { id }, data: { ocrStatus: 'pending_quota', ocrError: 'OCR quota used up' } })
      waiting.push(id)
    }
    await consumeOcrPage(t.db, settings, userId, pageIds[0], sha('a')) // 1 of 3 used: room for 2
    const outcome = await resumeOcrQuota(t.db, settings, userId)
    const resetsAt = (await usage()).resetsAt!
    expect(outcome).toEqual({ resumed: [waiting[3], waiting[2]], stillWaiting: 2, next: resetsAt })
    const pages = await t.db.page.findMany({ where: { id: { in: waiting } }, orderBy: { id: 'asc' } })
    expect(pages.map((p) => [p.ocrStatus, p.ocrError])).toEqual([
      ['pending_quota', 'OCR quota used up'], ['pending_quota', 'OCR quota used up'], ['pending', null], ['pending', null],
    ])
    // The queue runs by priority, then run_at: the newest page first, both already due.
    const { rows } = await t.query<{ key: string; due: boolean }>(
      `select j.key, j.run_at <= now() as due from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
       where k.identifier = 'extract_page' order by j.priority, j.run_at`,
    )
    expect(rows).toEqual([{ key: `extract_page:${waiting[3]}`, due: true }, { key: `extract_page:${waiting[2]}`, due: true }])
    expect(await resumeJobs()).toEqual([{ key: `resume_ocr_quota:${userId}`, run_at: resetsAt, due: false }])

    // No room left until the reset: nothing more is queued.
    await consumeOcrPage(t.db, settings, userId, waiting[3], sha('w3'))
    await consumeOcrPage(t.db, settings, userId, waiting[2], sha('w2'))
    expect(await resumeOcrQuota(t.db, settings, userId)).toEqual({ resumed: [], stillWaiting: 2, next: resetsAt })
  })

  it('after a reset with more pages waiting than the limit, comes back about one period later', async () => {
    await t.db.user.update({ where: { id: userId }, data: { plan: 'one' } })
    for (const id of pageIds.slice(0, 3)) await t.db.page.update({ where: { id }, data: { ocrStatus: 'pending_quota' } })
    const outcome = await resumeOcrQuota(t.db, settings, userId)
    expect(outcome.resumed).toHaveLength(1)
    expect(outcome.stillWaiting).toBe(2)
    expect(Math.abs(outcome.next!.getTime() - (Date.now() + 30 * DAY))).toBeLessThan(60_000)
  })

  it('npm run quota:set-plan moves a user to a plan and says what happens to the waiting pages', async () => {
    const env = { DATABASE_URL: t.url, OCR_QUOTA_PLANS: 'free:1,pro:10', LOG_LEVEL: 'silent' }
    const lines: string[] = []
    await consumeOcrPage(t.db, { plans: { free: 1 }, periodDays: 30 }, userId, pageIds[0], sha('a'))
    await t.db.page.update({ where: { id: pageIds[1] }, data: { ocrStatus: 'pending_quota' } })
    expect(await runQuotaSetPlan(['QUOTA@example.com', 'Pro'], (line) => lines.push(line), env)).toBe(0)
    expect(lines[0]).toBe('quota@example.com: plan free → pro (10 handwriting pages per 30 days)')
    expect(lines[1]).toMatch(/^this period: 1 of 10 used, resets \d{4}-.*; 1 page\(s\) waiting$/)
    expect(lines[2]).toBe('the waiting pages resume now (a worker picks them up)')
    expect(await resumeJobs()).toMatchObject([{ key: `resume_ocr_quota:${userId}`, due: true }])

    lines.length = 0
    expect(await runQuotaSetPlan(['quota@example.com', 'gold'], (line) => lines.push(line), env)).toBe(1)
    expect(lines).toEqual(['No plan "gold"; the configured plans are free, pro (OCR_QUOTA_PLANS)'])
    expect(await runQuotaSetPlan(['nobody@example.com', 'pro'], (line) => lines.push(line), env)).toBe(1)
    expect(await runQuotaSetPlan(['only-one-arg'], (line) => lines.push(line), env)).toBe(2)
  })
})
