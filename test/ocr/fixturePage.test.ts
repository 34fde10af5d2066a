import { describe, expect, it } from 'vitest'
import { mergePageText } from '../../server/ocr/index.ts'
import { pageToMarkdown, parseRm, renderPng, type RmPage } from '../../server/rm/index.ts'
import { decodePng } from '../rm/decodePng.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, readRmFixture } from '../rm/fixturePaths.ts'
import { useOcrFake } from './helpers.ts'

// A real page end to end: typed text from the file, its strokes rendered to PNG, sent to the
// fake, the transcript merged after the typed text.

function readPage(name: string): RmPage {
  const parsed = parseRm(readRmFixture(name))
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error.message}`)
  return parsed.page
}

function countDarkPixels(png: Uint8Array): number {
  const { pixels } = decodePng(png)
  let dark = 0
  for (let at = 0; at < pixels.length; at += 4) if (pixels[at] + pixels[at + 1] + pixels[at + 2] < 384) dark++
  return dark
}

describe.skipIf(!HAS_RM_FIXTURES)(`OCR of a rendered fixture page${HAS_RM_FIXTURES ? '' : ` (skipped: ${MISSING_FIXTURES_REASON})`}`, () => {
  const start = useOcrFake()

  it('sends the strokes-only PNG the renderer made and merges the transcript after the typed text', async () => {
    const page = readPage('With_SceneInfo_Block.rm')
    const png = renderPng(page, { strokesOnly: true, width: 702 })
    expect(countDarkPixels(png)).toBeGreaterThan(0)

    const { fake, provider } = await start()
    fake.script([{ transcript: '```markdown\n* [X] call Anna\n    * bring the → slides\n```' }])
    const result = await provider.transcribe(png, { pageHint: 'With_SceneInfo_Block, page 1' })
    expect(result).toMatchObject({ ok: true, text: '- [x] call Anna\n  - bring the → slides' })

    const [request] = fake.requests
    expect(request.image).toMatchObject({ isPng: true, format: 'png', width: 702, height: 936, byteLength: png.length })
    expect(Buffer.from(request.image!.bytes!).equals(Buffer.from(png))).toBe(true)

    const typed = pageToMarkdown(page)
    expect(typed).toBe('TEST TEXT\n\nTest text from keyboard\n')
    expect(mergePageText(typed, result.ok ? result.text : '')).toBe('TEST TEXT\n\nTest text from keyboard\n\n- [x] call Anna\n  - bring the → slides\n')
  })

  it('renders every stroke fixture to a PNG the fake accepts', async () => {
    const { fake, provider } = await start()
    const names = ['Color_and_tool_v3.14.4.rm', 'Lines_v2.rm', 'Normal_A_stroke_2_layers.rm', 'More_color_highlight_shader_v3.15.4.2.rm']
    for (const name of names) {
      const result = await provider.transcribe(renderPng(readPage(name), { strokesOnly: true, width: 702 }))
      expect(result.ok, name).toBe(true)
    }
    expect(fake.stats()).toMatchObject({ requests: names.length, pngImages: names.length, byStatus: { 200: names.length } })
    expect(fake.requests.every((request) => request.image?.width === 702)).toBe(true)
  })
})
