// Search in the dashboard, in a real Chromium against a real server, worker, desktop agent and the
// Notion fake: type a query in the header, see the hits grouped by notebook with the matched words
// marked, narrow them by kind, open one and land on its page card, marked; then the open todos of
// every notebook, following a todo ticked on the tablet live. Screenshots at laptop and phone widths,
// light and dark (test-results/screenshots/search-*, todos-*, search-hit-*).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { quietLogger } from '../helpers/config.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
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
const skipReason = !HAS_CHROMIUM ? MISSING_CHROMIUM_REASON : !HAS_DESKTOP_FIXTURE ? MISSING_DESKTOP_FIXTURE_REASON : ''

let webDir: string
let notion: NotionFake
let app: TestApp
let worker: StartedWorker | undefined
let browser: Browser
let tab: Page
let dirs: TempDirs
let user: TestUser
let agent: ChildProcess | undefined
let agentOutput = ''
const pageErrors: string[] = []

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

/** The tablet's page of checkboxes in the Demo notebook, as it is written on the tablet. */
function writeTodoPage(todos: { text: string; done: boolean }[]) {
  writeFileSync(path.join(dirs.folder, DEMO_NOTEBOOK_UUID, `${TODO_PAGE_UUID}.rm`), makeTodoPage('Before the offsite', todos))
}

/** A second notebook with the same word in it, written straight to the database (the agent has one notebook to upload). */
async function seedOffsiteNotebook(userId: number) {
  const db = app.database.db
  const nb = await db.notebook.create({ data: { userId, uuid: 'offsite-plans', visibleName: 'Offsite plans', type: 'NOTEBOOK', folderPath: 'Work' } })
  const page = await db.page.create({
    data: {
      userId, notebookId: nb.id, notebookUuid: nb.uuid, uuid: 'offsite-p1', ocrStatus: 'completed', textReadyAt: new Date(),
      // Markup in a page is text: it must never reach the page as an element.
      ocrText: 'Venue shortlist\n\nThe printer <img src=x onerror="window.__injected=1"> at the venue makes the badges.',
    },
  })
  await db.notebookPage.create({ data: { notebookId: nb.id, pageId: page.id, pageNumber: 1 } })
  await db.todo.create({ data: { userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId: page.id, pageNumber: 1, text: 'Ask the printer for a quote', contentHash: 'q', fuzzySignature: 'q', confusionKey: 'q' } })
}

const hits = (p: Page) => p.getByTestId('search-hit')
const searchBox = (p: Page) => p.getByRole('searchbox', { name: 'Search pages, todos and highlights' })

async function screenshot(p: Page, name: string) {
  await p.mouse.move(0, 0) // no hover state in the pictures
  for (const [label, size] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
    await p.setViewportSize(size)
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme })
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      await p.screenshot({ path: path.join(SCREENSHOTS, `${name}-${label}-${scheme}.png`), animations: 'disabled' })
    }
  }
  await p.setViewportSize({ width: 1280, height: 800 })
  await p.emulateMedia({ colorScheme: 'light' })
}

