import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { orderSequence, type SequenceEntry } from '../../server/rm/crdtSequence.ts'
import { StepBudget } from '../../server/rm/stepBudget.ts'
import type { CrdtId } from '../../server/rm/crdtId.ts'

const id = (author: number, counter: number): CrdtId => ({ author, counter })
const END = id(0, 0)

function makeEntry(start: CrdtId, left: CrdtId, right: CrdtId, length = 1): SequenceEntry {
  return { id: start, leftId: left, rightId: right, length }
}

/** Final order as "author:counter" strings, one per element. */
function orderIds(entries: SequenceEntry[]): string[] {
  const { pieces } = orderSequence(entries, new StepBudget(1e7))
  return pieces.flatMap((piece) => {
    const { author, counter } = entries[piece.entry].id
    return Array.from({ length: piece.to - piece.from }, (_, k) => `${author}:${counter + piece.from + k}`)
  })
}

/**
 * Reference: expand every run into single elements and run Kahn's algorithm, taking the
 * smallest ready key first (start, then higher author, lower counter, then end), one
 * element at a time. Returns undefined when the links contain a cycle.
 */
function orderNaively(entries: SequenceEntry[]): string[] | undefined {
  type Char = { key: string; author: number; counter: number; left: string; right: string }
  const chars = new Map<string, Char>()
  const links: { key: string; left: CrdtId; right: CrdtId; author: number; counter: number }[] = []
  for (const e of entries) {
    for (let k = 0; k < e.length; k++) {
      const counter = e.id.counter + k
      links.push({
        key: `${e.id.author}:${counter}`,
        author: e.id.author,
        counter,
        left: k === 0 ? e.leftId : id(e.id.author, counter - 1),
        right: k === e.length - 1 ? e.rightId : id(e.id.author, counter + 1),
      })
    }
  }
  for (const l of links) chars.set(l.key, { key: l.key, author: l.author, counter: l.counter, left: '', right: '' })
  const side = (target: CrdtId, fallback: string) => {
    const key = `${target.author}:${target.counter}`
    return (target.author === 0 && target.counter === 0) || !chars.has(key) ? fallback : key
  }
  const inDegree = new Map<string, number>([['start', 0], ['end', 0]])
  const dependents = new Map<string, string[]>()
  const add = (from: string, to: string) => {
    dependents.set(from, [...(dependents.get(from) ?? []), to])
    inDegree.set(to, (inDegree.get(to) ?? 0) + 1)
  }
  for (const l of links) {
    if (!inDegree.has(l.key)) inDegree.set(l.key, 0)
    add(side(l.left, 'start'), l.key)
    add(l.key, side(l.right, 'end'))
  }
  const rank = (key: string): [number, number, number] => {
    if (key === 'start') return [0, 0, 0]
    if (key === 'end') return [2, 0, 0]
    const c = chars.get(key) as Char
    return [1, -c.author, c.counter]
  }
  const ready = [...inDegree].filter(([, d]) => d === 0).map(([k]) => k)
  const out: string[] = []
  while (ready.length > 0) {
    ready.sort((a, b) => {
      const [x, y] = [rank(a), rank(b)]
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]
    })
    const next = ready.shift() as string
    if (next === 'end') break
    if (next !== 'start') out.push(next)
    for (const d of dependents.get(next) ?? []) {
      inDegree.set(d, (inDegree.get(d) as number) - 1)
      if (inDegree.get(d) === 0) ready.push(d)
    }
  }
  return out.length === chars.size ? out : undefined
}

