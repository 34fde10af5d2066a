// Settings → Integrations in a real Chromium against a real server, worker, desktop agent and the
// Notion fake: a wrong token and an unshared database said in words, connect, catch-up progress to
// 100 % (over a reload), dry run and its preview, pause (a change waits as pending) and resume,
// failed items with Retry, the Obsidian card from the agent's report, the Markdown download, the OCR
// hint, disconnect. Screenshots of each state at laptop and phone widths (test-results/screenshots/).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { quietLogger } from '../helpers/config.ts'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { makeNotionDatabaseSchema } from '../../server/notion/databaseProperties.ts'
import { startWorker, type StartedWorker } from '../../worker/startWorker.ts'
import { buildDashboardIfStale } from '../../scripts/buildDashboard.ts'
import { graphql } from '../gql/index.ts'
import { IntegrationsCreateToken, IntegrationsSignUp } from '../integrations/operations.ts'
import { DEMO_NOTEBOOK_UUID, HAS_DESKTOP_FIXTURE, MISSING_DESKTOP_FIXTURE_REASON, REPO_ROOT, makeTempDirs, type TempDirs } from '../agent/desktopFixture.ts'
import { HAS_CHROMIUM, MISSING_CHROMIUM_REASON, launchBrowser, type Browser } from './browser.ts'
import { makeTodoPage } from './todoPageFile.ts'

// Each step waits on a real worker and agent; on a loaded 2-core machine that takes longer than the default.
vi.setConfig({ testTimeout: 90_000 })

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots')
const TODO_PAGE_UUID = 'd0d0d0d0-0000-4000-8000-000000000004'
const skipReason = !HAS_CHROMIUM ? MISSING_CHROMIUM_REASON : !HAS_DESKTOP_FIXTURE ? MISSING_DESKTOP_FIXTURE_REASON : ''

const NotebookMarkdown = graphql(`
  query IntegrationsPageNotebookMarkdown { viewer { id notebooks(first: 50) { edges { node { id uuid markdown } } } } }
`)

let webDir: string
let vaultDir: string
let notion: NotionFake
let app: TestApp
let worker: StartedWorker | undefined
let browser: Browser
let tab: Page
let dirs: TempDirs
let agent: ChildProcess | undefined
let agentOutput = ''
let session = ''
const pageErrors: string[] = []
const notionDb = { token: '', databaseId: '', unsharedDatabaseId: '' }

const startTestWorker = async () => (worker = await startWorker(app.services.config, app.database.url, quietLogger, { pollInterval: 100 }))
const integrationsUrl = () => `${app.url}/dashboard/settings/integrations`
const notionCard = () => tab.getByTestId('target-card-notion')
const progress = () => tab.getByTestId('sync-progress')

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

function writeTodoPage(ticked: boolean) {
  writeFileSync(path.join(dirs.folder, DEMO_NOTEBOOK_UUID, `${TODO_PAGE_UUID}.rm`), makeTodoPage('Before the offsite', [{ text: 'Call the printer', done: ticked }, { text: 'Book the venue', done: true }]))
}

function addTodoPageToNotebook() {
  const content = path.join(dirs.folder, `${DEMO_NOTEBOOK_UUID}.content`)
  const json = JSON.parse(readFileSync(content, 'utf8'))
  json.cPages.pages.push({ id: TODO_PAGE_UUID, idx: { timestamp: '1:9', value: 'bd' } })
  writeFileSync(content, JSON.stringify(json))
  writeTodoPage(false)
}

/** Until every uploaded page's text is read (so a stopped worker holds only sync work). */
async function untilTextRead(minPages: number) {
  for (;;) {
    const r = await app.database.query(`select count(*)::int as all, count(*) filter (where ocr_status in ('pending', 'processing'))::int as open from pages where file_sha256 is not null`)
    if (r.rows[0].all >= minPages && r.rows[0].open === 0) return
    await new Promise((res) => setTimeout(res, 100))
  }
}

