// Splits top-level blocks (each possibly nested deep) into `PATCH /v1/blocks/{id}/children`
// requests that each respect NOTION_LIMITS.
//
// The scheme, chosen because an append returns only the ids of its first-level blocks:
// - A top-level block goes with as many of its children as fit *whole*: a child fits when its
//   subtree fits in the remaining levels (by default: its children are leaves) with ≤ 100
//   children per array, and the request's element and byte budget allows it.
// - From the first child that does not fit, the block's remaining children become a follow-up
//   append targeted at that block, whose id the earlier step returns. There the deep child is a
//   first-level block, so its own id comes back too and the same rule repeats.
// - Top-level blocks are packed greedily, in order; a block whose share does not fit starts the
//   next request rather than being cut, since a cut would cost a follow-up of its own.
// Listing a block's children to learn the id of a second- or third-level parent would cost a read
// and still the same append, so the plan never needs reads to place content. Reads are planned
// only for blocks whose ids the caller asks for (`wantId`, e.g. to_do blocks a todo's sync record
// points at) and that sit below the first level of their request: one list per parent.

import { getChildren, withChildren, type NotionBlock } from './blockTypes.ts'
import { childrenKeyBytes, estimateBlockBytes, measureOwnBytes } from './blockSize.ts'
import { NOTION_LIMITS, type NotionLimits } from './notionLimits.ts'

export { NOTION_LIMITS, NOTION_MAX_BODY_BYTES, type NotionLimits } from './notionLimits.ts'

/** The parent page/block given to the executor, or a block created (or listed) by an earlier step. */
export type BlockRef = { kind: 'parent' } | { kind: 'result'; step: number; index: number }

export type AppendStep = {
  kind: 'append'
  parent: BlockRef
  /** The request's children, as sent. */
  children: NotionBlock[]
  /** The caller's block objects behind `children`, same order (children are trimmed copies). */
  sources: NotionBlock[]
  elements: number
  /** Estimated body bytes, room for an `after`/`position` field included. */
  bytes: number
}

/** Lists `block`'s children; the first `expected.length` results are these blocks, in order. */
export type ListStep = { kind: 'list'; block: BlockRef; expected: NotionBlock[] }

export type PlanStep = AppendStep | ListStep
export type AppendPlan = { steps: PlanStep[] }
export type PackOptions = { wantId?: (block: NotionBlock) => boolean }

// `{"children":[` `]}` plus the longest placement field: `,"position":{"type":"after_block",
// "after_block":{"id":"<36 chars>"}}` is 89 bytes.
export const requestOverheadBytes = 128

type Stats = { elements: number; depth: number; widest: number; bytes: number; wanted: boolean }
type Shaped = { request: NotionBlock; included: NotionBlock[]; deferred: NotionBlock[]; elements: number; bytes: number }
type Job = { parent: BlockRef; blocks: NotionBlock[] }
type Building = { children: NotionBlock[]; sources: NotionBlock[]; included: NotionBlock[][]; deferred: NotionBlock[][]; elements: number; bytes: number }

export class BlockTooLargeError extends RangeError {}

