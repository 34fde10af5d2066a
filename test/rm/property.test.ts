import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { inspectPage, parseRm, renderPng, renderSvg, type RmResult } from '../../server/rm/index.ts'
import { readBlockStream, type RawBlock } from '../../server/rm/blockStream.ts'
import { StepBudget } from '../../server/rm/stepBudget.ts'
import { concatBytes } from './rmWriter.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, listRmFixtures, readRmFixture } from './fixturePaths.ts'

/**
 * Thousands of damaged fixtures: every one must give a page or a typed error, within the
 * step budget (so it cannot hang), and a page that reads must also summarise and render.
 */
const SEED = 20261125
const MAX_STEPS = 500_000
const ERROR_CODES = ['empty', 'not_rm', 'unsupported_version', 'truncated', 'corrupt', 'budget_exceeded']

interface Fixture {
  name: string
  bytes: Uint8Array
  blocks: RawBlock[]
}

function loadFixtures(): Fixture[] {
  return listRmFixtures().map((name) => {
    const bytes = readRmFixture(name)
    const stream = readBlockStream(bytes, new StepBudget(1e7))
    if (!stream.ok) throw new Error(`${name} does not split into blocks`)
    return { name, bytes, blocks: stream.blocks }
  })
}

function checkOutcome(bytes: Uint8Array): RmResult {
  let result: RmResult | undefined
  expect(() => {
    result = parseRm(bytes, { maxSteps: MAX_STEPS })
  }).not.toThrow()
  const outcome = result as RmResult
  if (!outcome.ok) {
    expect(ERROR_CODES).toContain(outcome.error.code)
    expect(typeof outcome.error.message).toBe('string')
    expect(outcome.error.message.length).toBeGreaterThan(0)
    expect(outcome.error.message).not.toMatch(/unexpected reader failure/)
    return outcome
  }
  const { page } = outcome
  expect(page.steps).toBeLessThanOrEqual(MAX_STEPS)
  const inLayers = page.layers.reduce((sum, layer) => sum + layer.strokes.length, 0)
  expect(inLayers + page.strokes.filter((stroke) => stroke.layer === -1).length).toBe(page.strokes.length)
  expect(() => JSON.stringify(inspectPage(page))).not.toThrow()
  const svg = renderSvg(page)
  expect(svg.startsWith('<svg ')).toBe(true)
  expect(svg).not.toMatch(/NaN|Infinity/)
  return outcome
}

function sliceBlock(fixture: Fixture, block: RawBlock): Uint8Array {
  return fixture.bytes.subarray(block.offset, block.bodyEnd)
}

function reassemble(fixture: Fixture, blocks: RawBlock[]): Uint8Array {
  return concatBytes([fixture.bytes.subarray(0, 43), ...blocks.map((block) => sliceBlock(fixture, block))])
}

/** What cutting a file at `at` must give: a block boundary leaves a shorter valid file. */
function predictCodeAfterCut(fixture: Fixture, at: number): string | undefined {
  if (at === 0) return 'empty'
  if (at < 43) return 'truncated'
  return at === 43 || fixture.blocks.some((block) => block.bodyEnd === at) ? undefined : 'truncated'
}

