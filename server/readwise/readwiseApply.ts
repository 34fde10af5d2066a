// Carries out a Readwise plan: first any create left in flight by the last run (sent again: Readwise
// answers the same ids for the same title, author and text), then creates in batches — each recorded
// as an intent before it is sent —, PATCHes in place (a highlight deleted in Readwise is created
// again), and DELETEs (one already gone is fine). What each item holds is saved after every step.
import { ReadwiseCallError } from './readwiseCallError.ts'
import type { ReadwiseBook, ReadwiseClient } from './readwiseClient.ts'
import { hashBook, type ReadwiseHighlightInput } from './readwiseHighlights.ts'
import { READWISE_CREATE_BATCH } from './readwiseLimits.ts'
import type { ReadwiseCreateIntent, ReadwiseItemState, ReadwiseModel } from './readwiseModel.ts'
import type { CreateOp, ReadwisePlan } from './readwisePlan.ts'

export interface ReadwiseStore {
  saveItems(model: ReadwiseModel, keys: string[]): Promise<void>
  saveNotebook(model: ReadwiseModel): Promise<void>
}

export const memoryReadwiseStore: ReadwiseStore = { async saveItems() {}, async saveNotebook() {} }

export interface ReadwiseApplyResult {
  requests: number
  /** Items Readwise refused (a 400): the rest went through. */
  failed: Map<string, string>
}

export interface ReadwiseEnv {
  client: ReadwiseClient
  store: ReadwiseStore
}

export async function applyReadwisePlan(env: ReadwiseEnv, model: ReadwiseModel, plan: ReadwisePlan): Promise<ReadwiseApplyResult> {
  const result: ReadwiseApplyResult = { requests: 0, failed: new Map() }
  const book = hashBook(model.book)
  // New states: items recreated (another book) start empty; the old ids go with the deletes.
  const next = new Map<string, ReadwiseItemState>()
  const stateOf = (key: string) => {
    let st = next.get(key)
    if (!st) {
      const old = model.states.get(key)
      st =
        old && old.book === book
          ? { book, ids: [...old.ids], hashes: [...old.hashes], stale: [...(old.stale ?? [])] }
          : { book, ids: [], hashes: [], stale: [...(old?.stale ?? []), ...(old?.ids ?? [])] }
      next.set(key, st)
    }
    return st
  }
  const commit = async (keys: string[]) => {
    for (const key of new Set(keys)) model.states.set(key, stateOf(key))
    await env.store.saveItems(model, [...new Set(keys)])
  }

  // Updates first: one that finds its highlight gone turns into a create.
  const creates: CreateOp[] = [...plan.creates]
  for (const op of plan.updates) {
    try {
      result.requests++
      await env.client.updateHighlight(op.id, { text: op.input.text, note: op.input.note ?? '', location: op.input.location, url: op.input.highlight_url })
      const st = stateOf(op.key)
      st.hashes[op.index] = op.hash
      await commit([op.key])
    } catch (error) {
      if (!(error instanceof ReadwiseCallError)) throw error
      if (error.kind === 'not_found') creates.push({ key: op.key, index: op.index, input: op.input, hash: op.hash })
      else if (error.kind === 'invalid') result.failed.set(op.key, error.message)
      else throw error
    }
  }

  for (let i = 0; i < creates.length; i += READWISE_CREATE_BATCH) {
    await sendCreates(env, model, creates.slice(i, i + READWISE_CREATE_BATCH), result, stateOf, commit)
  }

  const removedKeys = new Set(plan.removed)
  for (const op of plan.deletes) {
    try {
      result.requests++
      await env.client.deleteHighlight(op.id)
    } catch (error) {
      if (!(error instanceof ReadwiseCallError) || (error.kind !== 'not_found' && error.kind !== 'invalid')) throw error
    }
    if (removedKeys.has(op.key)) {
      const st = model.states.get(op.key)
      if (st) Object.assign(st, { ids: st.ids.filter((id) => id !== op.id), stale: (st.stale ?? []).filter((id) => id !== op.id) })
      await env.store.saveItems(model, [op.key])
    } else if (op.stale) {
      const st = stateOf(op.key)
      st.stale = (st.stale ?? []).filter((id) => id !== op.id)
      await commit([op.key])
    } else {
      const st = stateOf(op.key)
      const at = st.ids.indexOf(op.id)
      // A surplus piece of an item that became shorter: the list is cut to what remains.
      if (at >= 0) {
        st.ids.splice(at, 1)
        st.hashes.splice(at, 1)
      }
      await commit([op.key])
    }
  }
  return result
}

