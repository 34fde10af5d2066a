/**
 * File storage throughput and memory: `npm run bench:storage [-- --files N --small-kb K --large-mb M]`.
 * For each store (local disk, PostgreSQL, an S3-compatible server), writes then reads N files of
 * about K KB one at a time (default 100 × 200 KB) and one file of M MB (default 20), and reports MB/s
 * and the memory a large read keeps alive beyond what the process held before it: a second, untimed
 * read collects garbage every 2 ms and samples heap + external memory after each collection (`get` holds the
 * whole file by design, `stream` one piece at a time). Needs node --expose-gc (npm run bench:storage).
 * PostgreSQL is DATABASE_URL's server (a fresh database, dropped after) or an embedded one; S3 is
 * s3rver run as a separate process on 127.0.0.1, so its own buffers are not counted here.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomFillSync } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readConfig } from '../server/config.ts'
import type { FileStorage } from '../server/storage/fileStorage.ts'
import { makeLocalFileStorage } from '../server/storage/localFileStorage.ts'
import { makePostgresFileStorage } from '../server/storage/postgresFileStorage.ts'
import { makeS3FileStorage } from '../server/storage/s3FileStorage.ts'
import { findFreePort } from '../test/helpers/ports.ts'
import { createBenchDatabase, machineLine } from './lib/benchDatabase.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const gc = (globalThis as { gc?: () => void }).gc

function readArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} takes a positive number`)
  return n
}

const FILES = readArg('files', 100)
const SMALL_BYTES = Math.round(readArg('small-kb', 200) * 1024)
const LARGE_BYTES = Math.round(readArg('large-mb', 20) * 1024 * 1024)

/** Milliseconds `work` takes. */
async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}

/**
 * The most memory `work` keeps alive at once, over what was alive before: garbage is collected and
 * heap + external memory (buffers) sampled every 2 ms, i.e. between the pieces of a read, and at its
 * end with its result still referenced. A buffer's memory is returned a moment after the collection
 * that finds it dead, so a sample may still count a piece just read: an upper bound.
 */
async function measureLiveBytes(work: () => Promise<unknown>): Promise<number> {
  const sample = () => {
    gc!()
    const m = process.memoryUsage()
    return m.heapUsed + m.external
  }
  const settled = async () => {
    gc!()
    await new Promise((r) => setImmediate(r))
    return sample()
  }
  const base = await settled()
  let peak = base
  const sampler = setInterval(() => (peak = Math.max(peak, sample())), 2)
  kept = await work()
  clearInterval(sampler)
  peak = Math.max(peak, await settled())
  kept = undefined
  return peak - base
}

/** What a measured read returned, referenced from outside so the last sample counts it. */
let kept: unknown

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const mbps = (bytes: number, ms: number) => `${((bytes / 1024 / 1024) / (ms / 1000)).toFixed(1)} MB/s`
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

async function benchStore(name: string, storage: FileStorage, small: Uint8Array[], large: Uint8Array): Promise<string[]> {
  const smallKeys = small.map(sha)
  const largeKey = sha(large)
  const totalSmall = small.reduce((n, b) => n + b.length, 0)
  const writeSmall = await time(async () => {
    for (let i = 0; i < small.length; i++) await storage.put(smallKeys[i], small[i])
  })
  const readSmall = await time(async () => {
    for (const key of smallKeys) if (!(await storage.get(key))) throw new Error(`${name}: lost ${key}`)
  })
  const writeLarge = await time(() => storage.put(largeKey, large))
  const getLarge = async () => {
    const got = await storage.get(largeKey)
    if (!got || sha(got) !== largeKey) throw new Error(`${name}: the large file came back different`)
    return got
  }
  const streamLarge = async () => {
    const hash = createHash('sha256')
    const stream = await storage.stream(largeKey)
    for await (const piece of stream!.chunks) hash.update(piece)
    if (hash.digest('hex') !== largeKey) throw new Error(`${name}: the streamed file came back different`)
  }
  const getMs = await time(getLarge)
  const streamMs = await time(streamLarge)
  const getLive = gc ? mb(await measureLiveBytes(getLarge)) : '?'
  const streamLive = gc ? mb(await measureLiveBytes(streamLarge)) : '?'
  for (const key of [...smallKeys, largeKey]) await storage.delete(key)
  return [
    name,
    `${mbps(totalSmall, writeSmall)} (${writeSmall.toFixed(0)} ms)`,
    `${mbps(totalSmall, readSmall)} (${readSmall.toFixed(0)} ms)`,
    `${mbps(large.length, writeLarge)} (${writeLarge.toFixed(0)} ms)`,
    `${mbps(large.length, getMs)} / ${getLive}`,
    `${mbps(large.length, streamMs)} / ${streamLive}`,
  ]
}

async function startS3rverProcess(): Promise<{ env: Record<string, string>; stop(): void }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-bench-s3-'))
  const port = await findFreePort()
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'node_modules/s3rver/bin/s3rver.js'), '-d', directory, '-a', '127.0.0.1', '-p', String(port), '-s', '--configure-bucket', 'bench'],
    { stdio: 'ignore' },
  )
  const env = { FILE_STORAGE: 's3', S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_BUCKET: 'bench', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: 'true' }
  const probe = makeS3FileStorage(readConfig(env).fileStorage.s3!)
  for (let i = 0; ; i++) {
    try {
      await probe.check()
      break
    } catch (err) {
      if (i > 100) throw err
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  await probe.close()
  return {
    env,
    stop() {
      child.kill()
      fs.rmSync(directory, { recursive: true, force: true })
    },
  }
}

async function main() {
  if (!gc) console.log('(memory needs node --expose-gc, as npm run bench:storage runs it)')
  const small = Array.from({ length: FILES }, () => randomFillSync(new Uint8Array(SMALL_BYTES)))
  const large = randomFillSync(new Uint8Array(LARGE_BYTES))
  console.log(`bench:storage — ${new Date().toISOString()}, ${machineLine()}`)
  console.log(`${FILES} files of ${(SMALL_BYTES / 1024).toFixed(0)} KB written then read one at a time; one file of ${mb(LARGE_BYTES)}`)

  const rows: string[][] = []
  const localDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-bench-files-'))
  try {
    const local = makeLocalFileStorage(localDir)
    rows.push(await benchStore('local', local, small, large))
  } finally {
    fs.rmSync(localDir, { recursive: true, force: true })
  }

  const database = await createBenchDatabase()
  try {
    const postgres = makePostgresFileStorage(database.url)
    rows.push(await benchStore('postgres', postgres, small, large))
    await postgres.close()
  } finally {
    await database.close()
  }

  const s3 = await startS3rverProcess()
  try {
    const bucket = makeS3FileStorage(readConfig(s3.env).fileStorage.s3!)
    rows.push(await benchStore('s3 (s3rver)', bucket, small, large))
    await bucket.close()
  } finally {
    s3.stop()
  }

  const header = ['store', `write ${FILES} small`, `read ${FILES} small`, `write ${mb(LARGE_BYTES)}`, `get ${mb(LARGE_BYTES)} / live memory`, `stream ${mb(LARGE_BYTES)} / live memory`]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join(' | '))
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
