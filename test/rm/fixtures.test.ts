import { describe, expect, it } from 'vitest'
import { inspectPage, pageToMarkdown, parseRm, type RmPage } from '../../server/rm/index.ts'
import {
  HAS_RM_FIXTURES,
  MISSING_FIXTURES_REASON,
  listRmFixtures,
  readExpectedPages,
  readRmFixture,
} from './fixturePaths.ts'

function readPage(name: string): RmPage {
  const result = parseRm(readRmFixture(name))
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`)
  return result.page
}

/** Markdown we expect for the fixtures with typed text (our choices: `## ` headings, see markdown.ts). */
const EXPECTED_MARKDOWN: Record<string, string> = {
  'Bold_Heading_Bullet_Normal.rm': '**A**\n\n## new line\n\n- B is a letter of the alphabet\n\nC\n',
  'Checkbox_styles.rm':
    '## Shared checklist\n\n- [ ] Open item\n- [x] Done item\n- A bullet\n  - A sub bullet\n\n**Bold paragraph**\n\nPlain paragraph\n',
  'Normal_A_stroke_2_layers_v3.3.2.rm':
    'A\n\nv3.2.2\n\nNormal **bold** *italic*\n\n**Bold** *italic* normal\n\n**Bold line**\n\nNormal line\n\n## Heading line\n',
  'test-crdt-ordering.rm': '## A12_Z\n',
  'Normal_AB.rm': 'AB\n',
  'With_SceneInfo_Block.rm': 'TEST TEXT\n\nTest text from keyboard\n',
  'Lines_v2.rm': '',
  'Wikipedia_highlighted_p1.rm': '',
}

describe.skipIf(!HAS_RM_FIXTURES)('rm fixtures read as rmscene reads them', () => {
  const expected = readExpectedPages()
  const fixtures = listRmFixtures()

  it('has an expectation for every fixture file', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(14)
    expect(Object.keys(expected).sort()).toEqual(fixtures)
  })

  for (const name of fixtures) {
    it(`${name}: counts, paragraphs and highlights match expected.json`, () => {
      const summary = inspectPage(readPage(name))
      const want = expected[name]
      expect(summary.strokes).toBe(want.strokes)
      expect(summary.points).toBe(want.points)
      expect(summary.paragraphs).toEqual(want.paragraphs)
      expect(summary.highlights).toEqual(want.highlights)
    })
  }

  for (const [name, markdown] of Object.entries(EXPECTED_MARKDOWN)) {
    it(`${name}: typed text as Markdown`, () => {
      const page = readPage(name)
      expect(pageToMarkdown(page)).toBe(markdown)
      expect(inspectPage(page).markdown).toBe(markdown)
    })
  }

  it('reads inline bold and italic spans (software 3.3+)', () => {
    const page = readPage('Normal_A_stroke_2_layers_v3.3.2.rm')
    expect(page.paragraphs[2].spans).toEqual([
      { text: 'Normal ', bold: false, italic: false },
      { text: 'bold', bold: true, italic: false },
      { text: ' ', bold: false, italic: false },
      { text: 'italic', bold: false, italic: true },
    ])
  })

  it('counts layers as the root groups, each holding its strokes', () => {
    const layered = readPage('Normal_A_stroke_2_layers.rm')
    expect(layered.layers.map((layer) => [layer.label, layer.strokes.length])).toEqual([
      ['Layer 1', 1],
      ['Layer 2', 1],
    ])
    const newer = readPage('Normal_A_stroke_2_layers_v3.3.2.rm')
    expect(newer.layers.map((layer) => layer.strokes.length)).toEqual([8, 1])
    for (const name of ['Lines_v2.rm', 'Color_and_tool_v3.14.4.rm', 'Checkbox_styles.rm']) {
      expect(readPage(name).layers).toHaveLength(1)
    }
  })

  it('reads both point encodings (Lines_v2 has version-1 float points)', () => {
    const oldPoints = readPage('Lines_v2.rm').strokes[1].points[0]
    expect(oldPoints.x).toBeCloseTo(-530.044, 3)
    expect(oldPoints.width).toBe(8)
    expect(oldPoints.direction).toBeCloseTo(223, 0)
    const newPoints = readPage('Color_and_tool_v3.14.4.rm').strokes[6].points[0]
    expect(newPoints).toEqual({ x: expect.closeTo(92.071, 3), y: expect.closeTo(724.095, 3), speed: 0, width: 14, direction: 0, pressure: 18 })
  })

  it('names tools and colours like rmscene, with highlighter and shader RGBA from the file', () => {
    const page = readPage('More_color_highlight_shader_v3.15.4.2.rm')
    const highlighter = page.strokes[0]
    expect([highlighter.tool, highlighter.color, highlighter.rgba]).toEqual(['highlighter_2', 'highlight', [255, 237, 117, 255]])
    const shader = page.strokes[6]
    expect([shader.tool, shader.color, shader.rgba]).toEqual(['shader', 'highlight', [33, 30, 28, 64]])
    expect(page.strokes.slice(14).map((stroke) => stroke.color)).toEqual([
      'black', 'gray', 'white', 'blue', 'red', 'green_2', 'yellow_2', 'cyan', 'magenta',
    ])
    expect(page.width).toBe(1620) // paper size from the SceneInfo block
    expect(page.height).toBe(2160)
  })

  it('reads highlight rectangles and colour values', () => {
    const page = readPage('Wikipedia_highlighted_p1.rm')
    const last = page.highlights[3]
    expect(last.rects).toHaveLength(2)
    expect(last.rects[0].x).toBeCloseTo(-809.06, 2)
    expect(last.rgba).toEqual([255, 237, 117, 255])
    const colourful = readPage('Color_and_tool_v3.14.4.rm')
    expect(colourful.highlights.map((h) => h.rgba[0])).toEqual([255, 190, 242, 255, 172, 199])
  })

  it('says whether a page has handwriting (visible strokes not made with highlighter, shader or eraser)', () => {
    const withInk = ['Lines_v2.rm', 'Normal_A_stroke_2_layers.rm', 'Color_and_tool_v3.14.4.rm', 'With_SceneInfo_Block.rm']
    for (const name of withInk) expect(readPage(name).hasHandwriting, name).toBe(true)
    const withoutInk = ['Normal_AB.rm', 'Checkbox_styles.rm', 'Wikipedia_highlighted_p1.rm', 'test-crdt-ordering.rm']
    for (const name of withoutInk) expect(readPage(name).hasHandwriting, name).toBe(false)
  })

  it('counts deleted items and places strokes of text-anchored groups beside the text', () => {
    expect(readPage('More_color_highlight_shader_v3.15.4.2.rm').deletedItems).toBe(8)
    const page = readPage('With_SceneInfo_Block.rm')
    // Group anchored "above all text": x from the anchor origin, y at the text box top.
    expect(page.strokes[0].origin).toEqual({ x: -464, y: 234 })
    expect(page.unknownBlocks).toEqual([])
    expect(page.unreadableBlocks).toEqual([])
  })
})

describe.skipIf(HAS_RM_FIXTURES)('rm fixtures', () => {
  it.skip(MISSING_FIXTURES_REASON, () => {})
})
