import type { CrdtId } from './crdtId.ts'
import type { LwwValue } from './taggedReader.ts'

/** Top-level block type numbers of the v6 format. */
export const BlockType = {
  migrationInfo: 0x00,
  sceneTree: 0x01,
  treeNode: 0x02,
  glyphItem: 0x03,
  groupItem: 0x04,
  lineItem: 0x05,
  textItem: 0x06,
  rootText: 0x07,
  tombstoneItem: 0x08,
  authorIds: 0x09,
  pageInfo: 0x0a,
  sceneInfo: 0x0d,
} as const

export interface DecodedPoint {
  x: number
  y: number
  speed: number
  width: number
  direction: number
  pressure: number
}

export interface DecodedLine {
  toolId: number
  colorId: number
  thicknessScale: number
  startingLength: number
  points: DecodedPoint[]
  moveId?: CrdtId
  rgba?: [number, number, number, number]
}

export interface DecodedRect {
  x: number
  y: number
  w: number
  h: number
}

export interface DecodedGlyphRange {
  start?: number
  length: number
  text: string
  colorId: number
  rects: DecodedRect[]
  rgba?: [number, number, number, number]
}

export interface GroupAnchor {
  charId: CrdtId
  type: number
  threshold: number
  originX: number
}

/** An entry of a group's children sequence. A missing value means the item was deleted. */
export type SceneItemValue =
  | { type: 'group'; nodeId: CrdtId }
  | { type: 'line'; line: DecodedLine }
  | { type: 'glyph'; glyph: DecodedGlyphRange }

export interface DecodedSceneItem {
  kind: 'item'
  blockType: number
  parentId: CrdtId
  itemId: CrdtId
  leftId: CrdtId
  rightId: CrdtId
  deletedLength: number
  value?: SceneItemValue
}

export interface DecodedTextItem {
  id: CrdtId
  leftId: CrdtId
  rightId: CrdtId
  deletedLength: number
  /** Text, or an inline format code (1 bold on, 2 bold off, 3 italic on, 4 italic off). */
  value: string | number
}

export interface DecodedParagraphStyle {
  charId: CrdtId
  timestamp: CrdtId
  code: number
}

export interface DecodedRootText {
  kind: 'root_text'
  items: DecodedTextItem[]
  styles: DecodedParagraphStyle[]
  posX: number
  posY: number
  width: number
}

export type DecodedBlock =
  | { kind: 'tree_node'; nodeId: CrdtId; parentId: CrdtId }
  | {
      kind: 'group_info'
      nodeId: CrdtId
      label: LwwValue<string>
      visible: LwwValue<boolean>
      anchor?: GroupAnchor
    }
  | DecodedSceneItem
  | DecodedRootText
  | { kind: 'scene_info'; paperSize?: { width: number; height: number } }
  | { kind: 'metadata' }
