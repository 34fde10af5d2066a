import type { TaggedReader } from './taggedReader.ts'
import type { DecodedBlock } from './sceneBlockTypes.ts'

/** Declares a group node (a layer or a nested group) in the scene tree. */
export function readSceneTreeBlock(reader: TaggedReader): DecodedBlock {
  const nodeId = reader.readId(1)
  reader.readId(2) // a second id whose meaning is unknown
  reader.readTaggedBool(3) // "is update" flag; not needed to build the tree
  const parentId = reader.readSubblock(4, () => reader.readId(1))
  return { kind: 'tree_node', nodeId, parentId }
}

/** A group's label, visibility and, for groups that follow typed text, its anchor. */
export function readTreeNodeBlock(reader: TaggedReader): DecodedBlock {
  const nodeId = reader.readId(1)
  const label = reader.readLwwString(2)
  const visible = reader.readLwwBool(3)
  if (reader.remaining > 0 && reader.hasSubblock(7)) {
    const charId = reader.readLwwId(7).value
    const type = reader.readLwwByte(8).value
    const threshold = reader.readLwwFloat32(9).value
    const originX = reader.readLwwFloat32(10).value
    return { kind: 'group_info', nodeId, label, visible, anchor: { charId, type, threshold, originX } }
  }
  return { kind: 'group_info', nodeId, label, visible }
}

/** Page-wide settings; only the paper size matters to us (e.g. 1620×2160 on Paper Pro). */
export function readSceneInfoBlock(reader: TaggedReader): DecodedBlock {
  reader.readLwwId(1) // current layer
  if (reader.hasSubblock(2)) reader.readLwwBool(2) // background visible
  if (reader.hasSubblock(3)) reader.readLwwBool(3) // root document visible
  if (reader.hasSubblock(5)) {
    const [width, height] = reader.readSubblock(5, () => [reader.readUint32(), reader.readUint32()])
    // Absurd sizes (corrupt data) are ignored rather than trusted by the renderer.
    if (width > 0 && height > 0 && width <= 100_000 && height <= 100_000) return { kind: 'scene_info', paperSize: { width, height } }
  }
  return { kind: 'scene_info' }
}
