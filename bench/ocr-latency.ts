/**
 * Transcription latency against the local chat-completions fake: per call, render a fixture
 * page's strokes to PNG (DEFAULT_RENDER_WIDTH px wide, as the worker does) and send it. Render time and HTTP
 * round trip are reported separately, p50/p99, for each fake delay.
 * Run: npx tsx bench/ocr-latency.ts [calls, default 200] [delays in ms, default 0,50] [fixture]
 */
import { existsSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeOpenAiOcrProvider } from '../server/ocr/index.ts'
import { parseRm, renderPng } from '../server/rm/index.ts'
import { startOcrFake } from '../test/fakes/ocr/index.ts'
import { DEFAULT_RENDER_WIDTH } from '../server/extraction/makeHandwritingReader.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtureDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'rm')
const calls = Number(process.argv[2] ?? 200)
const delays = (process.argv[3] ?? '0,50').split(',').map(Number)
const fixture = process.argv[4] ?? 'Color_and_tool_v3.14.4.rm'
const WARM_UP = 10
const PNG_WIDTH = DEFAULT_RENDER_WIDTH

const fixturePath = path.join(fixtureDir, fixture)
if (!existsSync(fixturePath)) {
  console.error(`no fixture at ${fixturePath}; nothing to measure`)
  process.exit(1)
}
const parsed = parseRm(new Uint8Array(readFileSync(fixturePath)))
if (!parsed.ok) throw new Error(`${fixture}: ${parsed.error.message}`)
const page = parsed.page

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function summarize(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length
  return `${label.padEnd(22)} p50 ${percentile(sorted, 50).toFixed(2).padStart(7)} ms  p99 ${percentile(sorted, 99).toFixed(2).padStart(7)} ms  mean ${mean.toFixed(2).padStart(7)} ms  max ${sorted[sorted.length - 1].toFixed(2).padStart(7)} ms`
}

console.log(`load average at start: ${loadavg().map((value) => value.toFixed(2)).join(' ')} (${cpus().length} cores; figures are noisy on a busy machine)`)
console.log(`fixture ${fixture}: ${page.layers.reduce((sum, layer) => sum + layer.strokes.length, 0)} strokes; ${calls} calls per delay after ${WARM_UP} warm-up calls`)

for (const delayMs of delays) {
  const fake = await startOcrFake({ apiKey: 'sk-bench', delayMs, defaultTranscript: '- [ ] bench item\n  - nested → arrow' })
  const provider = makeOpenAiOcrProvider({ baseUrl: fake.url, apiKey: 'sk-bench', model: 'bench-model', timeoutMs: 10_000 })
  const render: number[] = []
  const roundTrip: number[] = []
  const total: number[] = []
  let pngBytes = 0
  for (let i = 0; i < WARM_UP + calls; i++) {
    const t0 = performance.now()
    const png = renderPng(page, { strokesOnly: true, width: PNG_WIDTH })
    const t1 = performance.now()
    const result = await provider.transcribe(png)
    const t2 = performance.now()
    if (!result.ok) throw new Error(`call ${i} failed: ${result.error.kind} ${result.error.message}`)
    if (i < WARM_UP) continue
    pngBytes = png.length
    render.push(t1 - t0)
    roundTrip.push(t2 - t1)
    total.push(t2 - t0)
  }
  const stats = fake.stats()
  await fake.close()
  console.log(`\nfake delay ${delayMs} ms (PNG ${PNG_WIDTH} px, ${(pngBytes / 1024).toFixed(1)} KiB; fake saw ${stats.requests} requests, ${stats.pngImages} PNGs)`)
  console.log(summarize('render PNG', render))
  console.log(summarize('HTTP round trip', roundTrip))
  console.log(summarize('render + round trip', total))
}
