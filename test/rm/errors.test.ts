import { describe, expect, it } from 'vitest'
import { parseRm, V6_HEADER, type RmResult } from '../../server/rm/index.ts'
import { readBlockStream } from '../../server/rm/blockStream.ts'
import { StepBudget } from '../../server/rm/stepBudget.ts'
import { BodyWriter, concatBytes, makeBlock, makeRmFile, makeRootTextBlock } from './rmWriter.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, readRmFixture } from './fixturePaths.ts'

const ascii = (text: string) => new TextEncoder().encode(text)

function expectError(result: RmResult, code: string): string {
  expect(result.ok).toBe(false)
  if (result.ok) return ''
  expect(result.error.code).toBe(code)
  expect(result.error.message.length).toBeGreaterThan(0)
  return result.error.message
}

describe('files that are not v6 pages give typed errors', () => {
  it('empty input', () => {
    expectError(parseRm(new Uint8Array()), 'empty')
  })

  it('random bytes and other formats', () => {
    const random = Uint8Array.from({ length: 500 }, (_, i) => (i * 7919 + 13) % 256)
    expectError(parseRm(random), 'not_rm')
    expectError(parseRm(ascii('%PDF-1.7\n')), 'not_rm')
    expectError(parseRm(ascii('r')), 'truncated') // could be the start of a header
  })

  it('older .rm versions name the version found', () => {
    const v5 = parseRm(ascii('reMarkable .lines file, version=5          \x01\x00\x00\x00'))
    expect(expectError(v5, 'unsupported_version')).toContain('v5')
    const v3 = parseRm(ascii('reMarkable .lines file, version=3          '))
    expect(expectError(v3, 'unsupported_version')).toContain('v3')
    if (!v3.ok) expect(v3.error.version).toBe(3)
    expectError(parseRm(ascii('reMarkable lines with selections and layers')), 'unsupported_version')
  })

  it('a header cut short is truncated', () => {
    expectError(parseRm(ascii(V6_HEADER.slice(0, 20))), 'truncated')
    expectError(parseRm(ascii(V6_HEADER.slice(0, 40))), 'truncated')
  })

  it('a header alone is an empty page', () => {
    const result = parseRm(ascii(V6_HEADER))
    expect(result.ok && result.page.strokes.length === 0 && result.page.paragraphs.length === 0).toBe(true)
  })

  it('a block running past the end of the file is truncated, with its offset', () => {
    const block = makeBlock(0x42, Uint8Array.from([1, 2, 3, 4, 5, 6]))
    const file = makeRmFile([block])
    const message = expectError(parseRm(file.subarray(0, file.length - 2)), 'truncated')
    expect(message).toContain('byte 43')
    expectError(parseRm(file.subarray(0, 43 + 5)), 'truncated') // inside the block header
  })

  it('a block header that breaks the format rules is corrupt', () => {
    const block = makeBlock(0x05, Uint8Array.from([0, 0]), 3, 1) // min version above current
    expectError(parseRm(makeRmFile([block])), 'corrupt')
    const reserved = makeBlock(0x05, new Uint8Array(2))
    reserved[4] = 7
    expectError(parseRm(makeRmFile([reserved])), 'corrupt')
  })

  it('never throws, whatever it is given', () => {
    expect(() => parseRm(null as unknown as Uint8Array)).not.toThrow()
    expectError(parseRm('text' as unknown as Uint8Array), 'not_rm')
  })
})

