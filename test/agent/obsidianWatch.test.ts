// `agent obsidian VAULT --watch` follows the markdownChanged subscription: a page's text, a rename, a
// hand-edit conflict and a delete reach the vault as the server announces them, with no pass in
// between. The latency from "text ready" to the file on disk is measured and printed, not asserted.
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { startVaultWatch, type VaultWatchHandle } from '../../agent/obsidian/vaultWatch.ts'
import type { VaultSummary } from '../../agent/obsidian/vaultSync.ts'
import { makeTypedPage, STYLE, syncLibrary, uploadAndExtract } from '../markdown/markdownLibrary.ts'

const NB = { uuid: 'w1000000-0000-4000-8000-000000000001', pages: ['w1000000-1111-4000-8000-000000000001', 'w1000000-1111-4000-8000-000000000002'] }

let app: TestApp
let user: TestUser
let root: string
let vault: string
let watch: VaultWatchHandle
const summaries: { summary: VaultSummary; reason: 'pass' | 'change' }[] = []
const logs: string[] = []

beforeAll(async () => {
  app = await startTestApp()
  user = await createTestUser(app.database.db, 'watch@example.com', ['agent', 'read'])
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-watch-'))
  vault = path.join(root, 'vault')
  fs.mkdirSync(vault)
  await syncLibrary(app, user, [{ uuid: NB.uuid, visibleName: 'Live', pageUuids: NB.pages }])
  watch = startVaultWatch({ vault, url: app.url, token: user.apiToken, stateDir: path.join(root, 'state'), log: (l) => logs.push(l), onSummary: (summary, reason) => summaries.push({ summary, reason }) })
  await watch.ready
})
afterAll(async () => {
  await watch?.stop()
  await app?.close()
  fs.rmSync(root, { recursive: true, force: true })
})

const file = (relative: string) => path.join(vault, ...relative.split('/'))

/** Waits (checking the disk every 5 ms, up to 10 s) until `check` holds; returns when it first did. */
async function waitFor(check: () => boolean, what: string): Promise<number> {
  // The monotonic clock: a wall-clock step must not end the wait early.
  const deadline = performance.now() + 10_000
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}; log: ${logs.join(' | ')}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return performance.now()
}

const contentOf = (relative: string) => (fs.existsSync(file(relative)) ? fs.readFileSync(file(relative), 'utf8') : '')

describe('agent obsidian --watch', () => {
  it('writes the library once at start', () => {
    expect(summaries[0]).toMatchObject({ reason: 'pass', summary: { written: 1 } })
    expect(contentOf('reMarkable/Live.md')).toContain('title: Live')
  })

  it('writes a page’s text as soon as it is ready, without a full pass', async () => {
    const passes = summaries.filter((s) => s.reason === 'pass').length
    const latencies: number[] = []
    for (const [i, text] of ['First live line', 'Второй живой текст', 'Third live line'].entries()) {
      await uploadAndExtract(app, user, NB.uuid, NB.pages[i % 2], makeTypedPage([[STYLE.plain, text]]))
      const textReady = performance.now() // extraction has committed the text
      const written = await waitFor(() => contentOf('reMarkable/Live.md').includes(text), `"${text}" in the vault`)
      latencies.push(written - textReady)
    }
    console.log(`obsidian --watch: text ready → file written: ${latencies.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`)
    expect(summaries.filter((s) => s.reason === 'pass').length).toBe(passes)
  })

  it('moves the file when the notebook is renamed', async () => {
    await syncLibrary(app, user, [{ uuid: NB.uuid, visibleName: 'Live renamed', pageUuids: NB.pages }])
    await waitFor(() => contentOf('reMarkable/Live renamed.md').includes('title: Live renamed'), 'the renamed file')
    expect(fs.existsSync(file('reMarkable/Live.md'))).toBe(false)
  })

  it('writes beside a file edited by hand, and says so', async () => {
    fs.appendFileSync(file('reMarkable/Live renamed.md'), '\nmine\n')
    await uploadAndExtract(app, user, NB.uuid, NB.pages[0], makeTypedPage([[STYLE.plain, 'After the edit']]))
    await waitFor(() => contentOf('reMarkable/Live renamed (rmirror).md').includes('After the edit'), 'the conflict copy')
    expect(contentOf('reMarkable/Live renamed.md')).toContain('\nmine\n')
    expect(logs.some((l) => l.includes('was edited in the vault'))).toBe(true)
  })

  it('takes a deleted notebook out of the vault', async () => {
    fs.unlinkSync(file('reMarkable/Live renamed.md')) // the user gives up their edit: the next write ends the conflict
    await uploadAndExtract(app, user, NB.uuid, NB.pages[1], makeTypedPage([[STYLE.plain, 'Resolved']]))
    await waitFor(() => contentOf('reMarkable/Live renamed.md').includes('Resolved'), 'the fresh file')
    const res = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.apiToken}` },
      body: JSON.stringify({ query: 'mutation($input: DeleteNotebookInput!) { deleteNotebook(input: $input) { __typename } }', variables: { input: { uuid: NB.uuid } } }),
    })
    expect(res.status).toBe(200)
    await waitFor(() => !fs.existsSync(file('reMarkable/Live renamed.md')), 'the removal')
    expect(fs.readdirSync(file('reMarkable'))).toEqual([])
  })

  it('stops cleanly', async () => {
    await watch.stop()
    expect(await watch.done).toBeNull()
  })
})

describe('agent obsidian --watch across a lost connection', () => {
  it('catches up with a full pass when it reconnects: a change made while it was cut off still arrives', async () => {
    // A TCP proxy between the agent and the server, whose connections the test cuts.
    const sockets = new Set<net.Socket>()
    const target = new URL(app.url)
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname)
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
        s.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`
    const uuid = 'w2000000-0000-4000-8000-000000000001'
    const page = 'w2000000-1111-4000-8000-000000000001'
    await syncLibrary(app, user, [{ uuid, visibleName: 'Offline', pageUuids: [page] }])
    const vault2 = path.join(root, 'vault2')
    fs.mkdirSync(vault2)
    const passes: VaultSummary[] = []
    const offlineLogs: string[] = []
    const handle = startVaultWatch({ vault: vault2, url: proxyUrl, token: user.apiToken, stateDir: path.join(root, 'state2'), log: (l) => offlineLogs.push(l), onSummary: (s, reason) => reason === 'pass' && passes.push(s) })
    try {
      await handle.ready
      const offlineFile = path.join(vault2, 'reMarkable', 'Offline.md')
      expect(fs.readFileSync(offlineFile, 'utf8')).toContain('title: Offline')
      proxy.close() // no new connections for now
      for (const s of sockets) s.destroy()
      await waitFor(() => offlineLogs.includes('connection to the server lost; reconnecting'), 'the agent to notice')
      await uploadAndExtract(app, user, uuid, page, makeTypedPage([[STYLE.plain, 'Written while the agent was cut off']]))
      await new Promise((r) => setTimeout(r, 300))
      expect(fs.readFileSync(offlineFile, 'utf8')).not.toContain('cut off') // the event was missed
      await new Promise<void>((resolve) => proxy.listen(Number(new URL(proxyUrl).port), '127.0.0.1', resolve))
      await waitFor(() => fs.readFileSync(offlineFile, 'utf8').includes('Written while the agent was cut off'), 'the catch-up pass')
      await waitFor(() => passes.length >= 2, 'the catch-up pass to end') // the file came from a pass, not an event
    } finally {
      await handle.stop()
      proxy.close()
      for (const s of sockets) s.destroy()
    }
  }, 30_000)
})
