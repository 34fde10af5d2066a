/**
 * Hostile requests against a running server (issue 15): a crafted page drawn at the widest thumbnail
 * (100 × 20000, every width a fresh render), the 22-level fragment fan-out query, a flood of made-up
 * tokens, and a 10,000-page syncNotebookMetadata call. During each, /healthz is asked every 50 ms;
 * printed per phase: /healthz latency p50/p99/max, the server's event-loop delay (p99 of 100 ms
 * windows, max) and RSS (start, peak, growth). Goal: /healthz p99 < 100 ms, RSS growth < 200 MB.
 * The server is `npm run server` started here as a child process (with bench/hostileProbe.ts loaded
 * to report its RSS and event-loop delay) on a fresh database.
 * Run: npm run bench:hostile   (DATABASE_URL optional: a throwaway database is made on it)
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBenchDatabase, machineLine, percentile } from './lib/benchDatabase.ts'
import { makeDb } from '../server/db.ts'
import { createSession } from '../server/auth/sessions.ts'
import { encodeGlobalID } from '../server/schema/globalIds.ts'
import { V6_HEADER } from '../server/rm/index.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Sample {
  rss: number
  delayMaxMs: number
  delayP99Ms: number
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** A valid page whose SceneInfo block states a 100 × 20000 paper size. */
function makeCraftedPage(): Uint8Array {
  const body = [0x1c, 6, 0, 0, 0, 0x1f, 1, 1, 0x2f, 0, 0, 0x5c, 8, 0, 0, 0]
  const size = new DataView(new ArrayBuffer(8))
  size.setUint32(0, 100, true)
  size.setUint32(4, 20_000, true)
  const block = Uint8Array.from([...body, ...new Uint8Array(size.buffer)])
  const header = new DataView(new ArrayBuffer(8))
  header.setUint32(0, block.length, true)
  header.setUint8(5, 1)
  header.setUint8(6, 1)
  header.setUint8(7, 0x0d)
  return Uint8Array.from([...new TextEncoder().encode(V6_HEADER), ...new Uint8Array(header.buffer), ...block])
}

function fragmentChain(levels: number): string {
  let query = '{ viewer { ...F0 } }\n'
  for (let i = 0; i < levels - 1; i++) query += `fragment F${i} on Viewer { ...F${i + 1} ...F${i + 1} }\n`
  return query + `fragment F${levels - 1} on Viewer { id }\n`
}

