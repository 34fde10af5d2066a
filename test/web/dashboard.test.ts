// The dashboard in a real Chromium against a real server, worker, desktop agent and the Notion fake:
// sign up, make a token, run the agent, watch the notebook arrive and its pages and todos sync — live,
// in a second tab too — then screenshots of the three main screens at laptop and phone widths, light
// and dark (test-results/screenshots/).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { quietLogger } from '../helpers/config.ts'
import { startNotionFake, type NotionFake } from '../fakes/notion/index.ts'
import { makeNotionDatabaseSchema } from '../../server/notion/databaseProperties.ts'
import { startWorker, type StartedWorker } from '../../worker/startWorker.ts'
import { buildDashboardIfStale } from '../../scripts/buildDashboard.ts'
import { ConnectNotion } from '../integrations/operations.ts'
import { DEMO_NOTEBOOK_UUID, HAS_DESKTOP_FIXTURE, MISSING_DESKTOP_FIXTURE_REASON, REPO_ROOT, makeTempDirs, type TempDirs } from '../agent/desktopFixture.ts'
import { HAS_CHROMIUM, MISSING_CHROMIUM_REASON, launchBrowser, type Browser } from './browser.ts'
import { makeTodoPage } from './todoPageFile.ts'

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots')
const TODO_PAGE_UUID = 'd0d0d0d0-0000-4000-8000-000000000004'
const EMAIL = 'ada@example.com'
const PASSWORD = 'correct horse battery'
const skipReason = !HAS_CHROMIUM ? MISSING_CHROMIUM_REASON : !HAS_DESKTOP_FIXTURE ? MISSING_DESKTOP_FIXTURE_REASON : ''

let webDir: string
let notion: NotionFake
let app: TestApp
let worker: StartedWorker | undefined
let browser: Browser
let tab: Page
let tab2: Page
let dirs: TempDirs
let agent: ChildProcess | undefined
let agentOutput = ''
/** Script errors in the pages; none is expected. */
const pageErrors: string[] = []
let apiToken = ''
let notebookUrl = ''
const notionDb = { token: '', databaseId: '', dataSourceId: '' }

const startTestWorker = async () => (worker = await startWorker(app.services.config, app.database.url, quietLogger, { pollInterval: 100 }))

/** `npm run agent -- …` as a user runs it, with its settings and state in temp folders. */
function runAgent(args: string[]): ChildProcess {
  const child = spawn('npm', ['run', '--silent', 'agent', '--', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, RMIRROR_AGENT_CONFIG_DIR: dirs.configDir, RMIRROR_AGENT_STATE_DIR: dirs.stateDir, NODE_ENV: 'production' },
    detached: true, // its own process group, so stopping it stops npm's child too
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

/** Adds a page of checkboxes to the notebook in the agent's folder (written as the tablet would). */
function writeTodoPage(ticked: boolean) {
  const file = path.join(dirs.folder, DEMO_NOTEBOOK_UUID, `${TODO_PAGE_UUID}.rm`)
  writeFileSync(file, makeTodoPage('Before the offsite', [{ text: 'Call the printer', done: ticked }, { text: 'Book the venue', done: true }]))
}

function addTodoPageToNotebook() {
  const content = path.join(dirs.folder, `${DEMO_NOTEBOOK_UUID}.content`)
  const json = JSON.parse(readFileSync(content, 'utf8'))
  json.cPages.pages.push({ id: TODO_PAGE_UUID, idx: { timestamp: '1:9', value: 'bd' } })
  writeFileSync(content, JSON.stringify(json))
  writeTodoPage(false)
}

const pageCard = (p: Page, n: number) => p.locator(`[data-testid="page-card"][data-page-number="${n}"]`)
const todoRow = (p: Page, text: string) => p.locator('[data-testid="todo"]', { hasText: text })

async function screenshot(p: Page, name: string) {
  for (const [label, size] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
    await p.setViewportSize(size)
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme })
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      // What a person sees on opening the page (a full-page capture would draw the sticky header mid-page).
      await p.screenshot({ path: path.join(SCREENSHOTS, `${name}-${label}-${scheme}.png`), animations: 'disabled' })
    }
  }
  await p.setViewportSize({ width: 1280, height: 800 })
  await p.emulateMedia({ colorScheme: 'light' })
}

