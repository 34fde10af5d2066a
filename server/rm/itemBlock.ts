import type { TaggedReader } from './taggedReader.ts'
import type { StepBudget } from './stepBudget.ts'
import { BlockType, type DecodedSceneItem, type SceneItemValue } from './sceneBlockTypes.ts'
import { readLine } from './lineItem.ts'
import { readGlyphRange } from './glyphRange.ts'

/** The item-type byte that opens the value sub-block must agree with the block type. */
const ITEM_TYPE_OF_BLOCK: Record<number, number> = {
  [BlockType.glyphItem]: 0x01,
  [BlockType.groupItem]: 0x02,
  [BlockType.lineItem]: 0x03,
  [BlockType.textItem]: 0x05,
  [BlockType.tombstoneItem]: 0x00,
}

export function isItemBlockType(type: number): boolean {
  return ITEM_TYPE_OF_BLOCK[type] !== undefined
}

function readItemValue(
  reader: TaggedReader,
  blockType: number,
  version: number,
  budget: StepBudget,
): SceneItemValue | undefined {
  switch (blockType) {
    case BlockType.groupItem:
      return { type: 'group', nodeId: reader.readId(2) }
    case BlockType.lineItem:
      return { type: 'line', line: readLine(reader, version, budget) }
    case BlockType.glyphItem:
      return { type: 'glyph', glyph: readGlyphRange(reader, budget) }
    default:
      // Text items and tombstones carry no value we use.
      return undefined
  }
}

/**
 * Scene item blocks share one layout: the parent group, the item's own id, its left and
 * right neighbours in the parent's CRDT sequence, a deleted length, and — unless the item
 * was deleted — a value sub-block.
 */
export function readItemBlock(
  reader: TaggedReader,
  blockType: number,
  version: number,
  budget: StepBudget,
): DecodedSceneItem {
  const parentId = reader.readId(1)
  const itemId = reader.readId(2)
  const leftId = reader.readId(3)
  const rightId = reader.readId(4)
  const deletedLength = reader.readTaggedUint32(5)
  const item: DecodedSceneItem = { kind: 'item', blockType, parentId, itemId, leftId, rightId, deletedLength }
  if (reader.remaining > 0 && reader.hasSubblock(6)) {
    const value = reader.readSubblock(6, () => {
      const itemType = reader.readUint8()
      if (itemType !== ITEM_TYPE_OF_BLOCK[blockType]) reader.fail(`item type ${itemType} in block type ${blockType}`)
      return readItemValue(reader, blockType, version, budget)
    })
    if (value) item.value = value
  }
  return item
}