beforeAll(async () => {
  if (skipReason) return
  webDir = mkdtempSync(path.join(tmpdir(), 'rmirror-web-'))
  const nodeEnv = process.env.NODE_ENV
  delete process.env.NODE_ENV
  await buildDashboardIfStale(quietLogger, webDir)
  process.env.NODE_ENV = nodeEnv
  notion = await startNotionFake({ rateLimit: false })
  const { token } = notion.addIntegration({ name: 'rmirror' })
  const home = notion.createPage({ title: 'Home', shareWith: token })
  const database = notion.createDatabase({ parentId: home.id, title: 'reMarkable', properties: makeNotionDatabaseSchema() as any, shareWith: token })
  app = await startTestApp({
    webDistDir: webDir,
    env: { NOTION_API_BASE_URL: notion.url, NOTION_REQUESTS_PER_SECOND: '100', NOTION_REQUEST_BURST: '100', RETRY_BASE_MS: '50' },
  })
  worker = await startWorker(app.services.config, app.database.url, quietLogger, { pollInterval: 100 })
  user = await createTestUser(app.database.db, 'grace@example.com', ['agent'])
  const connected = await app.gql(ConnectNotion, { input: { target: 'NOTION', notion: { token, databaseId: database.id, dataSourceId: database.dataSourceId } } }, user.session)
  expect(connected.data?.connectIntegration.__typename).toBe('Integration')
  await seedOffsiteNotebook(user.id)

  dirs = await makeTempDirs()
  const content = path.join(dirs.folder, `${DEMO_NOTEBOOK_UUID}.content`)
  const json = JSON.parse(readFileSync(content, 'utf8'))
  json.cPages.pages.push({ id: TODO_PAGE_UUID, idx: { timestamp: '1:9', value: 'bd' } })
  writeFileSync(content, JSON.stringify(json))
  writeTodoPage([{ text: 'Call the printer', done: false }, { text: 'Book the venue', done: true }])
  expect(await untilExit(runAgent(['login', '--url', app.url, '--token', user.apiToken])), agentOutput).toBe(0)
  agent = runAgent(['watch', dirs.folder, '--poll', '250'])

  mkdirSync(SCREENSHOTS, { recursive: true })
  browser = await launchBrowser()
  browser.context.setDefaultTimeout(10_000)
  browser.context.on('weberror', (e) => pageErrors.push(String(e.error())))
  browser.context.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
  tab = await browser.context.newPage()
  // Signed in: the dashboard keeps its session token in localStorage.
  await tab.goto(`${app.url}/login`)
  await tab.evaluate((t) => localStorage.setItem('rmirror.session', t), user.session)
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

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !tab) return
  await tab.screenshot({ path: path.join(SCREENSHOTS, `failed-search-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {})
  console.log(`agent output:\n${agentOutput}\npage errors:\n${pageErrors.join('\n')}`)
})

describe.skipIf(!!skipReason)(`search in the dashboard, in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('types a query from the header (/) and sees the hits grouped by notebook, the words marked', async () => {
    await tab.goto(`${app.url}/dashboard`)
    // The agent's upload and the worker's reading: the Demo notebook's todo page is ready.
    await tab.getByTestId('notebook-row').filter({ hasText: 'Demo notebook' }).getByText('1 open · 1 done todos').waitFor({ timeout: 30_000 })
    await tab.locator('body').press('/')
    expect(await searchBox(tab).evaluate((el) => el === document.activeElement)).toBe(true)
    await tab.keyboard.type('printer')
    await tab.waitForURL(`${app.url}/dashboard/search?q=printer`)
    const groups = tab.getByTestId('search-group')
    await hits(tab).nth(3).waitFor()
    expect(await groups.count()).toBe(2)
    expect(await groups.nth(0).getByRole('heading').textContent()).toMatch(/Demo notebook|Offsite plans/)
    const offsite = groups.filter({ hasText: 'Offsite plans' })
    expect(await offsite.getByTestId('search-hit').count()).toBe(2)
    const demo = groups.filter({ hasText: 'Demo notebook' })
    expect(await demo.getByTestId('search-hit').count()).toBe(2)
    // Every mark is the matched word; the page's markup stayed text.
    const marks = await tab.locator('[data-testid="snippet"] mark').allTextContents()
    expect(marks.length).toBeGreaterThanOrEqual(4)
    expect(marks.map((m) => m.toLowerCase()), marks.join('|')).toEqual(marks.map(() => 'printer'))
    expect(await tab.locator('[data-testid="search-group"] img').count()).toBe(0)
    expect(await tab.evaluate(() => (window as any).__injected)).toBeUndefined()
    // A reload shows the same search (it lives in the address).
    await tab.reload()
    await hits(tab).nth(3).waitFor()
    expect(await searchBox(tab).inputValue()).toBe('printer')
  })

  it('narrows the hits by kind, in the address too', async () => {
    await tab.getByRole('button', { name: 'Todos' }).click()
    await tab.waitForURL(`${app.url}/dashboard/search?q=printer&kinds=TODO`)
    await tab.waitForFunction(() => document.querySelectorAll('[data-testid="search-hit"]').length === 2)
    expect(await tab.locator('[data-testid="search-hit"][data-kind="TODO"]').count()).toBe(2)
    await tab.getByRole('button', { name: 'Todos' }).click()
    await tab.waitForURL(`${app.url}/dashboard/search?q=printer`)
    await hits(tab).nth(3).waitFor()
    await screenshot(tab, 'search')
  })

  it('opens a hit: the notebook scrolled to the page card, the hit marked; Ctrl-K searches again from there', async () => {
    await tab.getByTestId('search-group').filter({ hasText: 'Demo notebook' }).locator('[data-testid="search-hit"][data-kind="PAGE"]').getByRole('link').click()
    await tab.waitForURL(/\/dashboard\/notebooks\/[^?]+\?hit=.+#page-4$/)
    const card = tab.locator('[data-testid="page-card"][data-page-number="4"]')
    await card.getByText('Search result').waitFor()
    expect(await card.getAttribute('data-hit')).toBe('true')
    expect(await tab.locator('[data-testid="page-card"][data-hit]').count()).toBe(1)
    await tab.waitForFunction(() => {
      const r = document.querySelector('[data-testid="page-card"][data-page-number="4"]')!.getBoundingClientRect()
      return r.top >= 0 && r.top < window.innerHeight
    })
    await screenshot(tab, 'search-hit')
    // The todo hit marks its row at the top as well.
    await tab.goBack()
    await tab.waitForURL(`${app.url}/dashboard/search?q=printer`)
    await tab.getByTestId('search-group').filter({ hasText: 'Demo notebook' }).locator('[data-testid="search-hit"][data-kind="TODO"]').getByRole('link').click()
    await tab.locator('[data-testid="todo"][data-hit]').filter({ hasText: 'Call the printer' }).waitFor()

    await tab.keyboard.press('Control+k')
    expect(await searchBox(tab).evaluate((el) => el === document.activeElement)).toBe(true)
    await tab.keyboard.type('venue')
    await tab.waitForURL(`${app.url}/dashboard/search?q=venue`)
    await tab.getByTestId('search-group').filter({ hasText: 'Offsite plans' }).waitFor()
  })

  it('lists every open todo with its page and sync state, and follows a todo ticked on the tablet live', async () => {
    await tab.getByRole('link', { name: 'Todos', exact: true }).click()
    await tab.waitForURL(`${app.url}/dashboard/todos`)
    const row = (text: string) => tab.getByTestId('open-todo').filter({ hasText: text })
    await row('Call the printer').waitFor()
    await row('Ask the printer for a quote').waitFor()
    expect(await tab.getByTestId('open-todo').filter({ hasText: 'Book the venue' }).count()).toBe(0)
    expect(await tab.getByTestId('todo-group').count()).toBe(2)
    await row('Call the printer').getByTestId('todo-sync').getByText('Synced').waitFor({ timeout: 20_000 })
    expect(await row('Call the printer').getByRole('link').textContent()).toBe('p.\u00a04')
    await screenshot(tab, 'todos')

    // On the tablet: the printer is called, and a new box is drawn. The agent uploads the page.
    writeTodoPage([{ text: 'Call the printer', done: true }, { text: 'Book the venue', done: true }, { text: 'Order name badges', done: false }])
    await row('Order name badges').waitFor({ timeout: 20_000 })
    await tab.waitForFunction(() => ![...document.querySelectorAll('[data-testid="open-todo"]')].some((r) => r.textContent?.includes('Call the printer')))
    await row('Ask the printer for a quote').waitFor()
    // The page link opens the todo's page card, marked.
    await row('Order name badges').getByRole('link').click()
    await tab.waitForURL(/#page-4$/)
    await tab.locator('[data-testid="todo"][data-hit]').filter({ hasText: 'Order name badges' }).waitFor()
    expect(pageErrors).toEqual([])
  })
})
