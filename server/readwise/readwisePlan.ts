// The plan of a Readwise sync of one notebook, from what each item should be and what its record
// says was delivered: new pieces to create (batched), changed pieces to PATCH in place, pieces and
// removed items to DELETE. A PATCH cannot move a highlight to another book, so items whose book
// changed (the notebook renamed, its tags or folder changed) are created in the new book and their
// old highlights deleted. Nothing unchanged is touched.
import { hashBook, hashPatchable, type ReadwiseHighlightInput } from './readwiseHighlights.ts'
import type { ReadwiseModel } from './readwiseModel.ts'

export interface CreateOp {
  key: string
  index: number
  input: ReadwiseHighlightInput
  hash: string
}

export interface UpdateOp {
  key: string
  index: number
  id: string
  input: ReadwiseHighlightInput
  hash: string
}

export interface DeleteOp {
  key: string
  id: string
  /** A highlight in a book the item left (not one of its current pieces). */
  stale?: boolean
}

export interface ReadwisePlan {
  creates: CreateOp[]
  updates: UpdateOp[]
  deletes: DeleteOp[]
  /** Items whose record goes once their deletes are done (removed at the source, or no longer sent). */
  removed: string[]
}

export function planReadwiseSync(model: ReadwiseModel): ReadwisePlan {
  const plan: ReadwisePlan = { creates: [], updates: [], deletes: [], removed: [] }
  const book = hashBook(model.book)
  // Items in the order they are in the notebook (pages, then highlights as found), then those gone.
  const keys = new Set([...model.desired.keys(), ...[...model.records.keys()].sort()])
  for (const key of keys) {
    const desired = model.desired.get(key)
    const state = model.states.get(key)
    for (const id of state?.stale ?? []) plan.deletes.push({ key, id, stale: true })
    if (!desired) {
      for (const id of state?.ids ?? []) plan.deletes.push({ key, id })
      plan.removed.push(key)
      continue
    }
    const pieces = desired.pieces.map((input) => ({ input, hash: hashPatchable(input) }))
    if (!state || state.book !== book) {
      pieces.forEach((p, index) => plan.creates.push({ key, index, ...p }))
      for (const id of state?.ids ?? []) plan.deletes.push({ key, id, stale: true })
      continue
    }
    pieces.forEach((p, index) => {
      const id = state.ids[index]
      if (id === undefined) plan.creates.push({ key, index, ...p })
      else if (state.hashes[index] !== p.hash) plan.updates.push({ key, index, id, ...p })
    })
    for (const id of state.ids.slice(pieces.length)) plan.deletes.push({ key, id })
  }
  // Readwise de-duplicates the same text in one book into one highlight: an id another item keeps
  // is not deleted with this one.
  const kept = new Set<string>()
  for (const [key, state] of model.states) {
    if (!model.desired.has(key) || state.book !== book) continue
    state.ids.slice(0, model.desired.get(key)!.pieces.length).forEach((id) => kept.add(id))
  }
  plan.deletes = plan.deletes.filter((d) => !kept.has(d.id))
  return plan
}

export function countPlannedRequests(plan: ReadwisePlan, batch: number): number {
  return Math.ceil(plan.creates.length / batch) + plan.updates.length + plan.deletes.length
}