describe('newer-format data is kept or skipped, never fatal', () => {
  it.skipIf(!HAS_RM_FIXTURES)('an unknown block type is listed and the rest of the page still reads', () => {
    const original = readRmFixture('Normal_A_stroke_2_layers.rm')
    const unknown = makeBlock(0x42, Uint8Array.from([9, 8, 7]), 2, 5)
    const result = parseRm(concatBytes([original, unknown]))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.page.strokes).toHaveLength(2)
    expect(result.page.unknownBlocks).toEqual([
      { type: 0x42, minVersion: 2, currentVersion: 5, offset: original.length, length: 3, body: Uint8Array.from([9, 8, 7]) },
    ])
  })

  it.skipIf(!HAS_RM_FIXTURES)('extra bytes at the end of a known block are skipped', () => {
    const original = readRmFixture('Normal_AB.rm')
    const stream = readBlockStream(original, new StepBudget(1e6))
    if (!stream.ok) throw new Error('fixture unreadable')
    const grown = stream.blocks.map((block) => {
      const body = concatBytes([original.subarray(block.bodyStart, block.bodyEnd), Uint8Array.from([0xde, 0xad, 0xbe, 0xef])])
      return makeBlock(block.type, body, block.minVersion, block.currentVersion)
    })
    const result = parseRm(makeRmFile(grown))
    expect(result.ok && result.page.paragraphs).toEqual([{ style: 'plain', text: 'AB', spans: [{ text: 'AB', bold: false, italic: false }] }])
    expect(result.ok && result.page.unreadableBlocks).toEqual([])
  })

  it('a known block whose contents do not decode is reported and skipped', () => {
    const broken = makeBlock(0x07, Uint8Array.from([0x1f, 0, 0, 0x2c, 5]))
    const text = makeRootTextBlock([{ id: [1, 10], left: [0, 0], right: [0, 0], text: 'ok' }], [])
    const result = parseRm(makeRmFile([broken, text]))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.page.paragraphs.map((p) => p.text)).toEqual(['ok'])
    expect(result.page.unreadableBlocks).toHaveLength(1)
    expect(result.page.unreadableBlocks[0]).toMatchObject({ type: 0x07, offset: 43 })
  })
})

describe.skipIf(HAS_RM_FIXTURES)('fixture-based error cases', () => {
  it.skip(MISSING_FIXTURES_REASON, () => {})
})

describe('work is bounded', () => {
  it('a huge deleted run costs no more than a short one', () => {
    const runs = [
      { id: [1, 10], left: [0, 0], right: [0, 0], text: 'A' },
      { id: [1, 11], left: [1, 10], right: [0, 0], deleted: 4_000_000_000 },
      // Linked into the middle of the deleted run.
      { id: [2, 5], left: [1, 2_000_000_011], right: [1, 2_000_000_012], text: 'B' },
      { id: [1, 4_000_000_011], left: [1, 4_000_000_010], right: [0, 0], text: '\nC' },
    ] satisfies Parameters<typeof makeRootTextBlock>[0]
    const styles = [
      { char: [0, 0] as [number, number], code: 2 },
      { char: [1, 4_000_000_011] as [number, number], code: 4 },
    ]
    const result = parseRm(makeRmFile([makeRootTextBlock(runs, styles)]), { maxSteps: 1_000 })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.page.paragraphs.map(({ style, text }) => ({ style, text }))).toEqual([
      { style: 'heading', text: 'AB' },
      { style: 'bullet', text: 'C' },
    ])
    expect(result.page.steps).toBeLessThan(100)
  })

  it('a list count larger than its bytes is refused before any work', () => {
    const body = new BodyWriter()
      .id(1, 0, 0)
      .subblock(2, (w) => w.subblock(1, (a) => a.subblock(1, (b) => b.varuint(2 ** 40))))
      .toBytes()
    const result = parseRm(makeRmFile([makeBlock(0x07, body)]))
    expect(result.ok && result.page.unreadableBlocks[0].reason).toMatch(/cannot fit/)
  })

  it.skipIf(!HAS_RM_FIXTURES)('a tiny step budget stops reading with budget_exceeded', () => {
    const bytes = readRmFixture('Color_and_tool_v3.14.4.rm')
    expectError(parseRm(bytes, { maxSteps: 50 }), 'budget_exceeded')
    const full = parseRm(bytes)
    expect(full.ok && full.page.steps).toBeGreaterThan(50)
    expect(parseRm(bytes, { maxSteps: full.ok ? full.page.steps : 0 }).ok).toBe(true)
  })
})
