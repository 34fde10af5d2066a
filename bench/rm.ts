/**
 * Parse throughput (MB/s) over every .rm fixture, and render time per page for SVG and
 * PNG. Run: npx tsx bench/rm.ts [seconds per measurement, default 2]
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseRm, renderPng, renderSvg, type RmPage } from '../server/rm/index.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtureDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'rm')
const secondsPerMeasurement = Number(process.argv[2] ?? 2)

if (!existsSync(fixtureDir)) {
  console.error(`no fixtures at ${fixtureDir}; nothing to measure`)
  process.exit(1)
}

const files = readdirSync(fixtureDir)
  .filter((name) => name.endsWith('.rm'))
  .sort()
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(fixtureDir, name))) }))
const totalBytes = files.reduce((sum, file) => sum + file.bytes.length, 0)

/** Repeats `work` until the time budget is spent, after a warm-up of a quarter of it (JIT); returns ms per call. */
function measure(work: () => void): { msPerCall: number; calls: number } {
  const warmUntil = performance.now() + secondsPerMeasurement * 250
  do work()
  while (performance.now() < warmUntil)
  let calls = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < secondsPerMeasurement * 1000) {
    work()
    calls++
    elapsed = performance.now() - start
  }
  return { msPerCall: elapsed / calls, calls }
}

function parseAll(): RmPage[] {
  return files.map(({ name, bytes }) => {
    const result = parseRm(bytes)
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
    return result.page
  })
}

const pages = parseAll()
console.log(`load average at start: ${loadavg().map((value) => value.toFixed(2)).join(' ')} (${cpus().length} cores; figures are noisy on a busy machine)`)
const parse = measure(parseAll)
const mbPerSecond = totalBytes / 1e6 / (parse.msPerCall / 1000)
console.log(`parse: ${files.length} files, ${(totalBytes / 1024).toFixed(1)} KiB per round, ${parse.calls} rounds`)
console.log(`parse: ${mbPerSecond.toFixed(1)} MB/s (${parse.msPerCall.toFixed(3)} ms per round of all fixtures)`)

const largest = files.reduce((a, b) => (b.bytes.length > a.bytes.length ? b : a))
const single = measure(() => parseRm(largest.bytes))
console.log(
  `parse: ${largest.name} (${largest.bytes.length} B): ${(largest.bytes.length / 1e6 / (single.msPerCall / 1000)).toFixed(1)} MB/s, ${single.msPerCall.toFixed(3)} ms`,
)

const svg = measure(() => pages.forEach((page) => renderSvg(page)))
console.log(`render svg: ${(svg.msPerCall / pages.length).toFixed(3)} ms per page (mean over ${pages.length} pages)`)

const png = measure(() => pages.forEach((page) => renderPng(page)))
console.log(`render png (full size): ${(png.msPerCall / pages.length).toFixed(1)} ms per page`)

const thumbnail = measure(() => pages.forEach((page) => renderPng(page, { width: 300 })))
console.log(`render png (300 px thumbnail): ${(thumbnail.msPerCall / pages.length).toFixed(1)} ms per page`)

const ocr = measure(() => pages.forEach((page) => renderPng(page, { strokesOnly: true })))
console.log(`render png (strokes only, full size): ${(ocr.msPerCall / pages.length).toFixed(1)} ms per page`)

for (const { name } of files.filter((f) => f.name === largest.name)) {
  const page = pages[files.findIndex((f) => f.name === name)]
  const one = measure(() => renderPng(page))
  console.log(`render png (full size) ${name}: ${one.msPerCall.toFixed(1)} ms`)
}
