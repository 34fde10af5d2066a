import { isEndMarker, type CrdtId } from './crdtId.ts'
import { MinHeap } from './minHeap.ts'
import type { StepBudget } from './stepBudget.ts'

/**
 * One stored element of a CRDT sequence. It covers `length` consecutive ids starting at
 * `id` (a text run: one id per character; a scene item: length 1). It belongs after
 * `leftId` and before `rightId`; END_MARKER or an id nobody holds means "sequence end".
 */
export interface SequenceEntry {
  id: CrdtId
  leftId: CrdtId
  rightId: CrdtId
  length: number
}

/** Elements [from, to) of entry number `entry`, in final order. */
export interface OrderedPiece {
  entry: number
  from: number
  to: number
}

export interface OrderedSequence {
  pieces: OrderedPiece[]
  /** Entries overlapping another entry's ids (corrupt input) that were left out. */
  dropped: number
  /** Elements caught in a left/right cycle (corrupt input), appended at the end in file order. */
  unordered: number
}

/**
 * A run of consecutive ids that nothing outside points into, so it can be ordered as
 * one node: only its first id can be somebody's right neighbour and only its last id
 * somebody's left neighbour.
 */
interface Segment {
  entry: number
  from: number
  to: number
  author: number
  counter: number
}

interface ReadyNode {
  node: number
  rank: 0 | 1 | 2
  author: number
  counter: number
}

/**
 * Ready elements are taken lowest key first: the start, then ids by higher author first
 * (concurrent inserts at one place: the tablet puts the higher author first) and lower
 * counter, then the end.
 */
function isReadyBefore(a: ReadyNode, b: ReadyNode): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank
  if (a.author !== b.author) return a.author > b.author
  if (a.counter !== b.counter) return a.counter < b.counter
  return a.node < b.node
}

class EntryIndex {
  private readonly byAuthor = new Map<number, number[]>()

  constructor(private readonly entries: readonly SequenceEntry[], sortedKept: number[]) {
    for (const index of sortedKept) {
      const author = entries[index].id.author
      let list = this.byAuthor.get(author)
      if (!list) this.byAuthor.set(author, (list = []))
      list.push(index)
    }
  }

  /** The entry holding `id` and the element's offset in it. */
  find(id: CrdtId): { entry: number; offset: number } | undefined {
    const list = this.byAuthor.get(id.author)
    if (!list) return undefined
    let low = 0
    let high = list.length - 1
    let found = -1
    while (low <= high) {
      const mid = (low + high) >> 1
      if (this.entries[list[mid]].id.counter <= id.counter) {
        found = mid
        low = mid + 1
      } else high = mid - 1
    }
    if (found < 0) return undefined
    const entry = list[found]
    const offset = id.counter - this.entries[entry].id.counter
    return offset < this.entries[entry].length ? { entry, offset } : undefined
  }
}

/** Keeps entries whose id ranges do not overlap; on equal starts the later entry in the file wins. */
function selectNonOverlapping(entries: readonly SequenceEntry[], budget: StepBudget): number[] {
  budget.spend(entries.length)
  const candidates: number[] = []
  entries.forEach((entry, index) => {
    if (entry.length >= 1) candidates.push(index)
  })
  candidates.sort((a, b) => {
    const ea = entries[a].id
    const eb = entries[b].id
    return ea.author - eb.author || ea.counter - eb.counter || b - a
  })
  const kept: number[] = []
  let lastAuthor = -1
  let lastEnd = -Infinity
  for (const index of candidates) {
    const { id, length } = entries[index]
    if (id.author === lastAuthor && id.counter < lastEnd) continue
    kept.push(index)
    lastAuthor = id.author
    lastEnd = id.counter + length
  }
  return kept
}

/**
 * Orders a CRDT sequence (topological order of the left/right links, ties broken as the
 * tablet does). Runs are never expanded element by element: a run of N deleted characters
 * costs as much as a run of one, so a file cannot make this step large by declaring a
 * huge deleted length.
 */