async function screenshot(name: string, schemes: readonly ('light' | 'dark')[] = ['light']) {
  for (const [label, size] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
    await tab.setViewportSize(size)
    for (const scheme of schemes) {
      await tab.emulateMedia({ colorScheme: scheme })
      await tab.evaluate(() => window.scrollTo(0, 0))
      await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      await tab.screenshot({ path: path.join(SCREENSHOTS, `integrations-${name}-${label}-${scheme}.png`), fullPage: true, animations: 'disabled' })
    }
  }
  await tab.setViewportSize({ width: 1280, height: 800 })
  await tab.emulateMedia({ colorScheme: 'light' })
}

beforeAll(async () => {
  if (skipReason) return
  webDir = mkdtempSync(path.join(tmpdir(), 'rmirror-web-'))
  vaultDir = mkdtempSync(path.join(tmpdir(), 'rmirror-vault-'))
  const nodeEnv = process.env.NODE_ENV
  delete process.env.NODE_ENV
  await buildDashboardIfStale(quietLogger, webDir)
  process.env.NODE_ENV = nodeEnv
  notion = await startNotionFake({ rateLimit: false })
  const { token } = notion.addIntegration({ name: 'rmirror' })
  const home = notion.createPage({ title: 'Home', shareWith: token })
  const database = notion.createDatabase({ parentId: home.id, title: 'reMarkable', properties: makeNotionDatabaseSchema() as any, shareWith: token })
  const privatePage = notion.createPage({ title: 'Private' })
  const unshared = notion.createDatabase({ parentId: privatePage.id, title: 'Private notes', properties: makeNotionDatabaseSchema() as any })
  Object.assign(notionDb, { token, databaseId: database.id, unsharedDatabaseId: unshared.id })
  app = await startTestApp({
    webDistDir: webDir,
    env: { NOTION_API_BASE_URL: notion.url, NOTION_REQUESTS_PER_SECOND: '100', NOTION_REQUEST_BURST: '100', RETRY_BASE_MS: '50' },
  })
  await startTestWorker()
  dirs = await makeTempDirs()
  addTodoPageToNotebook()
  mkdirSync(SCREENSHOTS, { recursive: true })

  const signUp = await app.gql(IntegrationsSignUp, { input: { email: 'iris@example.com', password: 'correct horse battery' } })
  if (signUp.data?.signUp.__typename !== 'AuthPayload') throw new Error(JSON.stringify(signUp))
  session = signUp.data.signUp.token
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
  await notion?.close()
  await dirs?.remove()
  if (webDir) rmSync(webDir, { recursive: true, force: true })
  if (vaultDir) rmSync(vaultDir, { recursive: true, force: true })
})

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !tab) return
  await tab.screenshot({ path: path.join(SCREENSHOTS, `failed-integrations-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {})
  console.log(`agent output:\n${agentOutput}\npage errors:\n${pageErrors.join('\n')}`)
})

describe.skipIf(!!skipReason)(`the integrations page in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('before connecting: the steps in words, and a wrong token rejected in words', async () => {
    await untilTextRead(4)
    await tab.goto(integrationsUrl())
    await notionCard().getByText('Make an integration in Notion').waitFor()
    expect(await notionCard().getByTestId('target-status').textContent()).toBe('Not connected')
    expect(await tab.getByLabel('Internal Integration Secret').getAttribute('type')).toBe('password')
    await screenshot('not-connected', ['light', 'dark'])

    await tab.getByLabel('Internal Integration Secret').fill('ntn_this_is_not_a_real_token_0000000000000000000')
    await tab.getByRole('button', { name: 'Find databases' }).click()
    const error = tab.getByTestId('notion-token-error')
    await error.waitFor()
    expect(await error.textContent()).toContain('Notion rejected the integration token')
    await screenshot('wrong-token')
  })

  it('an unshared database is said to be unshared; the shared one passes the test', async () => {
    await tab.getByLabel('Internal Integration Secret').fill(notionDb.token)
    await tab.getByRole('button', { name: 'Find databases' }).click()
    await tab.getByTestId('notion-databases').getByText('reMarkable').waitFor()
    expect(await tab.getByTestId('notion-databases').textContent()).not.toContain('Private notes')

    await tab.getByLabel('Another database (paste its link)').check()
    await tab.getByLabel('Database link or id').fill(notionDb.unsharedDatabaseId)
    await tab.getByRole('button', { name: 'Test connection' }).click()
    const result = tab.getByTestId('notion-test-result')
    await result.waitFor()
    expect(await result.getAttribute('data-ok')).toBe('false')
    const words = await result.textContent()
    expect(words).toContain('Notion accepts the token')
    expect(words).toContain('The database is not shared with the integration')
    expect(words).toMatch(/Connections/)
    expect(await tab.getByRole('button', { name: 'Save and start syncing' }).isDisabled()).toBe(true)
    await screenshot('database-not-shared')

    await tab.getByLabel(/^reMarkable/).check()
    await tab.getByRole('button', { name: 'Test connection' }).click()
    await tab.getByTestId('notion-test-result').and(tab.locator('[data-ok="true"]')).waitFor()
    expect(await tab.getByTestId('notion-test-result').textContent()).toContain('It has every property the sync fills')
    await screenshot('test-passed')
  })

  it('connecting shows catch-up progress, which survives a reload and reaches 100 %', async () => {
    // Held, so the catch-up is seen under way.
    await worker!.stop()
    await tab.getByRole('button', { name: 'Save and start syncing' }).click()
    await tab.getByTestId('notion-connected').waitFor()
    await progress().getByText(/Catching up: 0 of \d+ items \(0 %\)/).waitFor()
    const pending = Number(await progress().getAttribute('data-pending'))
    expect(pending).toBeGreaterThan(0)
    expect(await notionCard().textContent()).toContain(`••••${notionDb.token.slice(-4)}`)
    expect(await notionCard().textContent()).not.toContain(notionDb.token)
    await screenshot('catching-up')
    await tab.reload()
    await progress().getByText(/Catching up: 0 of \d+ items \(0 %\)/).waitFor()
    expect(Number(await progress().getAttribute('data-pending'))).toBe(pending)

    await startTestWorker()
    await progress().getByText(/Up to date: (\d+) of \1 items \(100 %\)/).waitFor({ timeout: 30_000 })
    expect(await progress().getAttribute('data-percent')).toBe('100')
    await tab.getByTestId('notion-last-synced').getByText('just now').waitFor()
    expect(await tab.getByTestId('notion-counts').textContent()).toMatch(/\d+ synced0 pending0 failed/)
    await screenshot('up-to-date', ['light', 'dark'])
  })

  it('dry run: a change on the tablet is planned, shown in words, and not sent', async () => {
    const writes = () => notion.requestLog().filter((r) => r.method !== 'GET' && !r.path.endsWith('/query')).length
    const writesBefore = writes()
    await tab.getByRole('switch', { name: 'Dry run' }).click()
    const preview = tab.getByTestId('dry-run-preview')
    await preview.waitFor()
    const picker = preview.getByLabel('Notebook')
    if (await picker.count()) await picker.selectOption({ label: 'Demo notebook' })
    writeTodoPage(true)
    const plan = preview.getByTestId('dry-run-plan')
    await plan.getByText(/Call the printer/).waitFor({ timeout: 30_000 })
    const text = await plan.textContent()
    expect(text).toContain('Change a block to ticked todo “Call the printer”')
    expect(text).not.toMatch(/[{}]/)
    expect(await preview.textContent()).toContain('Nothing was sent.')
    await progress().getByText(/Dry run: \d+ items? (is|are) planned, not sent\./).waitFor()
    expect(writes()).toBe(writesBefore)
    await screenshot('dry-run')

    // Leaving dry run sends what was planned.
    await tab.getByRole('switch', { name: 'Dry run' }).click()
    await preview.waitFor({ state: 'detached' })
    await progress().getByText(/Up to date/).waitFor({ timeout: 30_000 })
  })

  it('paused, a change waits as pending; resumed, it syncs — a refused one is listed with Retry', async () => {
    await tab.getByRole('switch', { name: 'Sync to Notion' }).click()
    await notionCard().getByTestId('target-status').getByText('Paused').waitFor()
    writeTodoPage(false)
    await progress().getByText(/Paused: \d+ items? waits? until you turn syncing back on\./).waitFor({ timeout: 30_000 })
    expect(Number(await progress().getAttribute('data-pending'))).toBeGreaterThan(0)
    await screenshot('paused')

    notion.faults.failNext(100, { status: 400, code: 'validation_error', message: 'Notion refused this block', match: (r) => r.bodyText.includes('Call the printer') })
    await tab.getByRole('switch', { name: 'Sync to Notion' }).click()
    const failedButton = tab.getByTestId('notion-counts').getByRole('button', { name: /failed/ })
    await failedButton.waitFor({ timeout: 30_000 })
    await failedButton.click()
    const item = tab.getByTestId('failed-item').first()
    await item.getByText('Notion refused this block').waitFor()
    await screenshot('failed-items')

    notion.faults.clear()
    // Each Retry changes the list live (the item leaves it), so a button can be replaced while it is
    // being clicked: a click that loses its element is simply tried again on the list as it is now.
    const deadline = Date.now() + 60_000
    while ((await tab.getByTestId('failed-item').count()) && Date.now() < deadline) {
      await tab.getByTestId('failed-item').first().getByRole('button', { name: /^Retry/ }).click({ timeout: 2_000 }).catch(() => {})
      await tab.waitForTimeout(50)
    }
    expect(await tab.getByTestId('failed-item').count()).toBe(0)
    await progress().getByText(/Up to date: (\d+) of \1 items \(100 %\)/).waitFor({ timeout: 30_000 })
    expect(await tab.getByTestId('notion-counts').textContent()).toContain('0 pending0 failed')
  })

  it('the Obsidian card shows what the agent wrote to the vault, live', async () => {
    const card = tab.getByTestId('target-card-obsidian')
    expect(await card.getByTestId('obsidian-command').textContent()).toBe('npm run agent -- obsidian "PATH/TO/VAULT" --watch')
    await card.getByTestId('target-status').getByText('Agent not run yet').waitFor()
    const run = runAgent(['obsidian', vaultDir])
    expect(await untilExit(run), agentOutput).toBe(0)
    const row = card.getByTestId('obsidian-notebook').filter({ hasText: 'Demo notebook' })
    await row.getByText('In the vault').waitFor()
    expect(await row.textContent()).toContain('reMarkable/')
    await card.getByTestId('target-status').getByText('Up to date').waitFor()
    await screenshot('obsidian')
  })

  it('a notebook downloads as its Markdown; a handwritten page says how to turn OCR on', async () => {
    await tab.goto(`${app.url}/dashboard`)
    await tab.getByRole('link', { name: 'Demo notebook' }).click()
    await tab.waitForURL(/\/dashboard\/notebooks\/.+/)
    const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByTestId('download-markdown').click()])
    const file = await download.path()
    const expected = await app.gql(NotebookMarkdown, {}, session)
    const demo = expected.data?.viewer?.notebooks.edges.find((e) => e.node.uuid === DEMO_NOTEBOOK_UUID)?.node
    expect(demo?.markdown).toContain('Call the printer')
    expect(readFileSync(file, 'utf8')).toBe(demo?.markdown)
    expect(download.suggestedFilename()).toMatch(/\.md$/)

    const hint = tab.locator('[data-testid="page-card"][data-page-number="3"]').getByTestId('ocr-how-to')
    await hint.getByRole('link', { name: 'How to turn OCR on' }).click()
    await tab.waitForURL(/\/dashboard\/settings\/integrations#ocr$/)
    expect(await tab.getByTestId('ocr-provider').textContent()).toContain('None')
    expect(await tab.getByTestId('ocr-how-to').textContent()).toContain('OCR_PROVIDER=openai')
  })

  it('disconnecting asks first, saying what stays in Notion', async () => {
    await tab.goto(integrationsUrl())
    await tab.getByRole('button', { name: 'Disconnect Notion…' }).click()
    const confirm = tab.getByTestId('disconnect-confirm')
    expect(await confirm.textContent()).toContain('Everything already in “reMarkable” stays in Notion')
    await screenshot('disconnect-confirm')
    await confirm.getByRole('button', { name: 'Yes, disconnect' }).click()
    await notionCard().getByTestId('notion-connect').waitFor()
    expect(await notionCard().getByTestId('target-status').textContent()).toBe('Not connected')
    expect(await tab.getByLabel('Internal Integration Secret').inputValue()).toBe('')
    expect(pageErrors).toEqual([])
  })
})