beforeAll(async () => {
  if (skipReason) return
  webDir = mkdtempSync(path.join(tmpdir(), 'rmirror-web-'))
  // A production build, as users get it (vitest's NODE_ENV=test would give React's development build).
  const nodeEnv = process.env.NODE_ENV
  delete process.env.NODE_ENV
  await buildDashboardIfStale(quietLogger, webDir)
  process.env.NODE_ENV = nodeEnv
  notion = await startNotionFake({ rateLimit: false })
  const { token } = notion.addIntegration({ name: 'rmirror' })
  const home = notion.createPage({ title: 'Home', shareWith: token })
  const database = notion.createDatabase({ parentId: home.id, title: 'reMarkable', properties: makeNotionDatabaseSchema() as any, shareWith: token })
  Object.assign(notionDb, { token, databaseId: database.id, dataSourceId: database.dataSourceId })
  app = await startTestApp({
    webDistDir: webDir,
    env: { NOTION_API_BASE_URL: notion.url, NOTION_REQUESTS_PER_SECOND: '100', NOTION_REQUEST_BURST: '100', RETRY_BASE_MS: '50' },
  })
  await startTestWorker()
  dirs = await makeTempDirs()
  addTodoPageToNotebook()
  mkdirSync(SCREENSHOTS, { recursive: true })
  browser = await launchBrowser()
  // A step that cannot happen fails with what it waited for, well before the test's own timeout.
  browser.context.setDefaultTimeout(10_000)
  browser.context.on('weberror', (e) => pageErrors.push(String(e.error())))
  browser.context.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
  tab = await browser.context.newPage()
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
})

// A failed step leaves a picture of what the page showed, and the page's script errors.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !tab) return
  await tab.screenshot({ path: path.join(SCREENSHOTS, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {})
  if (pageErrors.length) console.log(`page errors:\n${pageErrors.join('\n')}`)
})

