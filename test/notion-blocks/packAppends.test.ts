import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  BlockTooLargeError,
  countBlockElements,
  executeAppendPlan,
  getChildren,
  markdownToBlocks,
  measureJsonBytes,
  measureNestingDepth,
  NOTION_LIMITS,
  packAppends,
  planRequestCount,
  countPlanSteps,
  toPlainRichText,
  type AppendPlan,
  type AppendStep,
  type NotionBlock,
  type NotionLimits,
} from '../../server/notion/index.ts'
import { makeAppendRecorder, realNotionLimits, type RecorderLimits } from './appendRecorder.ts'
import { flattenLines } from './blockLines.ts'

const seed = 20_261_125
const bullet = (text: string, children: NotionBlock[] = []): NotionBlock => ({
  type: 'bulleted_list_item',
  bulleted_list_item: { rich_text: toPlainRichText(text), ...(children.length ? { children } : {}) },
})
const paragraph = (text: string): NotionBlock => ({ type: 'paragraph', paragraph: { rich_text: toPlainRichText(text) } })
const appendSteps = (plan: AppendPlan) => plan.steps.filter((step): step is AppendStep => step.kind === 'append')

async function runPlan(blocks: NotionBlock[], limits: NotionLimits = NOTION_LIMITS, recorderLimits: RecorderLimits = realNotionLimits) {
  const plan = packAppends(blocks, limits)
  const recorder = makeAppendRecorder(recorderLimits)
  const result = await executeAppendPlan(plan, 'root', recorder.append, { listChildren: recorder.listChildren })
  return { plan, recorder, result }
}

