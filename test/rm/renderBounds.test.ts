// Bounded renders off the main thread (issue 15 item 1): a thin, tall page asked wide is cut to a
// ratio and scaled to a pixel budget, and renders run in worker threads while the main thread goes on.
import { afterAll, describe, expect, it } from 'vitest'
import { renderPng, type RmPage, type RmStroke } from '../../server/rm/index.ts'
import { makeRenderPool, type RenderPool } from '../../server/rm/renderPool.ts'
import { readPngSize } from './pngSize.ts'


function makeStroke(points: number, y0 = 0): RmStroke {
  return {
    tool: 'ballpoint_2', toolId: 15, color: 'black', colorId: 0, rgba: [0, 0, 0, 255], thicknessScale: 2, startingLength: 0, layer: 0, origin: { x: 0, y: 0 }, visible: true,
    points: Array.from({ length: points }, (_, i) => ({ x: (i % 200) - 100, y: y0 + i / 10, speed: 0, width: 4 + (i % 7), direction: 0, pressure: 100 + (i % 100) })),
  }
}

function makePage(width: number, height: number, strokes: RmStroke[] = []): RmPage {
  return {
    width, height, strokes, paragraphs: [], highlights: [], hasHandwriting: strokes.length > 0, unknownBlocks: [], unreadableBlocks: [], deletedItems: 0, steps: 0,
    layers: [{ id: '0:11', label: 'Layer 1', visible: true, strokes, highlights: [] }],
  }
}

describe('render bounds', () => {
  it('cuts a thin, tall page to the ratio and keeps it within the pixel budget', () => {
    // 100 × 2000 asked 1404 wide was 1404 × 28080 (39 million pixels).
    const size = readPngSize(renderPng(makePage(100, 2000), { width: 1404 }))
    expect(size.width * size.height).toBeLessThanOrEqual(16_000_000)
    expect(size.height / size.width).toBeLessThanOrEqual(8.05)
  })

  it('holds to the bounds it is given, for the longest pages too', () => {
    const bounds = { maxPixels: 200_000, maxAspect: 4 }
    for (const [w, h] of [[1, 20_000], [20_000, 1], [1404, 1872]]) {
      const size = readPngSize(renderPng(makePage(w, h), { width: 1404, bounds }))
      expect(size.width * size.height).toBeLessThanOrEqual(200_000)
      expect(Math.max(size.width / size.height, size.height / size.width)).toBeLessThanOrEqual(4.05)
    }
  })

  it('leaves an ordinary page as asked', () => {
    expect(readPngSize(renderPng(makePage(1404, 1872), { width: 300 }))).toEqual({ width: 300, height: 400 })
  })
})

describe('render pool', () => {
  let pool: RenderPool
  afterAll(async () => {
    await pool?.close()
  })

  it('draws in a worker thread while the main thread keeps running', async () => {
    pool = makeRenderPool({ threads: 2 })
    const heavy = makePage(1404, 1872, Array.from({ length: 10 }, (_, i) => makeStroke(2000, i * 40)))
    let ticks = 0
    let rendering = true
    const tick = () => {
      ticks++
      if (rendering) setImmediate(tick)
    }
    setImmediate(tick)
    const result = await pool.renderPage(heavy, { width: 1404 })
    rendering = false
    expect(result.ok).toBe(true)
    if (result.ok) expect(readPngSize(result.png).width).toBe(1404)
    // A render on the main thread would let no callback run until it was done.
    expect(ticks).toBeGreaterThan(1)
  })

  it('answers a file it cannot read as unreadable, and one past its time as a timeout, then goes on', async () => {
    pool = makeRenderPool({ threads: 1, timeoutMs: 1 })
    const late = await pool.renderPage(makePage(1404, 1872, [makeStroke(50_000)]), { width: 1404 })
    expect(late).toMatchObject({ ok: false, reason: 'timeout' })
    await pool.close()
    pool = makeRenderPool({ threads: 1 })
    expect(await pool.renderFile(new Uint8Array(100))).toMatchObject({ ok: false, reason: 'unreadable' })
    expect((await pool.renderPage(makePage(1404, 1872), { width: 100 })).ok).toBe(true)
  })

  it('answers busy beyond its queue instead of queueing without end', async () => {
    await pool.close()
    pool = makeRenderPool({ threads: 1, maxQueued: 2 })
    const page = makePage(1404, 1872, [makeStroke(2000)])
    const results = await Promise.all(Array.from({ length: 6 }, () => pool.renderPage(page, { width: 200 })))
    expect(results.filter((r) => !r.ok && r.reason === 'busy').length).toBeGreaterThanOrEqual(3)
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(1)
  })
})
