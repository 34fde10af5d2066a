/**
 * Desktop agent upload throughput against the test stub of the GraphQL endpoint (test/agent/graphqlStub.ts,
 * which accepts every page), not the real server: it measures the agent's own cost (reading, hashing,
 * multipart requests over local HTTP, state). Generates N notebooks × M pages from the desktop fixture's
 * page files, each page with a different trailing byte run so every hash differs.
 * Run: npx tsx bench/agent-upload.ts [notebooks, default 50] [pages per notebook, default 20] [concurrency, default 4]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runUploadPass, type PassSummary } from '../agent/uploadPass.ts'
import { STUB_TOKEN, startGraphqlStub } from '../test/agent/graphqlStub.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtureDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'remarkable-desktop')
const notebookCount = Number(process.argv[2] ?? 50)
const pagesPerNotebook = Number(process.argv[3] ?? 20)
const concurrency = Number(process.argv[4] ?? 4)

if (!existsSync(fixtureDir)) {
  console.error(`no desktop fixture at ${fixtureDir}; nothing to measure`)
  process.exit(1)
}

const notebookDir = readdirSync(fixtureDir, { withFileTypes: true }).find((entry) => entry.isDirectory())!
const samples = readdirSync(path.join(fixtureDir, notebookDir.name))
  .filter((name) => name.endsWith('.rm'))
  .sort()
  .map((name) => readFileSync(path.join(fixtureDir, notebookDir.name, name)))

const uuidOf = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

async function makeLibrary(folder: string): Promise<{ pages: string[]; bytes: number }> {
  await mkdir(folder, { recursive: true })
  const pages: string[] = []
  let bytes = 0
  const folderUuid = uuidOf(0xf, 0)
  await writeFile(path.join(folder, `${folderUuid}.metadata`), JSON.stringify({ visibleName: 'Bench', type: 'CollectionType', parent: '', lastModified: '1764000000000' }))
  for (let n = 0; n < notebookCount; n++) {
    const notebookUuid = uuidOf(0xa, n)
    const pageIds = Array.from({ length: pagesPerNotebook }, (_, p) => uuidOf(0xb, n * pagesPerNotebook + p))
    await writeFile(path.join(folder, `${notebookUuid}.metadata`), JSON.stringify({ visibleName: `Notebook ${n}`, type: 'DocumentType', parent: folderUuid, lastModified: '1764000000000' }))
    const cPages = pageIds.map((id, p) => ({ id, idx: { timestamp: '1:1', value: `b${String.fromCharCode(97 + Math.floor(p / 26))}${String.fromCharCode(97 + (p % 26))}` } }))
    await writeFile(path.join(folder, `${notebookUuid}.content`), JSON.stringify({ fileType: 'notebook', formatVersion: 2, cPages: { pages: cPages }, tags: [] }))
    await mkdir(path.join(folder, notebookUuid))
    for (const [p, id] of pageIds.entries()) {
      const sample = samples[(n + p) % samples.length]
      const marker = Buffer.alloc(4)
      marker.writeUInt32BE(n * pagesPerNotebook + p)
      const file = path.join(folder, notebookUuid, `${id}.rm`)
      await writeFile(file, Buffer.concat([sample, marker]))
      pages.push(file)
      bytes += sample.length + marker.length
    }
  }
  return { pages, bytes }
}

function describePass(label: string, s: PassSummary): string {
  const rate = s.pagesUploaded / s.seconds
  return `${label}: ${s.seconds.toFixed(2)} s, ${s.pagesUploaded} uploaded, ${s.pagesUnchanged} unchanged, ${s.pagesFailed.length} failed` +
    (s.pagesUploaded ? `, ${rate.toFixed(0)} pages/s, ${(s.bytes / 1e6 / s.seconds).toFixed(1)} MB/s` : '')
}

const root = await mkdtemp(path.join(tmpdir(), 'rmirror-agent-bench-'))
const stub = await startGraphqlStub()
try {
  const folder = path.join(root, 'desktop')
  const stateDir = path.join(root, 'state')
  const made = await makeLibrary(folder)
  console.log(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(' ')} (${cpus().length} cores); against the in-process test stub, not the real server`)
  console.log(`library: ${notebookCount} notebooks × ${pagesPerNotebook} pages = ${made.pages.length} pages, ${(made.bytes / 1e6).toFixed(1)} MB; concurrency ${concurrency}`)
  const options = { folder, url: stub.url, token: STUB_TOKEN, stateDir, concurrency }

  const first = await runUploadPass(options)
  console.log(describePass('first pass (everything new)', first))
  const second = await runUploadPass(options)
  console.log(describePass('second pass (no change)', second))

  // New mtimes, same bytes: every file is read and hashed again, none is sent.
  const later = new Date(Date.now() + 60_000)
  for (const file of made.pages) await utimes(file, later, later)
  const third = await runUploadPass(options)
  console.log(describePass('third pass (all touched, none changed: re-hash only)', third))

  const uploads = stub.callsOf('UploadPage').length
  console.log(`stub saw ${stub.callsOf('SyncNotebookMetadata').length} metadata calls and ${uploads} uploads in total`)
} finally {
  await stub.close()
  await rm(root, { recursive: true, force: true })
}
