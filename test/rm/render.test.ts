import { describe, expect, it } from 'vitest'
import { parseRm, renderPng, renderSvg, type RmPage, type RmStroke } from '../../server/rm/index.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, readRmFixture } from './fixturePaths.ts'
import { decodePng, readPixel } from './decodePng.ts'

function readPage(name: string): RmPage {
  const result = parseRm(readRmFixture(name))
  if (!result.ok) throw new Error(result.error.message)
  return result.page
}

function readViewBox(svg: string): number[] {
  return (/viewBox="([^"]+)"/.exec(svg)?.[1] ?? '').split(' ').map(Number)
}

/** Where a stroke's middle point lands in an image rendered one pixel per tablet pixel. */
function locateMiddle(stroke: RmStroke, page: RmPage): [number, number] {
  const point = stroke.points[stroke.points.length >> 1]
  return [point.x + stroke.origin.x + page.width / 2, point.y + stroke.origin.y]
}

describe.skipIf(!HAS_RM_FIXTURES)('rendering pages', () => {
  it('draws a page on the tablet canvas with every visible stroke', () => {
    const page = readPage('Lines_v2.rm')
    const svg = renderSvg(page)
    expect(readViewBox(svg)).toEqual([0, 0, 1404, 1872])
    expect(svg.match(/<polyline /g)?.length).toBeGreaterThanOrEqual(page.strokes.length)
    expect(svg).not.toMatch(/NaN|Infinity/)
  })

  it('leaves typed text out when asked for strokes only', () => {
    const page = readPage('Normal_A_stroke_2_layers_v3.3.2.rm')
    const full = renderSvg(page)
    expect(full).toContain('Heading line')
    expect(full).toContain('<tspan font-weight="bold">bold</tspan>')
    const strokesOnly = renderSvg(page, { strokesOnly: true })
    expect(strokesOnly).not.toContain('<text')
    expect(strokesOnly.match(/<polyline /g)?.length).toBeGreaterThanOrEqual(9)
  })

  it('grows the view to include highlights drawn left of the canvas', () => {
    const [minX, minY, width] = readViewBox(renderSvg(readPage('Wikipedia_highlighted_p1.rm')))
    expect(minX).toBeLessThan(-100)
    expect(minY).toBe(0)
    expect(width).toBeGreaterThan(1404)
  })

  it('draws highlighter translucent and pen ink opaque, where the points are', () => {
    const page = readPage('More_color_highlight_shader_v3.15.4.2.rm')
    const image = decodePng(renderPng(page))
    expect([image.width, image.height]).toEqual([1620, 2160])
    const [hx, hy] = locateMiddle(page.strokes[0], page) // yellow highlighter
    const [r, g, b] = readPixel(image, hx, hy)
    expect(r).toBeGreaterThan(240)
    expect(g).toBeGreaterThan(225)
    expect(b).toBeGreaterThan(140) // an opaque highlighter would be 117
    expect(b).toBeLessThan(235) // but it is visibly yellow
    const [px, py] = locateMiddle(page.strokes[14], page) // black ballpoint
    expect(Math.max(...readPixel(image, px, py))).toBeLessThan(110)
    expect(readPixel(image, 1500, 100)).toEqual([255, 255, 255])
  })

  it('scales PNGs to a requested width and keeps the page proportions', () => {
    const image = decodePng(renderPng(readPage('Lines_v2.rm'), { width: 351 }))
    expect(image.width).toBe(351)
    expect(image.height).toBe(468)
  })

  it('a strokes-only PNG of a typed-text page is blank', () => {
    const page = readPage('Checkbox_styles.rm')
    const blank = decodePng(renderPng(page, { strokesOnly: true, width: 200 }))
    expect(blank.pixels.every((value) => value === 255)).toBe(true)
    const withText = decodePng(renderPng(page, { width: 200 }))
    expect(withText.pixels.some((value) => value < 128)).toBe(true)
  })

  it('does not draw hidden layers', () => {
    const page = readPage('Normal_A_stroke_2_layers.rm')
    const visible = renderSvg(page, { strokesOnly: true }).match(/<polyline /g)?.length ?? 0
    const hidden: RmPage = { ...page, strokes: page.strokes.map((s) => (s.layer === 1 ? { ...s, visible: false } : s)) }
    const fewer = renderSvg(hidden, { strokesOnly: true }).match(/<polyline /g)?.length ?? 0
    expect(fewer).toBeGreaterThan(0)
    expect(fewer).toBeLessThan(visible)
  })
})

describe('rendering without fixtures', () => {
  it('escapes typed text and drops characters XML forbids', () => {
    const page: RmPage = {
      width: 1404,
      height: 1872,
      layers: [],
      strokes: [],
      paragraphs: [{ style: 'plain', text: 'a < b & "c"\u0001' }],
      highlights: [],
      hasHandwriting: false,
      unknownBlocks: [],
      unreadableBlocks: [],
      deletedItems: 0,
      steps: 0,
    }
    const svg = renderSvg(page)
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;</text>')
    expect(decodePng(renderPng(page, { width: 100 })).width).toBe(100)
  })
})

describe.skipIf(HAS_RM_FIXTURES)('rendering pages (fixtures)', () => {
  it.skip(MISSING_FIXTURES_REASON, () => {})
})