describe('packAppends', () => {
  it('packs 150 bullets into 2 requests of 100 and 50', async () => {
    const blocks = Array.from({ length: 150 }, (_, i) => bullet(`item ${i}`))
    const { plan, recorder, result } = await runPlan(blocks)
    expect(planRequestCount(plan)).toBe(2)
    expect(appendSteps(plan).map((step) => step.children.length)).toEqual([100, 50])
    expect(result.ok).toBe(true)
    expect(recorder.readTree()).toEqual(blocks)
    expect(result.topLevelIds).toHaveLength(150)
  })

  it('gets a 6-level nested list fully into Notion, in 4 requests for a single chain', async () => {
    const chain = markdownToBlocks(Array.from({ length: 6 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth}`).join('\n'))
    expect(measureNestingDepth(chain)).toBe(6)
    const { plan, recorder, result } = await runPlan(chain)
    expect(result.ok).toBe(true)
    expect(recorder.readTree()).toEqual(chain)
    // The deepest block must be sent to a parent at depth ≥ 2, whose id takes 3 appends to learn.
    expect(planRequestCount(plan)).toBe(4)
  })

  it('gets a branching 6-level list fully into Notion with every request within limits', async () => {
    const lines: string[] = []
    const grow = (depth: number, path: string) => {
      if (depth === 6) return
      for (let i = 0; i < 3; i++) {
        lines.push(`${'\t'.repeat(depth)}- node ${path}${i}`)
        grow(depth + 1, `${path}${i}.`)
      }
    }
    grow(0, '')
    const markdown = lines.join('\n')
    const blocks = markdownToBlocks(markdown)
    expect(countBlockElements(blocks)).toBe(3 + 9 + 27 + 81 + 243 + 729)
    const { recorder, result } = await runPlan(blocks)
    expect(result.ok).toBe(true)
    const stored = recorder.readTree()
    expect(stored).toEqual(blocks)
    expect(flattenLines(stored).map((line) => `${'\t'.repeat(line.depth)}- ${line.text}`)).toEqual(lines)
  })

  it('fills a request to exactly 1,000 elements and no further', async () => {
    const tenFull = Array.from({ length: 10 }, (_, i) => bullet(`b${i}`, Array.from({ length: 99 }, (_, j) => bullet(`c${i}.${j}`))))
    expect(countBlockElements(tenFull)).toBe(1000)
    expect(planRequestCount(packAppends(tenFull))).toBe(1)
    const oneMore = [...tenFull, paragraph('one more')]
    const plan = packAppends(oneMore)
    expect(appendSteps(plan).map((step) => step.elements)).toEqual([1000, 1])
  })

  it('splits one block of 1,001 elements: 99 children go along, the 100th follows up', async () => {
    const big = bullet('top', Array.from({ length: 100 }, (_, i) => bullet(`c${i}`, Array.from({ length: 9 }, (_, j) => bullet(`g${i}.${j}`)))))
    expect(countBlockElements(big)).toBe(1001)
    const { plan, recorder, result } = await runPlan([big])
    const steps = appendSteps(plan)
    expect(steps.map((step) => [step.parent.kind, step.elements])).toEqual([
      ['parent', 991],
      ['result', 10],
    ])
    expect(steps[1].parent).toEqual({ kind: 'result', step: 0, index: 0 })
    expect(result.ok).toBe(true)
    expect(recorder.readTree()).toEqual([big])
  })

  it('sends children beyond 100 at the second level as follow-ups to their parent', async () => {
    const wide = bullet('parent', Array.from({ length: 250 }, (_, i) => bullet(`child ${i}`)))
    const { plan, recorder, result } = await runPlan([wide])
    expect(appendSteps(plan).map((step) => step.parent.kind === 'parent' ? 'root' : `→${step.children.length}`)).toEqual(['root', '→100', '→50'])
    expect(result.ok).toBe(true)
    expect(recorder.readTree()).toEqual([wide])
  })

  it('makes a child with more than 100 children a first-level block of a follow-up', async () => {
    const inner = bullet('inner', Array.from({ length: 130 }, (_, i) => bullet(`leaf ${i}`)))
    const outer = bullet('outer', [bullet('before'), inner, bullet('after')])
    const { plan, recorder, result } = await runPlan([outer])
    expect(appendSteps(plan).map((step) => step.children.map((child) => child.type === 'bulleted_list_item' ? child.bulleted_list_item.rich_text[0].text.content : ''))).toEqual([
      ['outer'],
      ['inner', 'after'],
      Array.from({ length: 30 }, (_, i) => `leaf ${100 + i}`),
    ])
    expect(result.ok).toBe(true)
    expect(recorder.readTree()).toEqual([outer])
  })

  it('keeps every request under the byte budget: 30 pages × 30 blocks of long text', async () => {
    const longText = (page: number, block: number) => `p${page}b${block} ` + 'é'.repeat(6000)
    const blocks = Array.from({ length: 30 }, (_, page) => [
      { type: 'heading_2', heading_2: { rich_text: toPlainRichText(`Page ${page + 1}`) } } as NotionBlock,
      ...Array.from({ length: 30 }, (_, block) => paragraph(longText(page, block))),
    ]).flat()
    const { plan, recorder, result } = await runPlan(blocks)
    const steps = appendSteps(plan)
    const totalBytes = measureJsonBytes(blocks)
    for (const step of steps) {
      const actual = measureJsonBytes({ children: step.children, after: '00000000-0000-0000-0000-000000000000' })
      expect(actual).toBeLessThanOrEqual(step.bytes)
      expect(step.bytes).toBeLessThanOrEqual(NOTION_LIMITS.maxBodyBytes)
    }
    expect(steps.length).toBeGreaterThanOrEqual(Math.ceil(totalBytes / NOTION_LIMITS.maxBodyBytes))
    // Greedy and maximal: the next request's first block would not have fit into the previous one.
    for (let i = 0; i + 1 < steps.length; i++) {
      const merged = measureJsonBytes({ children: [...steps[i].children, steps[i + 1].children[0]] })
      expect(merged + 128 > NOTION_LIMITS.maxBodyBytes || steps[i].children.length === 100).toBe(true)
    }
    expect(result.ok).toBe(true)
    expect(recorder.readTree()).toEqual(blocks)
    expect(recorder.calls.every((call) => call.bytes <= NOTION_LIMITS.maxBodyBytes)).toBe(true)
  })

  it('cuts a block whose children outgrow the byte budget and sends the rest as a follow-up', async () => {
    const heavy = bullet('heavy', Array.from({ length: 50 }, (_, i) => paragraph(`${i} ` + 'ü'.repeat(6000))))
    const { plan, recorder, result } = await runPlan([heavy])
    const steps = appendSteps(plan)
    expect(steps.length).toBe(2)
    expect(steps[1].parent).toEqual({ kind: 'result', step: 0, index: 0 })
    expect(result.ok).toBe(true)
    expect(recorder.readTree()).toEqual([heavy])
  })

  it('refuses a single block larger than a request', () => {
    const rich_text = Array.from({ length: 100 }, () => ({ type: 'text' as const, text: { content: '日'.repeat(2000) } }))
    expect(() => packAppends([{ type: 'paragraph', paragraph: { rich_text } }])).toThrow(BlockTooLargeError)
  })

  it('plans nothing for no blocks', () => {
    expect(planRequestCount(packAppends([]))).toBe(0)
  })
})

describe('executeAppendPlan', () => {
  it('inserts after a given sibling and chains later top-level requests after the last created block', async () => {
    const recorder = makeAppendRecorder()
    const [first, last] = recorder.seed([paragraph('existing first'), paragraph('existing last')])
    const blocks = Array.from({ length: 230 }, (_, i) => bullet(`new ${i}`))
    const plan = packAppends(blocks)
    const result = await executeAppendPlan(plan, 'root', recorder.append, { after: first })
    expect(result.ok).toBe(true)
    const texts = flattenLines(recorder.readTree()).map((line) => line.text)
    expect(texts).toEqual(['existing first', ...blocks.map((_, i) => `new ${i}`), 'existing last'])
    const appendCalls = recorder.calls.filter((call) => call.kind === 'append')
    expect(appendCalls[0].after).toBe(first)
    expect(appendCalls[1].after).toBe(result.topLevelIds[99])
    expect(appendCalls[2].after).toBe(result.topLevelIds[199])
    expect(result.topLevelIds).toHaveLength(230)
    expect(last).toBeDefined()
  })

  it('learns the ids of wanted nested blocks (to_dos) with one list per parent', async () => {
    const blocks = markdownToBlocks(['- [ ] top todo', '- project', '  - [ ] nested todo', '  - note', '    - [x] deep todo', '- other'].join('\n'))
    const plan = packAppends(blocks, NOTION_LIMITS, { wantId: (block) => block.type === 'to_do' })
    expect(countPlanSteps(plan)).toEqual({ appends: 1, lists: 2 })
    const recorder = makeAppendRecorder()
    const result = await executeAppendPlan(plan, 'root', recorder.append, { listChildren: recorder.listChildren })
    expect(result.ok).toBe(true)
    const todos: NotionBlock[] = []
    const walk = (list: NotionBlock[]): void =>
      list.forEach((b) => {
        if (b.type === 'to_do') todos.push(b)
        walk(getChildren(b))
      })
    walk(blocks)
    expect(todos).toHaveLength(3)
    for (const todo of todos) {
      const id = result.idOf.get(todo)
      expect(id).toBeDefined()
      expect(flattenLines([recorder.blockOf(id!)!])[0].text).toBe(flattenLines([todo])[0].text)
    }
  })

  it('reports a failed append with what was created so far', async () => {
    const recorder = makeAppendRecorder()
    let calls = 0
    const flaky = async (parentId: string, children: NotionBlock[], after?: string) => {
      if (++calls === 2) throw new Error('502 Bad Gateway')
      return recorder.append(parentId, children, after)
    }
    const result = await executeAppendPlan(packAppends(Array.from({ length: 150 }, (_, i) => bullet(`${i}`))), 'root', flaky)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatchObject({ code: 'append_failed', step: 1 })
    expect(result.topLevelIds).toHaveLength(100)
    expect(result.requests).toBe(2)
  })

  it('reports a response with fewer results than blocks sent', async () => {
    const result = await executeAppendPlan(packAppends([paragraph('a'), paragraph('b')]), 'root', async () => ({ results: [{ id: 'x' }] }))
    expect(result).toMatchObject({ ok: false, error: { code: 'short_response', step: 0 } })
  })

  it('refuses, before any request, a plan with reads but no listChildren', async () => {
    const plan = packAppends(markdownToBlocks('- a\n  - [ ] b'), NOTION_LIMITS, { wantId: (block) => block.type === 'to_do' })
    const recorder = makeAppendRecorder()
    const result = await executeAppendPlan(plan, 'root', recorder.append)
    expect(result).toMatchObject({ ok: false, error: { code: 'list_children_missing' }, requests: 0 })
    expect(recorder.calls).toHaveLength(0)
  })
})

describe('packAppends on generated trees', () => {
  type Tree = { text: string; children: Tree[] }
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.record({
      text: fc.string({ minLength: 1, maxLength: 30 }),
      children: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant<Tree[]>([]), fc.array(tie('node'), { maxLength: 5 })),
    }),
  })).node
  const toBlocks = (trees: Tree[]): NotionBlock[] => trees.map((t) => bullet(t.text, toBlocks(t.children)))
  const wideForest = fc.array(tree, { minLength: 1, maxLength: 8 }).map((trees) => toBlocks(trees))

  const tiny: NotionLimits = { maxChildrenPerArray: 3, maxElementsPerRequest: 10, maxBodyBytes: 2500, maxLevelsPerRequest: 3 }
  const tinyRecorder: RecorderLimits = { maxChildren: 3, maxElements: 10, maxBodyBytes: 2500, maxLevels: 3 }

  it('with tiny limits every request passes the strict recorder and the stored tree is the input', async () => {
    await fc.assert(
      fc.asyncProperty(wideForest, async (blocks) => {
        const { plan, recorder, result } = await runPlan(blocks, tiny, tinyRecorder)
        expect(result.ok).toBe(true)
        expect(recorder.readTree()).toEqual(blocks)
        for (const step of appendSteps(plan)) expect(measureJsonBytes({ children: step.children })).toBeLessThanOrEqual(step.bytes)
      }),
      { seed, numRuns: 300 },
    )
  })

  it('with real limits, deep and wide trees land whole', async () => {
    const wideChildren = fc.integer({ min: 90, max: 260 }).map((n) => Array.from({ length: n }, (_, i) => bullet(`w${i}`)))
    const forest = fc.tuple(wideForest, wideChildren, fc.nat(7)).map(([blocks, wide, at]) => {
      const copy = [...blocks]
      copy.splice(Math.min(at, copy.length), 0, bullet('wide', wide))
      return copy
    })
    await fc.assert(
      fc.asyncProperty(forest, async (blocks) => {
        const { recorder, result } = await runPlan(blocks)
        expect(result.ok).toBe(true)
        expect(recorder.readTree()).toEqual(blocks)
      }),
      { seed, numRuns: 100 },
    )
  })
})