async function main() {
  const database = await createBenchDatabase()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-hostile-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const samples: Sample[] = []
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--import', path.join(root, 'bench', 'hostileProbe.ts'), path.join(root, 'server', 'index.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', SERVE_WEB: 'false', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', RMIRROR_DATA_DIR: dataDir, API_RATE_LIMIT_PER_SECOND: '1000', API_RATE_LIMIT_BURST: '1000' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  server.on('message', (m) => samples.push(m as Sample))
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false)
      if (ok) break
      if (i > 600) throw new Error('the server did not start')
      await new Promise((r) => setTimeout(r, 100))
    }
    const db = makeDb(database.url, { poolSize: 2 })
    const user = await db.user.create({ data: { email: 'hostile@example.com', passwordHash: 'x' } })
    const token = await createSession(db, user.id)
    const post = async (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) => {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
      return res.json() as Promise<any>
    }
    const sync = (pageUuids: string[]) =>
      post({ query: 'mutation($input: SyncNotebookMetadataInput!) { syncNotebookMetadata(input: $input) { __typename } }', variables: { input: { notebooks: [{ uuid: 'big', visibleName: 'Big', type: 'NOTEBOOK', pageUuids }] } } })

    // The crafted page, uploaded once.
    await post({ query: 'mutation($input: SyncNotebookMetadataInput!) { syncNotebookMetadata(input: $input) { __typename } }', variables: { input: { notebooks: [{ uuid: 'crafted', visibleName: 'Crafted', type: 'NOTEBOOK', pageUuids: ['crafted-page'] }] } } })
    const form = new FormData()
    form.append('operations', JSON.stringify({ query: 'mutation($input: UploadPageInput!) { uploadPage(input: $input) { __typename } }', variables: { input: { notebookUuid: 'crafted', pageUuid: 'crafted-page', file: null } } }))
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }))
    form.append('0', new Blob([Buffer.from(makeCraftedPage())]), 'page.rm')
    await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
    const pageId = (await db.page.findFirstOrThrow({ where: { uuid: 'crafted-page' } })).id

    const phases: [string, () => Promise<unknown>][] = [
      ['idle (2 s)', () => new Promise((r) => setTimeout(r, 2000))],
      ['crafted page: 24 thumbnails 100x20000 (w 1404 down), 4 at a time', async () => {
        const widths = Array.from({ length: 24 }, (_, i) => 1404 - i * 10)
        const one = async (width: number) => {
          const r = await post({ query: 'query($id: ID!, $w: Int) { node(id: $id) { ... on Page { thumbnailUrl(width: $w) } } }', variables: { id: encodeGlobalID('Page', pageId), w: width } })
          const url = r.data?.node?.thumbnailUrl
          if (url) await (await fetch(`${base}${url}`)).arrayBuffer()
        }
        for (let i = 0; i < widths.length; i += 4) await Promise.all(widths.slice(i, i + 4).map(one))
      }],
      ['fragment fan-out: 22 levels x 50 (POST, anonymous)', async () => {
        const query = fragmentChain(22)
        for (let i = 0; i < 50; i++) await post({ query }, {})
      }],
      ['token flood: 2000 made-up tokens, 20 at a time', async () => {
        for (let i = 0; i < 100; i++) await Promise.all(Array.from({ length: 20 }, (_, j) => post({ query: '{ viewer { id } }' }, { authorization: `Bearer rmc_flood-${i}-${j}-${Math.random()}` })))
      }],
      ['metadata: 10,000 pages, then reversed', async () => {
        const pageUuids = Array.from({ length: 10_000 }, (_, i) => `page-${i}`)
        const a = await sync(pageUuids)
        const b = await sync([...pageUuids].reverse())
        if (a.data?.syncNotebookMetadata?.__typename !== 'SyncNotebookMetadataPayload' || b.data?.syncNotebookMetadata?.__typename !== 'SyncNotebookMetadataPayload') throw new Error(`metadata call failed: ${JSON.stringify([a, b]).slice(0, 300)}`)
      }],
    ]

    console.log(`bench:hostile — ${machineLine()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
    console.log('phase'.padEnd(66) + ' | time    | /healthz p50 / p99 / max   | loop delay p99 / max | RSS start → peak (growth)')
    const startRss = samples.at(-1)?.rss ?? 0
    for (const [name, run] of phases) {
      const from = samples.length
      const latencies: number[] = []
      let running = true
      const poll = (async () => {
        while (running) {
          const t = performance.now()
          await fetch(`${base}/healthz`).then((r) => r.arrayBuffer())
          latencies.push(performance.now() - t)
          await new Promise((r) => setTimeout(r, 50))
        }
      })()
      const t0 = performance.now()
      await run()
      const ms = performance.now() - t0
      running = false
      await poll
      await new Promise((r) => setTimeout(r, 150))
      const window = samples.slice(from)
      const rssStart = samples[from - 1]?.rss ?? window[0]?.rss ?? 0
      const rssPeak = Math.max(...window.map((s) => s.rss))
      const mb = (b: number) => `${Math.round(b / 1e6)} MB`
      console.log(
        `${name.padEnd(66)} | ${(ms / 1000).toFixed(1).padStart(5)} s | ${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} / ${Math.max(...latencies).toFixed(1)} ms (n=${latencies.length})`.padEnd(128) +
          ` | ${percentile(window.map((s) => s.delayP99Ms), 99).toFixed(1)} / ${Math.max(...window.map((s) => s.delayMaxMs)).toFixed(1)} ms | ${mb(rssStart)} → ${mb(rssPeak)} (+${mb(rssPeak - rssStart)})`,
      )
    }
    const endRss = samples.at(-1)?.rss ?? 0
    console.log(`RSS over the whole run: ${Math.round(startRss / 1e6)} MB → ${Math.round(Math.max(...samples.map((s) => s.rss)) / 1e6)} MB peak, ${Math.round(endRss / 1e6)} MB at the end`)
    await db.$disconnect()
  } finally {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    await database.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
