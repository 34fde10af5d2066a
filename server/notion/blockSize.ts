// What a block tree costs against Notion's per-request limits: block elements (every block
// object, nested ones included), nesting depth (a leaf is 1 level; a request allows 3: top-level
// blocks, their children, and leaf grandchildren) and serialized JSON bytes (UTF-8).

import { getChildren, withChildren, type NotionBlock } from './blockTypes.ts'

export function countBlockElements(blocks: NotionBlock | NotionBlock[]): number {
  const list = Array.isArray(blocks) ? blocks : [blocks]
  return list.reduce((sum, block) => sum + 1 + countBlockElements(getChildren(block)), 0)
}

export function measureNestingDepth(blocks: NotionBlock | NotionBlock[]): number {
  const list = Array.isArray(blocks) ? blocks : [blocks]
  return list.reduce((deepest, block) => Math.max(deepest, 1 + measureNestingDepth(getChildren(block))), 0)
}

/** The longest children array anywhere in the tree (the top-level list included when given one). */
export function measureWidestArray(blocks: NotionBlock | NotionBlock[]): number {
  const list = Array.isArray(blocks) ? blocks : [blocks]
  const own = Array.isArray(blocks) ? list.length : 0
  return list.reduce((widest, block) => Math.max(widest, measureWidestArray(getChildren(block))), own)
}

export function measureJsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8')
}

const ownBytesCache = new WeakMap<NotionBlock, number>()

/** Bytes of the block without its children (memoized per block object). */
export function measureOwnBytes(block: NotionBlock): number {
  let bytes = ownBytesCache.get(block)
  if (bytes === undefined) {
    bytes = measureJsonBytes(withChildren(block, []))
    ownBytesCache.set(block, bytes)
  }
  return bytes
}

// `,"children":[` + `]`; the commas between children are added by the caller.
export const childrenKeyBytes = 14

/**
 * Bytes of the block with the given children, without serializing again: own bytes + children
 * key + children + commas. Exact for the shapes withChildren builds; never less than the truth.
 */
export function estimateBlockBytes(block: NotionBlock, childBytes: number[]): number {
  if (childBytes.length === 0) return measureOwnBytes(block)
  return measureOwnBytes(block) + childrenKeyBytes + childBytes.reduce((sum, bytes) => sum + bytes, 0) + childBytes.length - 1
}
