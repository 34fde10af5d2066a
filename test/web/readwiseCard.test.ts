// The Readwise card on Settings → Integrations in a real Chromium against a real server, worker,
// desktop agent and the Readwise fake: a rejected token said in words, connect with a good one (its
// last 4 shown), page notes turned on, the catch-up reaching 100 % with the fixture notebook's items
// in the fake's highlights, disconnect (what stays in Readwise said). Screenshots at laptop and phone
// widths (test-results/screenshots/integrations-readwise-*).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { quietLogger } from '../helpers/config.ts'
import { startReadwiseFake, type ReadwiseFake } from '../fakes/readwise/index.ts'
import { startWorker, type StartedWorker } from '../../worker/startWorker.ts'
import { buildDashboardIfStale } from '../../scripts/buildDashboard.ts'
import { IntegrationsCreateToken, IntegrationsSignUp } from '../integrations/operations.ts'
import { HAS_DESKTOP_FIXTURE, MISSING_DESKTOP_FIXTURE_REASON, REPO_ROOT, makeTempDirs, type TempDirs } from '../agent/desktopFixture.ts'
import { HAS_CHROMIUM, MISSING_CHROMIUM_REASON, launchBrowser, type Browser } from './browser.ts'

vi.setConfig({ testTimeout: 90_000 })

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots')
const skipReason = !HAS_CHROMIUM ? MISSING_CHROMIUM_REASON : !HAS_DESKTOP_FIXTURE ? MISSING_DESKTOP_FIXTURE_REASON : ''

let webDir: string
let readwise: ReadwiseFake
let readwiseToken = ''
let app: TestApp
let worker: StartedWorker | undefined
let browser: Browser
let tab: Page
let dirs: TempDirs
let agent: ChildProcess | undefined
let agentOutput = ''
const pageErrors: string[] = []

const card = () => tab.getByTestId('target-card-readwise')

