import { BlockReadFailure, BudgetExhausted, makeRmError } from './errors.ts'
import { readBlockStream } from './blockStream.ts'
import { decodeBlock, isKnownBlockType } from './decodeBlock.ts'
import { buildSceneTree } from './sceneTree.ts'
import { readTypedText } from './text.ts'
import { DEFAULT_TEXT_BOX, layOutText } from './textLayout.ts'
import { makeAnchorPlacer } from './anchors.ts'
import { walkSceneTree } from './walkScene.ts'
import { classifyTool, isTranslucentTool } from './pens.ts'
import { StepBudget, defaultMaxSteps } from './stepBudget.ts'
import type { DecodedBlock } from './sceneBlockTypes.ts'
import type { ParseRmOptions, RmPage, RmResult, RmStroke, RmUnknownBlock, RmUnreadableBlock } from './types.ts'

/**
 * Most blocks of unknown types, and most unreadable blocks, one file may hold: each is kept (with a
 * reason, an exception thrown) and a file of nothing else is not a page but a way to spend memory.
 */
export const MAX_ODD_BLOCKS_PER_FILE = 2_000

/** reMarkable 2's screen, used when the file does not state its paper size. */
export const DEFAULT_PAGE_SIZE = { width: 1404, height: 1872 }

function isHandwriting(stroke: RmStroke): boolean {
  const kind = classifyTool(stroke.toolId)
  return stroke.visible && stroke.points.length > 0 && kind !== 'eraser' && !isTranslucentTool(kind)
}

function readPage(bytes: Uint8Array, budget: StepBudget): RmResult {
  const stream = readBlockStream(bytes, budget)
  if (!stream.ok) return stream
  const decoded: DecodedBlock[] = []
  const unknownBlocks: RmUnknownBlock[] = []
  const unreadableBlocks: RmUnreadableBlock[] = []
  for (const block of stream.blocks) {
    budget.spend()
    if (unknownBlocks.length > MAX_ODD_BLOCKS_PER_FILE || unreadableBlocks.length > MAX_ODD_BLOCKS_PER_FILE) {
      return { ok: false, error: makeRmError('corrupt', `more than ${MAX_ODD_BLOCKS_PER_FILE} blocks of unknown types or unreadable contents; the file is not a page this reader understands`, { offset: block.offset }) }
    }
    if (!isKnownBlockType(block.type)) {
      unknownBlocks.push({
        type: block.type,
        minVersion: block.minVersion,
        currentVersion: block.currentVersion,
        offset: block.offset,
        length: block.bodyEnd - block.bodyStart,
        body: bytes.subarray(block.bodyStart, block.bodyEnd),
      })
      continue
    }
    try {
      decoded.push(decodeBlock(bytes, block, budget))
    } catch (error) {
      if (!(error instanceof BlockReadFailure)) throw error
      unreadableBlocks.push({ type: block.type, offset: block.offset, reason: error.message })
    }
  }

  const tree = buildSceneTree(decoded)
  const rootText = tree.rootText
  const text = rootText ? readTypedText(rootText, budget) : undefined
  const paragraphs = text?.paragraphs ?? []
  const textBox =
    rootText && [rootText.posX, rootText.posY, rootText.width].every(Number.isFinite)
      ? { x: rootText.posX, y: rootText.posY, width: rootText.width }
      : undefined
  const layout = layOutText(paragraphs, textBox ?? DEFAULT_TEXT_BOX)
  const placeAnchor = makeAnchorPlacer(text, layout, (textBox ?? DEFAULT_TEXT_BOX).y)
  const { layers, strokes, highlights } = walkSceneTree(tree, budget, placeAnchor)
  const size = tree.paperSize ?? DEFAULT_PAGE_SIZE

  const page: RmPage = {
    width: size.width,
    height: size.height,
    layers,
    strokes,
    paragraphs,
    highlights,
    hasHandwriting: strokes.some(isHandwriting),
    unknownBlocks,
    unreadableBlocks,
    deletedItems: tree.deletedItems,
    steps: budget.stepsUsed,
  }
  if (textBox) page.textBox = textBox
  return { ok: true, page }
}

/**
 * Reads a reMarkable v6 page. Never throws: every input gives a page or a typed error,
 * and the work done is bounded by `maxSteps`.
 */
export function parseRm(bytes: Uint8Array, opts: ParseRmOptions = {}): RmResult {
  if (!(bytes instanceof Uint8Array)) {
    return { ok: false, error: makeRmError('not_rm', 'input is not a byte array') }
  }
  const maxSteps =
    typeof opts.maxSteps === 'number' && opts.maxSteps > 0 ? opts.maxSteps : defaultMaxSteps(bytes.length)
  const budget = new StepBudget(maxSteps)
  try {
    return readPage(bytes, budget)
  } catch (error) {
    if (error instanceof BudgetExhausted) {
      return {
        ok: false,
        error: makeRmError('budget_exceeded', `reading stopped after ${maxSteps} steps; the file is too complex or malformed`),
      }
    }
    // A reader bug must not take the process down; the message says it is one.
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, error: makeRmError('corrupt', `unexpected reader failure: ${detail}`) }
  }
}
