// The reader's memory per file is bounded (issue 15 item 6): a file of millions of empty blocks, or of
// thousands of blocks it cannot read, is refused as a typed error instead of listed block by block.
import { describe, expect, it } from 'vitest'
import { parseRm } from '../../server/rm/index.ts'
import { MAX_BLOCKS_PER_FILE } from '../../server/rm/blockStream.ts'
import { MAX_ODD_BLOCKS_PER_FILE } from '../../server/rm/parseRm.ts'
import { concatBytes, makeBlock, makeRmFile } from './rmWriter.ts'

/** `count` empty blocks of `type` after a v6 header. */
function makeEmptyBlocks(type: number, count: number): Uint8Array {
  const block = makeBlock(type, new Uint8Array(0))
  return makeRmFile([concatBytes(Array.from({ length: count }, () => block))])
}

describe('reader memory bounds', () => {
  it('refuses a 20 MB page of empty blocks', () => {
    const count = Math.floor((20 * 1024 * 1024 - 43) / 8)
    const result = parseRm(makeEmptyBlocks(0x20, count))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining(`${MAX_BLOCKS_PER_FILE} blocks`) })
  })

  it('refuses a page of thousands of blocks it cannot read', () => {
    const result = parseRm(makeEmptyBlocks(0x05, MAX_ODD_BLOCKS_PER_FILE + 10))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('corrupt')
  })

  it('still reads a page with a few blocks of unknown types', () => {
    const result = parseRm(makeEmptyBlocks(0x20, 50))
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.page.unknownBlocks).toHaveLength(50)
  })
})