function runAgent(args: string[]): ChildProcess {
  const child = spawn('npm', ['run', '--silent', 'agent', '--', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, RMIRROR_AGENT_CONFIG_DIR: dirs.configDir, RMIRROR_AGENT_STATE_DIR: dirs.stateDir, NODE_ENV: 'production' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (agentOutput += d))
  child.stderr!.on('data', (d) => (agentOutput += d))
  return child
}

async function untilExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** Until every uploaded page's text is read. */
async function untilTextRead(minPages: number) {
  for (;;) {
    const r = await app.database.query(`select count(*)::int as all, count(*) filter (where ocr_status in ('pending', 'processing'))::int as open from pages where file_sha256 is not null`)
    if (r.rows[0].all >= minPages && r.rows[0].open === 0) return
    await new Promise((res) => setTimeout(res, 100))
  }
}

async function screenshot(name: string) {
  for (const [label, size] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
    await tab.setViewportSize(size)
    await tab.evaluate(() => window.scrollTo(0, 0))
    await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    // The whole page: an element shot of a card lower down is covered by the sticky header.
    await tab.screenshot({ path: path.join(SCREENSHOTS, `integrations-readwise-${name}-${label}.png`), fullPage: true, animations: 'disabled' })
  }
  await tab.setViewportSize({ width: 1280, height: 800 })
}

beforeAll(async () => {
  if (skipReason) return
  webDir = mkdtempSync(path.join(tmpdir(), 'rmirror-web-'))
  const nodeEnv = process.env.NODE_ENV
  delete process.env.NODE_ENV
  await buildDashboardIfStale(quietLogger, webDir)
  process.env.NODE_ENV = nodeEnv
  readwise = await startReadwiseFake({ rateLimit: false })
  readwiseToken = readwise.addAccount('Iris').token
  app = await startTestApp({ webDistDir: webDir, env: { READWISE_API_BASE_URL: readwise.url, RETRY_BASE_MS: '50' } })
  worker = await startWorker(app.services.config, app.database.url, quietLogger, { pollInterval: 100 })
  dirs = await makeTempDirs()
  mkdirSync(SCREENSHOTS, { recursive: true })

  const signUp = await app.gql(IntegrationsSignUp, { input: { email: 'iris@example.com', password: 'correct horse battery' } })
  if (signUp.data?.signUp.__typename !== 'AuthPayload') throw new Error(JSON.stringify(signUp))
  const session = signUp.data.signUp.token
  const created = await app.gql(IntegrationsCreateToken, { input: { name: 'agent', scopes: ['agent', 'read'] } }, session)
  if (created.data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error(JSON.stringify(created))
  const login = runAgent(['login', '--url', app.url, '--token', created.data.createApiToken.token])
  expect(await untilExit(login), agentOutput).toBe(0)
  agent = runAgent(['watch', dirs.folder, '--poll', '250'])

  browser = await launchBrowser()
  browser.context.setDefaultTimeout(15_000)
  browser.context.on('weberror', (e) => pageErrors.push(String(e.error())))
  browser.context.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
  tab = await browser.context.newPage()
  await tab.goto(`${app.url}/login`)
  await tab.evaluate((t) => localStorage.setItem('rmirror.session', t), session)
})

afterAll(async () => {
  if (agent?.pid && agent.exitCode === null) {
    process.kill(-agent.pid, 'SIGINT')
    await untilExit(agent)
  }
  await browser?.close()
  await worker?.stop()
  await app?.close()
  await readwise?.close()
  await dirs?.remove()
  if (webDir) rmSync(webDir, { recursive: true, force: true })
})

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !tab) return
  await tab.screenshot({ path: path.join(SCREENSHOTS, `failed-readwise-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {})
  console.log(`agent output:\n${agentOutput}\npage errors:\n${pageErrors.join('\n')}`)
})

describe.skipIf(!!skipReason)(`the Readwise card in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('says where the token is and rejects a wrong one in words', async () => {
    await untilTextRead(3)
    await tab.goto(`${app.url}/dashboard/settings/integrations`)
    await card().getByRole('link', { name: 'readwise.io/access_token' }).waitFor()
    expect(await card().getByTestId('target-status').textContent()).toBe('Not connected')
    const field = card().getByLabel('Readwise access token')
    expect(await field.getAttribute('type')).toBe('password')
    await field.fill('not-a-real-token-0000')
    await card().getByRole('button', { name: 'Connect' }).click()
    const error = card().getByTestId('readwise-token-error')
    await error.waitFor()
    expect(await error.textContent()).toContain('Readwise rejected the access token')
    await screenshot('rejected')
  })

  it('connects with a good token, shows its last 4 and catches up to 100 % on the fixture notebook', async () => {
    await card().getByLabel('Readwise access token').fill(readwiseToken)
    await card().getByRole('button', { name: 'Connect' }).click()
    await card().getByTestId('readwise-connected').waitFor()
    expect(await card().getByTestId('readwise-token-hint').textContent()).toContain(readwiseToken.slice(-4))
    expect(await card().getByTestId('target-status').textContent()).toBe('Connected')
    await card().getByRole('switch', { name: 'Send page notes too' }).click()
    await card().getByRole('switch', { name: 'Send page notes too', checked: true }).waitFor()
    await card().getByTestId('sync-progress').getByText(/Up to date: (\d+) of \1 items \(100 %\)/).waitFor({ timeout: 60_000 })
    expect(await card().getByTestId('readwise-counts').textContent()).toMatch(/[1-9]\d* synced0 pending0 failed/)
    const books = readwise.library(readwiseToken)
    expect(books.map((b) => b.title)).toContain('Demo notebook')
    expect(books.flatMap((b) => b.highlights).length).toBeGreaterThan(0)
    await screenshot('connected')
  })

  it('disconnects after saying what stays in Readwise', async () => {
    await card().getByRole('button', { name: 'Disconnect Readwise…' }).click()
    const confirm = card().getByTestId('disconnect-confirm')
    expect(await confirm.textContent()).toContain('stays in Readwise')
    await screenshot('disconnect')
    await confirm.getByRole('button', { name: 'Yes, disconnect' }).click()
    await card().getByTestId('readwise-connect').waitFor()
    expect(await card().getByTestId('target-status').textContent()).toBe('Not connected')
    expect(readwise.library(readwiseToken).flatMap((b) => b.highlights).length).toBeGreaterThan(0)
    expect(pageErrors).toEqual([])
  })
})
