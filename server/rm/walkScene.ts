import { makeCrdtIdKey } from './crdtId.ts'
import { orderSequence } from './crdtSequence.ts'
import { classifyTool, isTranslucentTool, nameTool } from './pens.ts'
import { nameColor, resolveHighlighterRgba, resolvePenRgba } from './penColors.ts'
import type { DecodedGlyphRange, DecodedLine, DecodedSceneItem, GroupAnchor } from './sceneBlockTypes.ts'
import type { GroupNode, SceneTree } from './sceneTree.ts'
import type { StepBudget } from './stepBudget.ts'
import type { RmHighlight, RmLayer, RmStroke } from './types.ts'

export interface SceneContents {
  layers: RmLayer[]
  strokes: RmStroke[]
  highlights: RmHighlight[]
}

interface Frame {
  items: DecodedSceneItem[]
  next: number
  origin: { x: number; y: number }
  visible: boolean
  layer: number
}

function orderChildren(group: GroupNode, budget: StepBudget): DecodedSceneItem[] {
  const entries = group.children.map((item) => ({
    id: item.itemId,
    leftId: item.leftId,
    rightId: item.rightId,
    length: 1, // scene items are not runs: a deleted length does not reserve ids here
  }))
  return orderSequence(entries, budget).pieces.map((piece) => group.children[piece.entry])
}

function makeStroke(line: DecodedLine, frame: Frame): RmStroke {
  const kind = classifyTool(line.toolId)
  return {
    tool: nameTool(line.toolId),
    toolId: line.toolId,
    color: nameColor(line.colorId),
    colorId: line.colorId,
    rgba: isTranslucentTool(kind) ? resolveHighlighterRgba(line.colorId, line.rgba) : resolvePenRgba(line.colorId, line.rgba),
    thicknessScale: line.thicknessScale,
    startingLength: line.startingLength,
    points: line.points,
    layer: frame.layer,
    origin: frame.origin,
    visible: frame.visible,
  }
}

function makeHighlight(glyph: DecodedGlyphRange, frame: Frame): RmHighlight {
  const { x, y } = frame.origin
  const highlight: RmHighlight = {
    text: glyph.text,
    color: nameColor(glyph.colorId),
    colorId: glyph.colorId,
    rgba: resolveHighlighterRgba(glyph.colorId, glyph.rgba),
    rects: glyph.rects.map((rect) => ({ x: rect.x + x, y: rect.y + y, w: rect.w, h: rect.h })),
    layer: frame.layer,
  }
  if (glyph.start !== undefined) highlight.start = glyph.start
  return highlight
}

/**
 * Walks the tree from the root in sequence order, depth first, as the tablet draws it.
 * The root's groups are the layers; deeper groups add their anchor offset. A group is
 * entered at most once, so a corrupt file cannot loop through a cycle of groups.
 */
export function walkSceneTree(
  tree: SceneTree,
  budget: StepBudget,
  placeAnchor: (anchor: GroupAnchor) => { x: number; y: number },
): SceneContents {
  const contents: SceneContents = { layers: [], strokes: [], highlights: [] }
  const entered = new Set<string>([makeCrdtIdKey(tree.root.id)])
  const stack: Frame[] = [
    { items: orderChildren(tree.root, budget), next: 0, origin: { x: 0, y: 0 }, visible: tree.root.visible, layer: -1 },
  ]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    if (frame.next >= frame.items.length) {
      stack.pop()
      continue
    }
    budget.spend()
    const item = frame.items[frame.next++]
    const value = item.value
    if (!value) continue
    if (value.type === 'line') {
      const stroke = makeStroke(value.line, frame)
      contents.strokes.push(stroke)
      if (frame.layer >= 0) contents.layers[frame.layer].strokes.push(stroke)
    } else if (value.type === 'glyph') {
      const highlight = makeHighlight(value.glyph, frame)
      contents.highlights.push(highlight)
      if (frame.layer >= 0) contents.layers[frame.layer].highlights.push(highlight)
    } else {
      const key = makeCrdtIdKey(value.nodeId)
      const group = tree.nodes.get(key)
      if (!group || entered.has(key)) continue
      entered.add(key)
      let layer = frame.layer
      if (stack.length === 1) {
        layer = contents.layers.length
        contents.layers.push({ id: key, label: group.label, visible: group.visible, strokes: [], highlights: [] })
      }
      const offset = group.anchor ? placeAnchor(group.anchor) : { x: 0, y: 0 }
      stack.push({
        items: orderChildren(group, budget),
        next: 0,
        origin: { x: frame.origin.x + offset.x, y: frame.origin.y + offset.y },
        visible: frame.visible && group.visible,
        layer,
      })
    }
  }
  return contents
}
