// Runs an AppendPlan through caller-supplied calls (the SDK, a fake, a paced queue): steps in
// order, each follow-up sent to the id an earlier step returned. Steps run one at a time — they
// depend on each other, and Notion's rate limit leaves nothing to gain from overlap.
//
// Order: the first top-level request goes `after` the given sibling (or to the end); each later
// top-level request goes after the last block the previous one created, so the blocks land in
// order even between existing siblings. Follow-ups target blocks we just created, whose children
// are all ours, so they append at the end.
//
// Responses: only the first `children.length` results are read. Notion returns the created
// first-level blocks; whether a response with `after` may list more is not documented, and the
// created blocks come first either way.

import type { NotionBlock } from './blockTypes.ts'
import type { AppendPlan, BlockRef } from './packAppends.ts'

export type AppendChildren = (parentId: string, children: NotionBlock[], after?: string) => Promise<{ results: { id: string }[] }>
/** First page (≤ 100) of a block's children; the plan never needs more. */
export type ListChildren = (blockId: string) => Promise<{ results: { id: string }[] }>
export type ExecuteOptions = { after?: string; listChildren?: ListChildren }

export type ExecuteErrorCode = 'append_failed' | 'list_failed' | 'short_response' | 'list_children_missing'
export type ExecuteError = { code: ExecuteErrorCode; message: string; step: number; cause?: unknown }
type Progress = {
  /** Ids of the blocks created directly under parentId, in order. */
  topLevelIds: string[]
  /** Every created block whose id is known, keyed by the caller's block object. */
  idOf: Map<NotionBlock, string>
  /** Requests sent (a failed one included). */
  requests: number
}
export type ExecuteResult = ({ ok: true } & Progress) | ({ ok: false; error: ExecuteError } & Progress)

export async function executeAppendPlan(
  plan: AppendPlan,
  parentId: string,
  append: AppendChildren,
  options: ExecuteOptions = {},
): Promise<ExecuteResult> {
  const progress: Progress = { topLevelIds: [], idOf: new Map(), requests: 0 }
  const fail = (code: ExecuteErrorCode, step: number, message: string, cause?: unknown): ExecuteResult => ({
    ok: false,
    error: { code, message, step, ...(cause === undefined ? {} : { cause }) },
    ...progress,
  })
  const { listChildren } = options
  if (!listChildren && plan.steps.some((step) => step.kind === 'list')) {
    return fail('list_children_missing', plan.steps.findIndex((step) => step.kind === 'list'), 'the plan lists children to learn wanted ids, but no listChildren was given')
  }

  const stepIds: string[][] = []
  const resolve = (ref: BlockRef): string => (ref.kind === 'parent' ? parentId : stepIds[ref.step][ref.index])
  let after = options.after

  for (const [index, step] of plan.steps.entries()) {
    const expected = step.kind === 'append' ? step.sources : step.expected
    let results: { id: string }[]
    progress.requests++
    try {
      if (step.kind === 'append') {
        const chained = step.parent.kind === 'parent' ? after : undefined
        results = (await append(resolve(step.parent), step.children, chained)).results
      } else {
        results = (await listChildren!(resolve(step.block))).results
      }
    } catch (cause) {
      const code = step.kind === 'append' ? 'append_failed' : 'list_failed'
      return fail(code, index, `step ${index + 1} of ${plan.steps.length} (${step.kind}) failed`, cause)
    }
    if (results.length < expected.length) {
      return fail('short_response', index, `step ${index + 1} returned ${results.length} blocks, expected ${expected.length}`)
    }
    const ids = results.slice(0, expected.length).map((result) => result.id)
    stepIds[index] = ids
    expected.forEach((block, position) => progress.idOf.set(block, ids[position]))
    if (step.kind === 'append' && step.parent.kind === 'parent') {
      progress.topLevelIds.push(...ids)
      if (options.after !== undefined) after = ids[ids.length - 1]
    }
  }
  return { ok: true, ...progress }
}
