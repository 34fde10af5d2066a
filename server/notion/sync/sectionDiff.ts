// The block-level diff of one section: what is in Notion (recorded ids and signatures) against what
// should be. Blocks whose signature matches stay untouched (the user's comments on them stay too);
// a changed block of the same kind is updated in place; the rest is deleted or inserted after its
// new neighbour. Longest common subsequence, so a line added in the middle costs one insert.
import { getChildren, type NotionBlock } from '../blockTypes.ts'

export interface StoredBlock {
  id: string
  /** Deep signature of what we wrote (blockSignature.ts). */
  sig: string
  type: string
  /** Whether the block was written with children (those cannot be changed by an update). */
  kids: boolean
}

export type DiffOp =
  | { kind: 'keep'; current: number; desired: number }
  | { kind: 'update'; current: number; desired: number }
  | { kind: 'delete'; current: number }
  | { kind: 'insert'; desired: number }

const UPDATABLE = new Set(['paragraph', 'heading_1', 'heading_2', 'heading_3', 'bulleted_list_item', 'numbered_list_item', 'to_do', 'quote', 'callout', 'code', 'toggle'])

function canUpdate(current: StoredBlock, desired: NotionBlock): boolean {
  return current.type === desired.type && UPDATABLE.has(desired.type) && !current.kids && getChildren(desired).length === 0
}

function longestCommonSubsequence(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length
  const m = b.length
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1))
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1])
  const pairs: [number, number][] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) pairs.push([i++, j++])
    else if (table[i + 1][j] >= table[i][j + 1]) i++
    else j++
  }
  return pairs
}

/** Ops in desired order (deletes of a gap come before its inserts). */
export function diffSection(current: readonly StoredBlock[], desired: readonly NotionBlock[], desiredSigs: readonly string[]): DiffOp[] {
  const pairs = longestCommonSubsequence(current.map((c) => c.sig), desiredSigs)
  const ops: DiffOp[] = []
  let ci = 0
  let di = 0
  const flushGap = (cEnd: number, dEnd: number) => {
    const deletes: number[] = []
    const inserts: number[] = []
    for (; ci < cEnd; ci++) deletes.push(ci)
    for (; di < dEnd; di++) inserts.push(di)
    // Pair the gap's old and new blocks in order; same kind without children → update in place.
    const paired = Math.min(deletes.length, inserts.length)
    for (let k = 0; k < paired; k++) {
      if (canUpdate(current[deletes[k]], desired[inserts[k]])) ops.push({ kind: 'update', current: deletes[k], desired: inserts[k] })
      else ops.push({ kind: 'delete', current: deletes[k] }, { kind: 'insert', desired: inserts[k] })
    }
    for (let k = paired; k < deletes.length; k++) ops.push({ kind: 'delete', current: deletes[k] })
    for (let k = paired; k < inserts.length; k++) ops.push({ kind: 'insert', desired: inserts[k] })
  }
  for (const [c, d] of pairs) {
    flushGap(c, d)
    ops.push({ kind: 'keep', current: c, desired: d })
    ci = c + 1
    di = d + 1
  }
  flushGap(current.length, desired.length)
  return ops
}

/** The body of an in-place update: the block's own content, never its children. */
export function makeUpdateBody(block: NotionBlock): Record<string, unknown> {
  const { children: _children, ...body } = (block as any)[block.type] as Record<string, unknown>
  return { [block.type]: body }
}
