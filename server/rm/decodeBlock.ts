import { TaggedReader } from './taggedReader.ts'
import type { RawBlock } from './blockStream.ts'
import type { StepBudget } from './stepBudget.ts'
import { BlockType, type DecodedBlock } from './sceneBlockTypes.ts'
import { isItemBlockType, readItemBlock } from './itemBlock.ts'
import { readSceneInfoBlock, readSceneTreeBlock, readTreeNodeBlock } from './treeBlocks.ts'
import { readRootTextBlock } from './rootTextBlock.ts'

const METADATA_BLOCK_TYPES = new Set<number>([BlockType.migrationInfo, BlockType.authorIds, BlockType.pageInfo])

export function isKnownBlockType(type: number): boolean {
  return (
    METADATA_BLOCK_TYPES.has(type) ||
    isItemBlockType(type) ||
    type === BlockType.sceneTree ||
    type === BlockType.treeNode ||
    type === BlockType.rootText ||
    type === BlockType.sceneInfo
  )
}

/**
 * Decodes one known block, confined to its own bytes. Bytes a newer format appended at
 * the end of the block are skipped. Throws BlockReadFailure when the layout does not match.
 */
export function decodeBlock(bytes: Uint8Array, block: RawBlock, budget: StepBudget): DecodedBlock {
  const reader = new TaggedReader(bytes, block.bodyStart, block.bodyEnd)
  if (METADATA_BLOCK_TYPES.has(block.type)) return { kind: 'metadata' }
  if (isItemBlockType(block.type)) return readItemBlock(reader, block.type, block.currentVersion, budget)
  switch (block.type) {
    case BlockType.sceneTree:
      return readSceneTreeBlock(reader)
    case BlockType.treeNode:
      return readTreeNodeBlock(reader)
    case BlockType.rootText:
      return readRootTextBlock(reader, budget)
    case BlockType.sceneInfo:
      return readSceneInfoBlock(reader)
    default:
      return reader.fail(`no decoder for block type ${block.type}`)
  }
}
