import { ROOT_NODE_ID, makeCrdtIdKey, type CrdtId } from './crdtId.ts'
import { BlockType, type DecodedBlock, type DecodedRootText, type DecodedSceneItem, type GroupAnchor } from './sceneBlockTypes.ts'

/** A group: the root, a layer, or a group nested in a layer (e.g. strokes anchored to text). */
export interface GroupNode {
  id: CrdtId
  label: string
  visible: boolean
  anchor?: GroupAnchor
  /** Entries of this group's CRDT sequence, in file order (ordered when walked). */
  children: DecodedSceneItem[]
}

export interface SceneTree {
  root: GroupNode
  nodes: Map<string, GroupNode>
  rootText?: DecodedRootText
  paperSize?: { width: number; height: number }
  /** Line/glyph items without a value, plus tombstone blocks. */
  deletedItems: number
}

function makeGroup(id: CrdtId): GroupNode {
  return { id, label: '', visible: true, children: [] }
}

/**
 * Assembles the scene tree from decoded blocks. Inconsistent references (a group item
 * naming a node nobody declared, an item whose parent is unknown) drop that item instead
 * of failing the page: one bad reference should not hide the rest.
 */
export function buildSceneTree(blocks: readonly DecodedBlock[]): SceneTree {
  const root = makeGroup(ROOT_NODE_ID)
  const nodes = new Map<string, GroupNode>([[makeCrdtIdKey(ROOT_NODE_ID), root]])
  const tree: SceneTree = { root, nodes, deletedItems: 0 }
  for (const block of blocks) {
    switch (block.kind) {
      case 'tree_node': {
        const key = makeCrdtIdKey(block.nodeId)
        if (!nodes.has(key)) nodes.set(key, makeGroup(block.nodeId))
        break
      }
      case 'group_info': {
        const node = nodes.get(makeCrdtIdKey(block.nodeId))
        if (!node) break
        node.label = block.label.value
        node.visible = block.visible.value
        if (block.anchor) node.anchor = block.anchor
        else delete node.anchor
        break
      }
      case 'item': {
        if (block.blockType === BlockType.textItem) break
        if (block.blockType === BlockType.tombstoneItem) {
          tree.deletedItems += 1
          break
        }
        const parent = nodes.get(makeCrdtIdKey(block.parentId))
        if (!block.value) {
          tree.deletedItems += 1
          // A deleted group entry has no node to point at; deleted strokes and highlights
          // stay in the sequence because live neighbours may be linked to them.
          if (parent && block.blockType !== BlockType.groupItem) parent.children.push(block)
          break
        }
        if (!parent) break
        if (block.value.type === 'group' && !nodes.has(makeCrdtIdKey(block.value.nodeId))) break
        parent.children.push(block)
        break
      }
      case 'root_text':
        tree.rootText = block // the last one stands
        break
      case 'scene_info':
        if (block.paperSize) tree.paperSize = block.paperSize
        break
      case 'metadata':
        break
    }
  }
  return tree
}