describe.skipIf(!HAS_RM_FIXTURES)('damaged files never crash or hang the reader', () => {
  const fixtures = loadFixtures()
  // Collected even when skipped: fc.constantFrom needs at least one value.
  const fixtureArb = fixtures.length > 0 ? fc.constantFrom(...fixtures) : fc.constant(undefined as unknown as Fixture)

  it('truncation at every offset of the small fixtures: ok at block boundaries, truncated elsewhere', () => {
    let cuts = 0
    for (const fixture of fixtures.filter((f) => f.bytes.length <= 1300)) {
      for (let at = 0; at < fixture.bytes.length; at++) {
        const result = checkOutcome(fixture.bytes.subarray(0, at))
        expect(result.ok ? undefined : result.error.code, `${fixture.name} cut at ${at}`).toBe(predictCodeAfterCut(fixture, at))
        cuts++
      }
    }
    expect(cuts).toBeGreaterThan(4000)
  })

  it('truncation at sampled offsets of every fixture', () => {
    fc.assert(
      fc.property(fixtureArb, fc.nat(), (fixture, n) => {
        const at = n % fixture.bytes.length
        const result = checkOutcome(fixture.bytes.subarray(0, at))
        expect(result.ok ? undefined : result.error.code).toBe(predictCodeAfterCut(fixture, at))
      }),
      { seed: SEED, numRuns: 600 },
    )
  })

  it('byte flips anywhere', () => {
    const flips = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 })
    fc.assert(
      fc.property(fixtureArb, flips, (fixture, changes) => {
        const bytes = fixture.bytes.slice()
        for (const change of changes) bytes[change.at % bytes.length] = change.value
        checkOutcome(bytes)
      }),
      { seed: SEED, numRuns: 1500 },
    )
  })

  it('byte flips inside block bodies only: the page still reads, damage is confined to blocks', () => {
    fc.assert(
      fc.property(fixtureArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (fixture, blockPick, offset, xor) => {
        const block = fixture.blocks[blockPick % fixture.blocks.length]
        const size = block.bodyEnd - block.bodyStart
        fc.pre(size > 0)
        const bytes = fixture.bytes.slice()
        bytes[block.bodyStart + (offset % size)] ^= xor
        const result = checkOutcome(bytes)
        expect(result.ok).toBe(true)
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it('garbage inserted anywhere', () => {
    fc.assert(
      fc.property(fixtureArb, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 }), (fixture, n, garbage) => {
        const at = n % (fixture.bytes.length + 1)
        checkOutcome(concatBytes([fixture.bytes.subarray(0, at), garbage, fixture.bytes.subarray(at)]))
      }),
      { seed: SEED, numRuns: 600 },
    )
  })

  it('blocks swapped, duplicated or dropped', () => {
    const edit = fc.record({ kind: fc.constantFrom('swap', 'duplicate', 'drop'), i: fc.nat(), j: fc.nat() })
    fc.assert(
      fc.property(fixtureArb, edit, (fixture, { kind, i, j }) => {
        const blocks = [...fixture.blocks]
        const a = i % blocks.length
        const b = j % blocks.length
        if (kind === 'swap') [blocks[a], blocks[b]] = [blocks[b], blocks[a]]
        else if (kind === 'duplicate') blocks.splice(b, 0, blocks[a])
        else blocks.splice(a, 1)
        // Block order does not break the stream itself, so these files must read.
        expect(checkOutcome(reassemble(fixture, blocks)).ok).toBe(true)
      }),
      { seed: SEED, numRuns: 500 },
    )
  })

  it('block length fields rewritten', () => {
    fc.assert(
      fc.property(fixtureArb, fc.nat(), fc.oneof(fc.nat({ max: 64 }), fc.nat()), (fixture, pick, length) => {
        const block = fixture.blocks[pick % fixture.blocks.length]
        const bytes = fixture.bytes.slice()
        new DataView(bytes.buffer).setUint32(block.offset, length >>> 0, true)
        checkOutcome(bytes)
      }),
      { seed: SEED, numRuns: 400 },
    )
  })

  it('damaged pages that still read also render to PNG', () => {
    const flips = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 })
    fc.assert(
      fc.property(fixtureArb, flips, (fixture, changes) => {
        const bytes = fixture.bytes.slice()
        for (const change of changes) bytes[43 + (change.at % (bytes.length - 43))] = change.value
        const result = parseRm(bytes, { maxSteps: MAX_STEPS })
        if (!result.ok) return
        const png = renderPng(result.page, { width: 64, strokesOnly: changes[0].at % 2 === 0 })
        expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]) // "PNG"
      }),
      { seed: SEED, numRuns: 200 },
    )
  })
})

describe.skipIf(HAS_RM_FIXTURES)('damaged files', () => {
  it.skip(MISSING_FIXTURES_REASON, () => {})
})
