// The Notion sync of one notebook: make Notion's page match our notebook, touching only what
// changed. Sections (one per reMarkable page, in page order) are diffed block by block; new blocks
// are packed into as few appends as Notion's limits allow; every write is preceded by a record of
// what is about to be written (pending blocks), so a crash or a 504 never leads to duplicates.
import { getChildren, type NotionBlock } from '../blockTypes.ts'
import { packAppends } from '../packAppends.ts'
import { executeAppendPlan } from '../executeAppendPlan.ts'
import { signBlockShallow, signResponseBlockShallow } from './blockSignature.ts'
import { diffSection, makeUpdateBody, type StoredBlock } from './sectionDiff.ts'
import { SyncCallError } from './notionPort.ts'
import type { NotebookModel } from './notebookModel.ts'
import type { SectionState } from './notebookState.ts'
import type { DesiredSection } from './sectionBlocks.ts'
import { makeNotebookProperties, hashNotebookFacts, type NotionSchema, type NotebookFacts } from './notebookProperties.ts'
import { recoverIntent } from './intentRecovery.ts'
import { adoptExistingPage } from './adoptExistingPage.ts'
import { makeAnchorBlock } from './anchorBlock.ts'
import { readAllChildren, type NotebookRun, type NotebookSyncEnv, type NotebookSyncResult } from './notebookRun.ts'

export type { NotebookSyncEnv, NotebookSyncResult, SectionFailure } from './notebookRun.ts'

/** A slot of the notebook page as it should be: a desired block, with the id it has (or will get). */
interface Slot {
  section: number | 'anchor'
  index: number
  block: NotionBlock
  sig: string
  id: string | null
  /** Updated in place this run (rather than kept as it is). */
  update: boolean
}

function realBlocks(state: SectionState | undefined): StoredBlock[] {
  return (state?.blocks ?? []).filter((b) => b.id)
}

function orderOfSections(model: NotebookModel): number[] {
  // Sections actually in Notion: listed, and holding at least one block that was written.
  return model.state.sections.filter((pageId) => realBlocks(model.sections.get(pageId)).length > 0)
}

function longestCommonSubsequence(a: readonly number[], b: readonly number[]): Set<number> {
  const table = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1))
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1])
  const kept = new Set<number>()
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) kept.add(a[i]), i++, j++
    else if (table[i + 1][j] >= table[i][j + 1]) i++
    else j++
  }
  return kept
}

export function syncNotebookToNotion(env: NotebookSyncEnv, model: NotebookModel): Promise<NotebookSyncResult> {
  return new NotebookSync(env, model).run()
}

/** One run: the environment, the notebook's model, the page's slots and what was sent. */
class NotebookSync implements NotebookRun {
  readonly result: NotebookSyncResult = { requests: 0, failedSections: [] }
  /** The page's blocks as they should be, in order: kept, updated and new (grouped by section in page order). */
  private readonly slots: Slot[] = []
  private readonly desiredById: Map<number, DesiredSection>
  /** The notebook's Notion page, once known. */
  private pageId = ''

  constructor(
    readonly env: NotebookSyncEnv,
    readonly model: NotebookModel,
  ) {
    this.desiredById = new Map(model.desired.map((d) => [d.pageId, d]))
  }

