// How many requests a 30-page notebook costs in each section shape, with every plan executed
// against the strict recorder: flat (heading_2 then the page's blocks) or a toggleable heading_2
// holding the page's blocks. These figures decide the section shape.

import { describe, expect, it } from 'vitest'
import { countBlockElements, countPlanSteps, executeAppendPlan, NOTION_LIMITS, packAppends, type NotionBlock } from '../../server/notion/index.ts'
import { makeAppendRecorder } from './appendRecorder.ts'
import { makeNotebookBlocks, type SectionShape } from './notebookPages.ts'

const wantTodo = { wantId: (block: NotionBlock) => block.type === 'to_do' }

async function measure(shape: SectionShape, options: { deep?: boolean; flat?: boolean; pages?: number } = {}) {
  const blocks = makeNotebookBlocks(shape, options)
  const plain = countPlanSteps(packAppends(blocks))
  const plan = packAppends(blocks, NOTION_LIMITS, wantTodo)
  const recorder = makeAppendRecorder()
  const result = await executeAppendPlan(plan, 'root', recorder.append, { listChildren: recorder.listChildren })
  expect(result.ok).toBe(true)
  expect(recorder.readTree()).toEqual(blocks)
  return { topLevel: blocks.length, elements: countBlockElements(blocks), appends: plain.appends, withTodoIds: countPlanSteps(plan), sent: recorder.calls.length }
}

describe('a 30-page notebook (30 blocks of ~80 characters per page) as one Notion page', () => {
  it('typical pages (23 top-level blocks, one level of sub-bullets, a nested todo)', async () => {
    const flat = await measure('flat')
    const toggle = await measure('toggle')
    console.log('typical', { flat, toggle })
    expect(flat).toMatchObject({ topLevel: 720, elements: 930, appends: 8, withTodoIds: { appends: 8, lists: 30 } })
    expect(toggle).toMatchObject({ topLevel: 30, elements: 930, appends: 1, withTodoIds: { appends: 1, lists: 60 } })
  })

  it('pages with a second level of sub-bullets: the toggle spends a nesting level', async () => {
    const flat = await measure('flat', { deep: true })
    const toggle = await measure('toggle', { deep: true })
    console.log('deep', { flat, toggle })
    expect(flat).toMatchObject({ topLevel: 690, appends: 7, withTodoIds: { appends: 7, lists: 30 } })
    expect(toggle).toMatchObject({ topLevel: 30, appends: 31, withTodoIds: { appends: 31, lists: 30 } })
  })

  it('pages of 30 top-level blocks (≈930 top-level blocks in all)', async () => {
    const flat = await measure('flat', { flat: true })
    const toggle = await measure('toggle', { flat: true })
    console.log('all top-level', { flat, toggle })
    expect(flat).toMatchObject({ topLevel: 930, appends: 10 })
    expect(toggle).toMatchObject({ topLevel: 30, elements: 930, appends: 1 })
  })

  it('rewriting one page: one section to append (plus its deletes, not planned here)', async () => {
    const flat = await measure('flat', { pages: 1 })
    const toggle = await measure('toggle', { pages: 1 })
    console.log('one page', { flat, toggle })
    // Flat: the old section is 24 top-level blocks, so 24 DELETEs; toggle: 1 DELETE.
    expect(flat).toMatchObject({ topLevel: 24, appends: 1, withTodoIds: { appends: 1, lists: 1 } })
    expect(toggle).toMatchObject({ topLevel: 1, appends: 1, withTodoIds: { appends: 1, lists: 2 } })
  })
})