describe.skipIf(!!skipReason)(`the dashboard in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('signs up, keeps the session over a reload, and greets an empty library with what to do first', async () => {
    await tab.goto(`${app.url}/dashboard`)
    await tab.waitForURL(/\/login\?next=%2Fdashboard$/)
    await tab.getByRole('link', { name: 'Create an account' }).click()
    await tab.getByLabel('Email').fill(EMAIL)
    await tab.getByLabel('Password').fill('short')
    await tab.getByRole('button', { name: 'Create account' }).click()
    // The API's typed error, as a sentence beside its field.
    await tab.getByText('Use at least 10 characters').waitFor()
    await tab.getByLabel('Password').fill(PASSWORD)
    await tab.getByRole('button', { name: 'Create account' }).click()
    await tab.waitForURL(`${app.url}/dashboard`)
    await tab.getByTestId('getting-started').waitFor()
    await tab.reload()
    await tab.getByTestId('getting-started').waitFor()
    expect(await tab.getByTestId('ocr-quota').textContent()).toContain('0 of 30 pages')
    // A second tab of the same browser: signed in too, and it must follow everything live.
    tab2 = await browser.context.newPage()
    await tab2.goto(`${app.url}/dashboard`)
    await tab2.getByTestId('getting-started').waitFor()
  })

  it('makes an API token: shown once, with the agent’s login and watch commands filled in', async () => {
    await tab.getByRole('link', { name: 'Make a token' }).click()
    await tab.waitForURL(`${app.url}/dashboard/settings/tokens`)
    await tab.getByLabel('Name').fill('Laptop agent')
    await tab.getByRole('button', { name: 'Make token' }).click()
    apiToken = (await tab.getByTestId('new-token-value').textContent()) ?? ''
    expect(apiToken).toMatch(/^rmc_/)
    expect(await tab.getByTestId('agent-login-command').textContent()).toBe(`npm run agent -- login --url ${app.url} --token ${apiToken}`)
    expect(await tab.getByTestId('agent-watch-command').textContent()).toMatch(/^npm run agent -- watch ".+remarkable.+desktop"$/)
    await tab.getByRole('button', { name: 'Done' }).click()
    await tab.getByTestId('token-row').filter({ hasText: 'Laptop agent' }).getByText('Never used').waitFor()
    expect(await tab.getByTestId('token-list').textContent()).not.toContain(apiToken)
  })

  it('the real agent uploads the desktop folder; the notebook appears in both tabs without a reload', async () => {
    await tab.getByRole('link', { name: 'Notebooks' }).click()
    await tab.getByTestId('getting-started').waitFor()
    const login = runAgent(['login', '--url', app.url, '--token', apiToken])
    expect(await untilExit(login), agentOutput).toBe(0)
    agent = runAgent(['watch', dirs.folder, '--poll', '250'])
    for (const p of [tab, tab2]) {
      const row = p.getByTestId('notebook-row').filter({ hasText: 'Demo notebook' })
      await row.waitFor({ timeout: 20_000 }).catch(async (e) => {
        console.log(`agent output:\n${agentOutput}\npage errors: ${pageErrors.join('\n')}`)
        throw e
      })
      await row.getByText('4 pages').waitFor()
      await row.getByText('1 open · 1 done todos').waitFor()
    }
    await tab.getByRole('heading', { name: 'Work' }).waitFor()
    // Search by name, on the server.
    await tab.getByLabel('Search notebooks by name').fill('nothing like it')
    await tab.getByText('No notebook name contains “nothing like it”.').waitFor()
    await tab.getByLabel('Search notebooks by name').fill('DEMO')
    await tab.getByTestId('notebook-row').filter({ hasText: 'Demo notebook' }).waitFor()
    await tab.getByLabel('Search notebooks by name').fill('')
  })

  it('opens the notebook: todos at the top, pages in order, each saying where its text stands', async () => {
    await tab.getByRole('link', { name: 'Demo notebook' }).click()
    await tab.waitForURL(/\/dashboard\/notebooks\/.+/)
    notebookUrl = tab.url()
    // A deep link survives a reload (the server answers index.html for it).
    await tab.reload()
    await todoRow(tab, 'Call the printer').waitFor()
    expect(await todoRow(tab, 'Call the printer').getAttribute('data-completed')).toBe('false')
    expect(await todoRow(tab, 'Book the venue').getAttribute('data-completed')).toBe('true')
    await pageCard(tab, 2).getByTestId('ocr-status').getByText('Text ready').waitFor()
    await pageCard(tab, 1).getByText('Typed text only — handwriting needs an OCR provider').waitFor()
    await pageCard(tab, 3).getByText('Handwriting needs an OCR provider').waitFor()
    expect(await pageCard(tab, 2).getByTestId('page-preview').textContent()).toContain('B is a letter of the alphabet')
    await pageCard(tab, 2).getByRole('button', { name: 'Show full text' }).click()
    await pageCard(tab, 2).getByRole('heading', { name: 'new line' }).waitFor()
    // The todo's page link jumps to its card.
    await todoRow(tab, 'Call the printer').getByRole('link', { name: 'Go to page 4' }).click()
    await tab.waitForURL(/#page-4$/)
    expect(await tab.evaluate(() => document.activeElement?.getAttribute('data-page-number'))).toBe('4')
    tab2.goto(notebookUrl)
    await pageCard(tab2, 4).waitFor()
  })

  it('connecting Notion shows every page Syncing…, then Synced or Failed live; Retry on the card fixes the refused page', async () => {
    // Held until the page shows the pending state, so "Syncing…" is seen for sure.
    await worker!.stop()
    const session = await tab.evaluate(() => localStorage.getItem('rmirror.session'))
    notion.faults.failNext(100, { status: 400, code: 'validation_error', message: 'Notion refused this block', match: (r) => r.bodyText.includes('B is a letter') })
    const connected = await app.gql(ConnectNotion, { input: { target: 'NOTION', notion: notionDb } }, session!)
    expect(connected.data?.connectIntegration.__typename).toBe('Integration')
    for (const n of [1, 2, 4]) await pageCard(tab, n).getByText('Notion: Syncing…').waitFor()
    await todoRow(tab, 'Call the printer').getByText('Syncing…').waitFor()
    await tab.getByTestId('notebook-sync-badge').getByText(/Notion: syncing/).waitFor()

    await startTestWorker()
    await pageCard(tab, 1).getByText(/Last synced to Notion: just now/).waitFor({ timeout: 20_000 })
    await pageCard(tab, 2).getByText('Notion: Failed – Notion refused this block').waitFor()
    await tab.getByTestId('notebook-sync-badge').getByText('Notion: 1 failed').waitFor()
    await tab2.getByTestId('notebook-sync-badge').getByText('Notion: 1 failed').waitFor()

    notion.faults.clear()
    await pageCard(tab, 2).getByRole('button', { name: 'Retry' }).click()
    await pageCard(tab, 2).getByText(/Last synced to Notion: just now/).waitFor({ timeout: 20_000 })
    await tab.getByTestId('notebook-sync-badge').getByText('Notion: synced').waitFor()
  })

  it('a re-upload with a todo ticked changes its box, and its badge goes Syncing… → Synced', async () => {
    const tone = () => todoRow(tab, 'Call the printer').getByTestId('todo-sync').getAttribute('data-tone')
    await tab.waitForFunction(() => document.querySelector('[data-testid="todo"][data-completed="false"] [data-testid="todo-sync"]')?.getAttribute('data-tone') === 'success')
    // Every state the todo's icon shows from now on, in order.
    await tab.evaluate(() => {
      const seen: string[] = ((window as any).todoStates = [])
      new MutationObserver(() => {
        const row = [...document.querySelectorAll('[data-testid="todo"]')].find((r) => r.textContent?.includes('Call the printer'))
        const state = `${row?.getAttribute('data-completed')}:${row?.querySelector('[data-testid="todo-sync"]')?.getAttribute('data-tone')}`
        if (seen.at(-1) !== state) seen.push(state)
      }).observe(document.body, { subtree: true, childList: true, attributes: true })
    })
    notion.faults.setLatency(400) // the sync takes long enough for its pending state to show
    writeTodoPage(true)
    await tab.waitForFunction(() => (window as any).todoStates.at(-1) === 'true:success', undefined, { timeout: 20_000 })
    notion.faults.setLatency(0)
    const states: string[] = await tab.evaluate(() => (window as any).todoStates)
    expect(states).toContain('true:pending')
    expect(states.indexOf('true:pending')).toBeLessThan(states.lastIndexOf('true:success'))
    expect(await tone()).toBe('success')
    await tab2.getByTestId('page-card').first().waitFor()
    expect(await todoRow(tab2, 'Call the printer').getAttribute('data-completed')).toBe('true')
  })

  it('screenshots: a notebook', async () => {
    await tab.goto(notebookUrl)
    await pageCard(tab, 4).waitFor()
    await screenshot(tab, 'notebook')
  })

  it('screenshots: the notebook list', async () => {
    await tab.goto(`${app.url}/dashboard`)
    await tab.getByTestId('notebook-row').getByText('0 open · 2 done todos').waitFor()
    await screenshot(tab, 'dashboard')
  })

  it('screenshots: the token page', async () => {
    await tab.goto(`${app.url}/dashboard/settings/tokens`)
    await tab.getByTestId('token-row').getByText(/Last used/).waitFor()
    await screenshot(tab, 'tokens')
  })

  it('an expired session sends the user to log in, saying why; logging in returns them', async () => {
    await app.database.db.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } })
    await tab.goto(notebookUrl)
    await tab.getByText('Your session has ended. Log in again to continue.').waitFor()
    await tab.getByLabel('Email').fill(EMAIL)
    await tab.getByLabel('Password').fill(PASSWORD)
    await tab.getByRole('button', { name: 'Log in' }).click()
    await tab.waitForURL(notebookUrl)
    await todoRow(tab, 'Call the printer').waitFor()
    await tab.getByRole('button', { name: /Account menu/ }).click()
    await tab.getByRole('button', { name: 'Log out' }).click()
    await tab.waitForURL(/\/login/)
    // The other tab follows (the session token is shared through storage).
    await tab2.waitForURL(/\/login/)
  })
})