export function orderSequence(entries: readonly SequenceEntry[], budget: StepBudget): OrderedSequence {
  const kept = selectNonOverlapping(entries, budget)
  const index = new EntryIndex(entries, kept)

  // Cut runs where another entry links into their middle.
  const cuts = new Map<number, number[]>()
  const addCut = (entry: number, at: number) => {
    if (at <= 0 || at >= entries[entry].length) return
    let list = cuts.get(entry)
    if (!list) cuts.set(entry, (list = []))
    list.push(at)
  }
  const leftOf: (ReturnType<EntryIndex['find']>)[] = []
  const rightOf: (ReturnType<EntryIndex['find']>)[] = []
  for (const entry of kept) {
    budget.spend()
    const { leftId, rightId } = entries[entry]
    const left = isEndMarker(leftId) ? undefined : index.find(leftId)
    const right = isEndMarker(rightId) ? undefined : index.find(rightId)
    leftOf[entry] = left
    rightOf[entry] = right
    if (left) addCut(left.entry, left.offset + 1)
    if (right) addCut(right.entry, right.offset)
  }

  const segments: Segment[] = []
  const firstSegment = new Map<number, number>()
  const boundaries = new Map<number, number[]>()
  const keptInFileOrder = [...kept].sort((a, b) => a - b)
  for (const entry of keptInFileOrder) {
    const { id, length } = entries[entry]
    const marks = [...new Set(cuts.get(entry) ?? [])].sort((a, b) => a - b)
    budget.spend(marks.length + 1)
    const bounds = [0, ...marks, length]
    firstSegment.set(entry, segments.length)
    boundaries.set(entry, bounds)
    for (let i = 0; i + 1 < bounds.length; i++) {
      segments.push({ entry, from: bounds[i], to: bounds[i + 1], author: id.author, counter: id.counter + bounds[i] })
    }
  }
  const findSegment = (entry: number, offset: number): number => {
    const bounds = boundaries.get(entry) as number[]
    let low = 0
    let high = bounds.length - 2
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (bounds[mid] <= offset) low = mid
      else high = mid - 1
    }
    return (firstSegment.get(entry) as number) + low
  }

  const startNode = segments.length
  const endNode = segments.length + 1
  const inDegree = new Int32Array(segments.length + 2)
  const dependents: number[][] = Array.from({ length: segments.length + 2 }, () => [])
  const link = (from: number, to: number) => {
    dependents[from].push(to)
    inDegree[to] += 1
  }
  for (const entry of keptInFileOrder) {
    const first = firstSegment.get(entry) as number
    const last = first + (boundaries.get(entry) as number[]).length - 2
    const left = leftOf[entry]
    const right = rightOf[entry]
    link(left ? findSegment(left.entry, left.offset) : startNode, first)
    for (let s = first; s < last; s++) link(s, s + 1)
    link(last, right ? findSegment(right.entry, right.offset) : endNode)
  }

  const makeReadyNode = (node: number): ReadyNode => {
    if (node === startNode) return { node, rank: 0, author: 0, counter: 0 }
    if (node === endNode) return { node, rank: 2, author: 0, counter: 0 }
    const segment = segments[node]
    return { node, rank: 1, author: segment.author, counter: segment.counter }
  }
  const heap = new MinHeap<ReadyNode>(isReadyBefore)
  for (let node = 0; node < inDegree.length; node++) if (inDegree[node] === 0) heap.push(makeReadyNode(node))

  // A whole segment is taken at once. Taking its elements one by one would give the same
  // order: when its first element is the smallest ready key, anything else ready has a
  // larger key than all of its elements (same author: ids beyond the segment, as entries
  // do not overlap; other authors: compared on author first), and nothing new becomes
  // ready until its last element is taken, since nothing links into its middle.
  const pieces: OrderedPiece[] = []
  const emitted = new Uint8Array(segments.length)
  for (let ready = heap.pop(); ready !== undefined; ready = heap.pop()) {
    budget.spend()
    if (ready.node === endNode) break
    if (ready.node !== startNode) {
      const segment = segments[ready.node]
      const previous = pieces[pieces.length - 1]
      if (previous && previous.entry === segment.entry && previous.to === segment.from) previous.to = segment.to
      else pieces.push({ entry: segment.entry, from: segment.from, to: segment.to })
      emitted[ready.node] = 1
    }
    for (const next of dependents[ready.node]) {
      inDegree[next] -= 1
      if (inDegree[next] === 0) heap.push(makeReadyNode(next))
    }
  }

  let unordered = 0
  for (let node = 0; node < segments.length; node++) {
    if (emitted[node]) continue
    const segment = segments[node]
    pieces.push({ entry: segment.entry, from: segment.from, to: segment.to })
    unordered += segment.to - segment.from
  }
  return { pieces, dropped: entries.length - kept.length, unordered }
}
