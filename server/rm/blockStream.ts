import { makeRmError, type RmError } from './errors.ts'
import type { StepBudget } from './stepBudget.ts'

const HEADER_PREFIX = 'reMarkable .lines file, version='
/** The v6 header is its text padded with spaces to 43 bytes. */
export const V6_HEADER = (HEADER_PREFIX + '6').padEnd(43, ' ')
export const HEADER_LENGTH = V6_HEADER.length
/** Header of the pre-3.x-era ".lines" files (versions 1 and 2), which have no version number. */
const LEGACY_HEADER = 'reMarkable lines with selections and layers'
const BLOCK_HEADER_LENGTH = 8
/**
 * Most blocks one file may hold. Each listed block costs memory whatever its size, so a 20 MB file
 * of empty 8-byte blocks (2.6 million of them) took ~860 MB to read; a page from a tablet has one
 * block per stroke, far fewer. With this bound a file costs at most a few tens of MB to list.
 */
export const MAX_BLOCKS_PER_FILE = 200_000

/** One top-level block, located but not decoded. */
export interface RawBlock {
  type: number
  minVersion: number
  currentVersion: number
  /** Offset of the 8-byte block header. */
  offset: number
  bodyStart: number
  bodyEnd: number
}

export type BlockStreamResult = { ok: true; blocks: RawBlock[] } | { ok: false; error: RmError }

function readAscii(bytes: Uint8Array, start: number, end: number): string {
  let text = ''
  for (let i = start; i < Math.min(end, bytes.length); i++) text += String.fromCharCode(bytes[i])
  return text
}

function startsWithText(bytes: Uint8Array, text: string): boolean {
  return bytes.length >= text.length && readAscii(bytes, 0, text.length) === text
}

/** Says what is wrong with the file's header, or nothing when it is a v6 header. */
export function checkHeader(bytes: Uint8Array): RmError | undefined {
  if (bytes.length === 0) return makeRmError('empty', 'file is empty')
  const head = readAscii(bytes, 0, HEADER_LENGTH)
  if (head === V6_HEADER) return undefined
  if (startsWithText(bytes, HEADER_PREFIX)) {
    const digits = /^\d+/.exec(head.slice(HEADER_PREFIX.length))?.[0]
    if (digits !== undefined && digits !== '6') {
      const version = Number(digits)
      return makeRmError(
        'unsupported_version',
        `found a v${version} .rm file; only v6 (tablet software 3.x and later) is supported`,
        { version },
      )
    }
    if (digits === '6' && bytes.length < HEADER_LENGTH && V6_HEADER.startsWith(head)) {
      return makeRmError('truncated', `file ends inside the header after ${bytes.length} bytes`, { offset: bytes.length })
    }
    if (digits === '6') return makeRmError('corrupt', 'v6 header is not padded as expected', { offset: 0 })
  }
  if (startsWithText(bytes, LEGACY_HEADER)) {
    return makeRmError(
      'unsupported_version',
      'found a pre-v3 .lines file (tablet software 1.x); only v6 (software 3.x and later) is supported',
    )
  }
  if (bytes.length < HEADER_LENGTH && V6_HEADER.startsWith(head)) {
    return makeRmError('truncated', `file ends inside the header after ${bytes.length} bytes`, { offset: bytes.length })
  }
  return makeRmError('not_rm', 'not a reMarkable .rm file (header does not match)')
}

/**
 * Splits the file after its header into blocks: uint32 body length, a reserved zero
 * byte, min version, current version, block type, then the body. Block bodies are not
 * decoded here, so an unknown type costs nothing more than being listed.
 */
export function readBlockStream(bytes: Uint8Array, budget: StepBudget): BlockStreamResult {
  const headerError = checkHeader(bytes)
  if (headerError) return { ok: false, error: headerError }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const blocks: RawBlock[] = []
  let pos = HEADER_LENGTH
  while (pos < bytes.length) {
    budget.spend()
    if (bytes.length - pos < BLOCK_HEADER_LENGTH) {
      return {
        ok: false,
        error: makeRmError('truncated', `file ends inside a block header at byte ${pos}`, { offset: pos }),
      }
    }
    const length = view.getUint32(pos, true)
    const reserved = bytes[pos + 4]
    const minVersion = bytes[pos + 5]
    const currentVersion = bytes[pos + 6]
    const type = bytes[pos + 7]
    const bodyStart = pos + BLOCK_HEADER_LENGTH
    if (reserved !== 0 || minVersion > currentVersion) {
      return {
        ok: false,
        error: makeRmError('corrupt', `invalid block header at byte ${pos}`, { offset: pos }),
      }
    }
    if (length > bytes.length - bodyStart) {
      return {
        ok: false,
        error: makeRmError(
          'truncated',
          `block at byte ${pos} (type ${type}) needs ${length} bytes but only ${bytes.length - bodyStart} remain`,
          { offset: pos },
        ),
      }
    }
    if (blocks.length >= MAX_BLOCKS_PER_FILE) {
      return { ok: false, error: makeRmError('budget_exceeded', `the file holds more than ${MAX_BLOCKS_PER_FILE} blocks; a page has far fewer`, { offset: pos }) }
    }
    blocks.push({ type, minVersion, currentVersion, offset: pos, bodyStart, bodyEnd: bodyStart + length })
    pos = bodyStart + length
  }
  return { ok: true, blocks }
}