export function packAppends(blocks: NotionBlock[], limits: NotionLimits = NOTION_LIMITS, options: PackOptions = {}): AppendPlan {
  const wantId = options.wantId ?? (() => false)
  const statsCache = new WeakMap<NotionBlock, Stats>()
  const readStats = (block: NotionBlock): Stats => {
    let stats = statsCache.get(block)
    if (!stats) {
      const children = getChildren(block).map(readStats)
      stats = {
        elements: 1 + children.reduce((sum, child) => sum + child.elements, 0),
        depth: 1 + children.reduce((deepest, child) => Math.max(deepest, child.depth), 0),
        widest: children.reduce((widest, child) => Math.max(widest, child.widest), children.length),
        bytes: estimateBlockBytes(block, children.map((child) => child.bytes)),
        wanted: wantId(block) || children.some((child) => child.wanted),
      }
      statsCache.set(block, stats)
    }
    return stats
  }
  const budgetBytes = limits.maxBodyBytes - requestOverheadBytes

  const fitsWhole = (block: NotionBlock, levels: number): boolean => {
    const stats = readStats(block)
    return stats.depth <= levels && stats.widest <= limits.maxChildrenPerArray && stats.elements <= limits.maxElementsPerRequest
  }

  const shapeTopLevel = (block: NotionBlock): Shaped => {
    const ownBytes = measureOwnBytes(block)
    if (ownBytes > budgetBytes) {
      throw new BlockTooLargeError(`a ${block.type} block serializes to ${ownBytes} bytes, over the ${budgetBytes}-byte request budget`)
    }
    const children = getChildren(block)
    let elements = 1
    let bytes = ownBytes
    let count = 0
    for (; count < children.length && count < limits.maxChildrenPerArray; count++) {
      const child = children[count]
      if (!fitsWhole(child, limits.maxLevelsPerRequest - 1)) break
      const stats = readStats(child)
      const nextBytes = bytes + stats.bytes + (count === 0 ? childrenKeyBytes : 1)
      if (elements + stats.elements > limits.maxElementsPerRequest || nextBytes > budgetBytes) break
      elements += stats.elements
      bytes = nextBytes
    }
    const included = children.slice(0, count)
    return { request: withChildren(block, included), included, deferred: children.slice(count), elements, bytes }
  }

  const steps: PlanStep[] = []
  const queue: Job[] = [{ parent: { kind: 'parent' }, blocks }]

  const planListSteps = (block: BlockRef, children: NotionBlock[]) => {
    if (!children.some((child) => readStats(child).wanted)) return
    const listStep = steps.push({ kind: 'list', block, expected: children }) - 1
    children.forEach((child, index) => {
      const grandchildren = getChildren(child)
      if (grandchildren.some((grandchild) => readStats(grandchild).wanted)) planListSteps({ kind: 'result', step: listStep, index }, grandchildren)
    })
  }

  const flush = (parent: BlockRef, building: Building) => {
    const { children, sources, elements, bytes } = building
    const step = steps.push({ kind: 'append', parent, children, sources, elements, bytes: bytes + requestOverheadBytes }) - 1
    building.included.forEach((included, index) => planListSteps({ kind: 'result', step, index }, included))
    building.deferred.forEach((deferred, index) => {
      if (deferred.length > 0) queue.push({ parent: { kind: 'result', step, index }, blocks: deferred })
    })
  }

  for (let next = 0; next < queue.length; next++) {
    const { parent, blocks: jobBlocks } = queue[next]
    let building: Building | null = null
    for (const block of jobBlocks) {
      const shaped = shapeTopLevel(block)
      if (building) {
        const fits =
          building.children.length < limits.maxChildrenPerArray &&
          building.elements + shaped.elements <= limits.maxElementsPerRequest &&
          building.bytes + 1 + shaped.bytes <= budgetBytes
        if (!fits) {
          flush(parent, building)
          building = null
        }
      }
      if (!building) building = { children: [], sources: [], included: [], deferred: [], elements: 0, bytes: -1 }
      building.children.push(shaped.request)
      building.sources.push(block)
      building.included.push(shaped.included)
      building.deferred.push(shaped.deferred)
      building.elements += shaped.elements
      building.bytes += 1 + shaped.bytes
    }
    if (building) flush(parent, building)
  }
  return { steps }
}

/** Requests the plan makes: appends plus the reads planned for wanted ids. */
export function planRequestCount(plan: AppendPlan): number {
  return plan.steps.length
}

export function countPlanSteps(plan: AppendPlan): { appends: number; lists: number } {
  const appends = plan.steps.filter((step) => step.kind === 'append').length
  return { appends, lists: plan.steps.length - appends }
}