  async run(): Promise<NotebookSyncResult> {
    const { env, model, result, slots, desiredById } = this
    const count = <T>(p: Promise<T>) => (result.requests++, p)
    const { port, store, logger } = env
    const state = model.state

    if (state.intent) await recoverIntent(this)

    // The notebook's page in the database: by stored id; after a crash while creating it, by its UUID;
    // on the first sync, one made elsewhere is looked for (once) and adopted before we make our own.
    const facts: NotebookFacts = { uuid: model.notebook.uuid, visibleName: model.notebook.visibleName, folderPath: model.notebook.folderPath, tags: model.notebook.tags, pageCount: model.pageCount }
    let pageCreated = false
    const pageAdopted = !state.pageId && !state.lookedForPage && (await adoptExistingPage(this))
    if (!state.pageId) {
      state.intent = { kind: 'create_page', at: env.now().toISOString() }
      state.lookedForPage = true
      await store.saveNotebook(model)
      const parent = env.destination.dataSourceId ? { data_source_id: env.destination.dataSourceId } : { database_id: env.destination.databaseId }
      const page = await count(port.createPage({ parent, properties: makeNotebookProperties(env.schema, facts, 'Pending', null) }))
      Object.assign(state, { pageId: page.id, anchorId: null, sections: [], intent: null, propertiesHash: null })
      for (const s of model.sections.values()) s.blocks = []
      await store.saveNotebook(model)
      pageCreated = true
    }
    const pageId = (this.pageId = state.pageId!)

    // Sections: those whose relative order is unchanged stay and are diffed; the others (moved,
    // removed) are deleted, and moved or new ones are written at their place.
    const current = orderOfSections(model)
    const desiredIds = model.desired.map((d) => d.pageId)
    const kept = longestCommonSubsequence(current, desiredIds)
    const deletes: { section: number; id: string }[] = []
    for (const pageIdOfSection of new Set([...state.sections, ...model.sections.keys()])) {
      if (kept.has(pageIdOfSection)) continue
      for (const b of realBlocks(model.sections.get(pageIdOfSection))) deletes.push({ section: pageIdOfSection, id: b.id })
    }

    if (!state.anchorId) slots.push({ section: 'anchor', index: 0, block: makeAnchorBlock(), sig: 'anchor', id: null, update: false })
    for (const d of model.desired) {
      const stored = kept.has(d.pageId) ? realBlocks(model.sections.get(d.pageId)) : []
      for (const op of diffSection(stored, d.blocks, d.sigs)) {
        if (op.kind === 'delete') deletes.push({ section: d.pageId, id: stored[op.current].id })
        else if (op.kind === 'insert') slots.push({ section: d.pageId, index: op.desired, block: d.blocks[op.desired], sig: d.sigs[op.desired], id: null, update: false })
        else slots.push({ section: d.pageId, index: op.desired, block: d.blocks[op.desired], sig: d.sigs[op.desired], id: stored[op.current].id, update: op.kind === 'update' })
      }
    }

    // 1. Deletes (a block already gone is fine: deleting is idempotent here).
    for (const del of deletes) {
      try {
        await count(port.deleteBlock(del.id))
      } catch (error) {
        const e = error as SyncCallError
        if (e.kind !== 'not_found' && e.kind !== 'archived') throw e
      }
      const s = model.sections.get(del.section)
      if (s) s.blocks = s.blocks.filter((b) => b.id !== del.id)
    }
    if (deletes.length) {
      state.sections = state.sections.filter((p) => kept.has(p) || realBlocks(model.sections.get(p)).length > 0)
      await store.saveSections(model, [...new Set(deletes.map((d) => d.section))])
    }

    // 2. Updates in place; a block the user deleted in Notion is written anew instead.
    for (const slot of slots) {
      if (!slot.update) continue
      try {
        await count(port.updateBlock(slot.id!, makeUpdateBody(slot.block)))
      } catch (error) {
        const e = error as SyncCallError
        if (e.kind !== 'not_found' && e.kind !== 'archived') throw e
        slot.id = null
      }
    }

    // 3. Inserts: runs of slots without an id, each appended after the slot before it.
    // The block a run goes after: the nearest slot before it that exists, else the anchor.
    const lastOf = (i: number) => {
      for (let k = i; k >= 0; k--) if (slots[k].id) return slots[k].id
      return state.anchorId
    }
    let i = 0
    while (i < slots.length) {
      if (slots[i].id) {
        i++
        continue
      }
      let end = i
      while (end < slots.length && !slots[end].id) end++
      const run = slots.slice(i, end)
      const after = lastOf(i - 1) ?? undefined
      const failure = await this.appendRun(run, after)
      if (failure) {
        // Notion refused the run (validation): isolate the section at fault by retrying section by section.
        if (new Set(run.map((s) => s.section)).size > 1) {
          await this.appendSectionBySection(run, after)
        } else if (run[0].section !== 'anchor') {
          result.failedSections.push({ pageId: run[0].section, message: failure })
          // Skip the failed slots: later runs anchor on the block before them.
          for (const s of run) s.id = null
        } else throw new SyncCallError('invalid', failure)
      }
      i = end
    }

    // Section states from the slots: ids in desired order, signatures of what is there now.
    const touched = new Set<number>()
    for (const d of model.desired) {
      if (result.failedSections.some((f) => f.pageId === d.pageId)) continue
      const mine = slots.filter((s) => s.section === d.pageId)
      if (mine.some((s) => !s.id)) continue
      const s = model.sections.get(d.pageId) ?? { blocks: [], nested: {} }
      const before = JSON.stringify(s.blocks)
      s.blocks = mine.map((slot) => ({ id: slot.id!, sig: slot.sig, type: slot.block.type, kids: getChildren(slot.block).length > 0 }))
      if (JSON.stringify(s.blocks) !== before) touched.add(d.pageId)
      model.sections.set(d.pageId, s)
    }
    const anchor = slots.find((s) => s.section === 'anchor')
    if (anchor?.id) state.anchorId = anchor.id
    state.sections = model.desired.map((d) => d.pageId).filter((p) => realBlocks(model.sections.get(p)).length > 0)
    await store.saveSections(model, [...touched])

    // 4. Ids of nested to_do blocks (top-level ones are known from the appends).
    await this.learnNestedTodoIds()

    // 5. Properties: whenever anything was written, or the name, path, tags or page count changed.
    const status = result.failedSections.length ? 'Error' : 'Synced'
    const factsHash = hashNotebookFacts(facts, status)
    if (pageCreated || pageAdopted || result.requests > 0 || factsHash !== state.propertiesHash) {
      try {
        await count(port.updatePage(pageId, { properties: makeNotebookProperties(env.schema, facts, status, env.now()) }))
      } catch (error) {
        const e = error as SyncCallError
        if (e.kind !== 'invalid') throw e
        // The database's properties changed under us: write the title alone, refresh the schema next time.
        logger.warn({ err: e.message }, 'notebook properties refused; writing the title only')
        await store.forgetSchema()
        await count(port.updatePage(pageId, { properties: makeNotebookProperties({ ...env.schema, present: [] }, facts, status, null) }))
      }
      state.propertiesHash = factsHash
      await store.saveNotebook(model)
    }
    return result
  }