describe('CRDT sequence ordering', () => {
  it('follows left/right links', () => {
    const entries = [makeEntry(id(1, 20), id(1, 10), END), makeEntry(id(1, 10), END, END), makeEntry(id(1, 15), id(1, 10), id(1, 20))]
    expect(orderIds(entries)).toEqual(['1:10', '1:15', '1:20'])
  })

  it('puts the higher author first for concurrent inserts at one place', () => {
    // The test-crdt-ordering fixture's situation: "A", then "12" (author 2) and "_" (author 1) both before "Z".
    const entries = [
      makeEntry(id(1, 16), END, END),
      makeEntry(id(2, 18), id(1, 16), id(1, 17), 2),
      makeEntry(id(1, 18), id(1, 16), id(1, 17)),
      makeEntry(id(1, 17), id(1, 16), END),
    ]
    expect(orderIds(entries)).toEqual(['1:16', '2:18', '2:19', '1:18', '1:17'])
  })

  it('splits a run where another entry is inserted into its middle', () => {
    const entries = [makeEntry(id(1, 1), END, END, 5), makeEntry(id(2, 1), id(1, 2), id(1, 3))]
    expect(orderIds(entries)).toEqual(['1:1', '1:2', '2:1', '1:3', '1:4', '1:5'])
  })

  it('treats links to unknown ids as the sequence ends', () => {
    const entries = [makeEntry(id(1, 5), id(9, 9), END), makeEntry(id(1, 3), END, id(7, 7))]
    expect(orderIds(entries)).toEqual(['1:3', '1:5'])
  })

  it('keeps elements caught in a cycle, after the rest, and counts them', () => {
    const entries = [makeEntry(id(1, 1), END, END), makeEntry(id(1, 2), id(1, 3), END), makeEntry(id(1, 3), id(1, 2), END)]
    const result = orderSequence(entries, new StepBudget(1e6))
    expect(result.unordered).toBe(2)
    expect(orderIds(entries)).toEqual(['1:1', '1:2', '1:3'])
  })

  it('drops an entry that reuses ids of another', () => {
    const entries = [makeEntry(id(1, 1), END, END, 4), makeEntry(id(1, 3), END, END, 2)]
    const result = orderSequence(entries, new StepBudget(1e6))
    expect(result.dropped).toBe(1)
    expect(orderIds(entries)).toEqual(['1:1', '1:2', '1:3', '1:4'])
  })

  it('orders a billion-element run in a handful of steps', () => {
    const entries = [makeEntry(id(1, 1), END, END, 1_000_000_000), makeEntry(id(2, 1), id(1, 500_000_000), id(1, 500_000_001))]
    const budget = new StepBudget(100)
    const { pieces } = orderSequence(entries, budget)
    expect(pieces).toEqual([
      { entry: 0, from: 0, to: 500_000_000 },
      { entry: 1, from: 0, to: 1 },
      { entry: 0, from: 500_000_000, to: 1_000_000_000 },
    ])
    expect(budget.stepsUsed).toBeLessThan(30)
  })

  // Edits as a tablet makes them: each insert goes between two neighbours of some
  // (possibly stale, i.e. concurrent) view of the document.
  const editHistory = fc.array(
    fc.record({ author: fc.integer({ min: 1, max: 3 }), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }), stale: fc.boolean() }),
    { minLength: 1, maxLength: 14 },
  )

  it('matches element-by-element ordering on simulated edit histories', () => {
    fc.assert(
      fc.property(editHistory, (edits) => {
        const entries: SequenceEntry[] = []
        const counters = [0, 100, 100, 100]
        let doc: CrdtId[] = []
        let previousDoc: CrdtId[] = []
        for (const edit of edits) {
          const view = edit.stale ? previousDoc : doc
          const at = edit.at % (view.length + 1)
          const start = id(edit.author, counters[edit.author])
          counters[edit.author] += edit.length
          entries.push(makeEntry(start, view[at - 1] ?? END, view[at] ?? END, edit.length))
          previousDoc = doc
          const run = Array.from({ length: edit.length }, (_, k) => id(edit.author, start.counter + k))
          const position = Math.min(at, doc.length)
          doc = [...doc.slice(0, position), ...run, ...doc.slice(position)]
        }
        const naive = orderNaively(entries)
        fc.pre(naive !== undefined)
        expect(orderIds(entries)).toEqual(naive)
      }),
      { seed: 20261125, numRuns: 400 },
    )
  })

  it('matches element-by-element ordering on arbitrary acyclic links', () => {
    const link = fc.oneof(fc.constant<[number, number]>([0, 0]), fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 12 })))
    const entriesArb = fc.array(
      fc.record({ author: fc.integer({ min: 1, max: 2 }), length: fc.integer({ min: 1, max: 3 }), left: link, right: link }),
      { minLength: 1, maxLength: 6 },
    )
    fc.assert(
      fc.property(entriesArb, (specs) => {
        const next = [0, 0, 0]
        const entries = specs.map((spec) => {
          const start = id(spec.author, next[spec.author])
          next[spec.author] += spec.length + 1 // leave gaps so some links point at nothing
          return makeEntry(start, id(...spec.left), id(...spec.right), spec.length)
        })
        const naive = orderNaively(entries)
        fc.pre(naive !== undefined)
        expect(orderIds(entries)).toEqual(naive)
      }),
      { seed: 7, numRuns: 600 },
    )
  })
})
