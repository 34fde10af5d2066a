// Recovery from a write that was in flight when the last run stopped (a crash, a 504 after Notion
// applied it): the page or blocks are looked for in Notion and adopted, never written twice.
import { signBlockShallow, signResponseBlockShallow } from './blockSignature.ts'
import type { StoredBlock } from './sectionDiff.ts'
import { makeAnchorBlock } from './anchorBlock.ts'
import { readAllChildren, type NotebookRun } from './notebookRun.ts'

/**
 * A write was in flight when the last run stopped. A page being created is looked up by its UUID;
 * blocks being appended are looked for right after the block they were appended after, and the
 * ones found are adopted (recorded with their ids), so nothing is written twice.
 */
export async function recoverIntent(run: NotebookRun) {
  const { env, model } = run
  const { port, store } = env
  const state = model.state
  const intent = state.intent!
  if (intent.kind === 'create_page') {
    const dataSourceId = env.destination.dataSourceId ?? env.schema.dataSourceId
    if (env.schema.present.includes('UUID') && dataSourceId) {
      run.result.requests++
      const found = await port.queryByUuid(dataSourceId, 'UUID', model.notebook.uuid)
      if (found[0]) Object.assign(state, { pageId: found[0].id, anchorId: null, sections: [] })
    }
    state.intent = null
    // That was the search by UUID: a page made elsewhere would have been found by it too.
    state.lookedForPage = true
    await store.saveNotebook(model)
    if (state.pageId) await adoptExistingPageContent(run)
    return
  }
  const listed = await readAllChildren(run, port, intent.parentId)
  let start = intent.after ? listed.findIndex((b) => b.id === intent.after) + 1 : 0
  if (intent.after && start === 0) start = listed.length // the anchor is gone: nothing can be matched
  // Notion applies an append whole or not at all, and appends in order: what landed is a prefix.
  let landed = 0
  while (landed < intent.entries.length) {
    const candidate = listed[start + landed]
    if (!candidate || signResponseBlockShallow(candidate) !== intent.entries[landed].shallow) break
    landed++
  }
  const touched = new Set<number>()
  for (const [k, entry] of intent.entries.slice(0, landed).entries()) {
    const id = listed[start + k].id
    if (entry.section === 'anchor') {
      state.anchorId = id
      continue
    }
    const st = model.sections.get(entry.section) ?? { blocks: [], nested: {} }
    const block: StoredBlock = { id, sig: entry.sig, type: entry.type, kids: entry.kids }
    // The run began after `intent.after`: inside this section when that block is one of its own,
    // otherwise at the section's start; later entries of the section follow the earlier ones.
    const previous = touched.has(entry.section) ? listed[start + k - 1].id : intent.after
    const at = st.blocks.findIndex((b) => b.id === previous)
    st.blocks.splice(at + 1, 0, block)
    model.sections.set(entry.section, st)
    touched.add(entry.section)
    if (!state.sections.includes(entry.section)) state.sections.push(entry.section)
  }
  state.intent = null
  await store.saveSections(model, [...touched])
}

/**
 * A page found by UUID after a crash may already hold blocks from the crashed run; those we cannot
 * tell apart from the user's are left alone, and sections are written after them. (Recovered runs
 * record pending blocks first, so this only happens if a crash fell between creating the page and
 * recording its id.)
 */
async function adoptExistingPageContent(run: NotebookRun) {
  const { env, model } = run
  const listed = await readAllChildren(run, env.port, model.state.pageId!)
  const anchor = listed.find((b) => b.type === 'paragraph' && signResponseBlockShallow(b) === signBlockShallow(makeAnchorBlock()))
  if (anchor) model.state.anchorId = anchor.id
  await env.store.saveNotebook(model)
}