  /** Appends a run of slots (packed to Notion's limits), recording them as pending first. */
  private async appendRun(run: Slot[], after: string | undefined): Promise<string | null> {
    const { env, model, slots, desiredById, result, pageId } = this
    const { port, store } = env
    const state = model.state
    state.intent = {
      kind: 'append',
      parentId: pageId,
      after: after ?? null,
      entries: run.map((s) => ({ section: s.section, index: s.index, shallow: signBlockShallow(s.block), sig: s.sig, type: s.block.type, kids: getChildren(s.block).length > 0 })),
      at: env.now().toISOString(),
    }
    await store.saveNotebook(model)
    // Nested to_do blocks: their ids come from reading their parent once, right after it is created.
    const wanted = new Set<NotionBlock>()
    for (const s of run) {
      if (s.section === 'anchor') continue
      const d = desiredById.get(s.section)!
      for (const path of d.todoPaths.values()) if (path.length > 1 && path[0] === s.index) wanted.add(blockAt(d.blocks, path))
    }
    const plan = packAppends(run.map((s) => s.block), undefined, { wantId: (b) => wanted.has(b) })
    const executed = await executeAppendPlan(plan, pageId, (parent, children, a) => ((result.requests++, port.append(parent, children, a))), {
      after,
      listChildren: (blockId) => ((result.requests++, port.listChildren(blockId))),
    })
    executed.topLevelIds.forEach((id, k) => (run[k].id = id))
    for (const [block, id] of executed.idOf) {
      for (const s of run) {
        if (s.section === 'anchor') continue
        const d = desiredById.get(s.section)!
        for (const path of d.todoPaths.values()) if (path.length > 1 && path[0] === s.index && blockAt(d.blocks, path) === block) {
          const st = model.sections.get(s.section) ?? { blocks: [], nested: {} }
          st.nested[path.join('.')] = id
          model.sections.set(s.section, st)
        }
      }
    }
    if (!executed.ok) {
      const cause = executed.error.cause
      // Whatever landed is recorded; a failed request may have landed too (a 504): the intent stays
      // for the blocks still without an id, and the next run finds them.
      const landed = run.filter((s) => s.id)
      if (landed.length) {
        state.intent = state.intent && { ...state.intent, after: landed[landed.length - 1].id, entries: state.intent.entries.slice(landed.length) }
        await this.saveRunProgress(run)
      }
      if (cause instanceof SyncCallError && cause.kind === 'invalid') {
        state.intent = null
        await store.saveNotebook(model)
        return cause.message
      }
      throw cause instanceof SyncCallError ? cause : new SyncCallError('transient', executed.error.message)
    }
    state.intent = null
    await this.saveRunProgress(run)
    return null
  }