async function sendCreates(
  env: ReadwiseEnv,
  model: ReadwiseModel,
  batch: CreateOp[],
  result: ReadwiseApplyResult,
  stateOf: (key: string) => ReadwiseItemState,
  commit: (keys: string[]) => Promise<void>,
) {
  const book = hashBook(model.book)
  model.state.intent = { entries: batch.map((op) => ({ key: op.key, index: op.index, input: op.input, hash: op.hash, book })) }
  await env.store.saveNotebook(model)
  let ids: string[]
  try {
    result.requests++
    ids = matchCreatedIds(model, await env.client.createHighlights(batch.map((op) => op.input)), batch.map((op) => op.input))
  } catch (error) {
    if (!(error instanceof ReadwiseCallError) || error.kind !== 'invalid') throw error
    model.state.intent = null
    await env.store.saveNotebook(model)
    // Readwise refused the batch: each item alone, so only the one at fault fails.
    if (batch.length > 1) {
      const byKey = new Map<string, CreateOp[]>()
      for (const op of batch) byKey.set(op.key, [...(byKey.get(op.key) ?? []), op])
      for (const ops of byKey.values()) await sendCreates(env, model, ops, result, stateOf, commit)
    } else result.failed.set(batch[0].key, error.message)
    return
  }
  batch.forEach((op, k) => {
    const st = stateOf(op.key)
    st.ids[op.index] = ids[k]
    st.hashes[op.index] = op.hash
  })
  model.state.intent = null
  await commit(batch.map((op) => op.key))
  await env.store.saveNotebook(model)
}

/**
 * The id of each highlight sent, from the books Readwise answers: the book of this notebook, whose
 * `modified_highlights` lists the ids in the order sent, one per distinct text (Readwise merges
 * the same text in one book into one highlight).
 */
export function matchCreatedIds(model: ReadwiseModel, books: ReadwiseBook[], sent: ReadwiseHighlightInput[]): string[] {
  const book = books.find((b) => b.title === model.book.title && (b.author ?? null) === model.book.author) ?? (books.length === 1 ? books[0] : undefined)
  if (!book) throw new ReadwiseCallError('transient', 'Readwise did not answer the book the highlights were sent to')
  model.state.bookId = book.id
  const texts = [...new Set(sent.map((s) => s.text))]
  const ids = book.modified_highlights.map(String)
  if (ids.length !== texts.length) throw new ReadwiseCallError('transient', `Readwise answered ${ids.length} highlight ids for ${texts.length} highlights sent`)
  const idOfText = new Map(texts.map((t, i) => [t, ids[i]]))
  return sent.map((s) => idOfText.get(s.text)!)
}

/** A create the last run sent without recording its answer: sent again, its ids adopted. */
export async function recoverReadwiseIntent(env: ReadwiseEnv, model: ReadwiseModel): Promise<number> {
  const intent: ReadwiseCreateIntent | null = model.state.intent
  if (!intent || intent.entries.length === 0) return 0
  const books = await env.client.createHighlights(intent.entries.map((e) => e.input))
  const ids = matchCreatedIds(model, books, intent.entries.map((e) => e.input))
  const touched: string[] = []
  intent.entries.forEach((e, k) => {
    const old = model.states.get(e.key)
    // An item moving to another book keeps its old highlights as stale, for the plan to delete.
    const st = old && old.book === e.book ? old : { book: e.book, ids: [], hashes: [], stale: [...(old?.stale ?? []), ...(old?.ids ?? [])] }
    st.ids[e.index] = ids[k]
    st.hashes[e.index] = e.hash
    model.states.set(e.key, st)
    touched.push(e.key)
  })
  model.state.intent = null
  await env.store.saveItems(model, touched)
  await env.store.saveNotebook(model)
  return 1
}