  /**
   * After a run: each section it touched holds its blocks that exist now, in the order of the slots
   * (which is Notion's order), so a crash loses nothing and the next diff sees the page as it is.
   */
  private async saveRunProgress(run: Slot[]) {
    const { model, slots } = this
    const store = this.env.store
    for (const s of run) if (s.section === 'anchor' && s.id) model.state.anchorId = s.id
    const touched = [...new Set(run.filter((s) => s.id && s.section !== 'anchor').map((s) => s.section as number))]
    for (const section of touched) {
      const st = model.sections.get(section) ?? { blocks: [], nested: {} }
      st.blocks = slots.filter((s) => s.section === section && s.id).map((s) => ({ id: s.id!, sig: s.sig, type: s.block.type, kids: getChildren(s.block).length > 0 }))
      model.sections.set(section, st)
    }
    // Section order in Notion: the slots' order, for sections holding a block.
    const order: number[] = []
    for (const s of slots) if (s.section !== 'anchor' && s.id && !order.includes(s.section)) order.push(s.section)
    model.state.sections = [...order, ...model.state.sections.filter((p) => !order.includes(p) && realBlocks(model.sections.get(p)).length > 0)]
    await store.saveSections(model, touched)
  }

  private async appendSectionBySection(run: Slot[], after: string | undefined) {
    const { result } = this
    let anchor = after
    for (const section of [...new Set(run.map((s) => s.section))]) {
      const part = run.filter((s) => s.section === section && !s.id)
      if (!part.length) continue
      const failure = await this.appendRun(part, anchor)
      if (failure && section !== 'anchor') result.failedSections.push({ pageId: section as number, message: failure })
      else if (failure) throw new SyncCallError('invalid', failure)
      const last = [...part].reverse().find((s) => s.id)
      if (last) anchor = last.id!
    }
  }

  /** Nested to_dos in blocks written earlier: read the parent's children once and match by text. */
  private async learnNestedTodoIds() {
    const { env, model } = this
    const touched = new Set<number>()
    for (const d of model.desired) {
      const st = model.sections.get(d.pageId)
      if (!st || st.blocks.length !== d.blocks.length) continue
      for (const path of d.todoPaths.values()) {
        if (path.length < 2 || st.nested[path.join('.')]) continue
        let parentId = st.blocks[path[0]].id
        for (let depth = 1; depth < path.length; depth++) {
          const key = path.slice(0, depth + 1).join('.')
          let id = st.nested[key]
          if (!id) {
            const listed = await readAllChildren(this, env.port, parentId)
            const target = blockAt(d.blocks, path.slice(0, depth + 1))
            const siblings = getChildren(blockAt(d.blocks, path.slice(0, depth)))
            // Match by position among children, checking the text agrees.
            const candidate = listed[path[depth]]
            if (!candidate || signResponseBlockShallow(candidate) !== signBlockShallow(target) || listed.length < siblings.length) break
            id = candidate.id
            st.nested[key] = id
            touched.add(d.pageId)
          }
          parentId = id
        }
      }
    }
    if (touched.size) await env.store.saveSections(model, [...touched])
  }
}

function blockAt(blocks: NotionBlock[], path: number[]): NotionBlock {
  let block = blocks[path[0]]
  for (const i of path.slice(1)) block = getChildren(block)[i]
  return block
}
