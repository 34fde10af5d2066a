// The server's folders form layers: a folder may use another only if that one does not use it back,
// through any chain (sync uses events, events does not use sync). Files import no cycle either. Read
// from the source's import statements (type-only imports included: they couple the files all the same).
// server/*.ts (config, db, errors, the composition root) and server/generated/ are outside the check.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const SERVER = path.resolve(import.meta.dirname, '../../server')
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === 'generated' ? [] : listSources(p)
    return /\.tsx?$/.test(e.name) ? [p] : []
  })
}

/** file → the server files it imports. */
function readImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of listSources(SERVER)) {
    const targets: string[] = []
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), m[1] ?? m[2])
      if (target.startsWith(SERVER + path.sep) && !target.includes(`${path.sep}generated${path.sep}`)) targets.push(target)
    }
    graph.set(file, targets)
  }
  return graph
}

function folderOf(file: string): string | null {
  const parts = path.relative(SERVER, file).split(path.sep)
  return parts.length > 1 ? parts[0] : null
}

/** Every cycle's members (strongly connected components of more than one node, or a node importing itself). */
function findCycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  let next = 0
  const visit = (v: string) => {
    index.set(v, next), low.set(v, next), next++
    stack.push(v), onStack.add(v)
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) visit(w), low.set(v, Math.min(low.get(v)!, low.get(w)!))
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const members: string[] = []
      let w: string
      do (w = stack.pop()!), onStack.delete(w), members.push(w)
      while (w !== v)
      if (members.length > 1 || edges.get(v)?.has(v)) cycles.push(members.sort())
    }
  }
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v)
  return cycles
}

/** For a message: which imports make the folders of a cycle use each other. */
function describeFolderCycle(members: string[], imports: Map<string, string[]>): string {
  const lines = [...imports].flatMap(([file, targets]) =>
    targets
      .filter((t) => folderOf(file) !== folderOf(t) && members.includes(folderOf(file) ?? '') && members.includes(folderOf(t) ?? ''))
      .map((t) => `  ${path.relative(SERVER, file)} → ${path.relative(SERVER, t)}`),
  )
  return `${members.join(' ↔ ')}\n${[...new Set(lines)].join('\n')}`
}

describe('imports in server/', () => {
  const imports = readImports()

  it('between folders form no cycle', () => {
    const edges = new Map<string, Set<string>>()
    for (const [file, targets] of imports) {
      const from = folderOf(file)
      if (!from) continue
      for (const target of targets) {
        const to = folderOf(target)
        if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to))
      }
    }
    expect(edges.size).toBeGreaterThan(5) // the walk found the folders
    expect(findCycles(edges).map((c) => describeFolderCycle(c, imports))).toEqual([])
  })

  it('between files form no cycle', () => {
    const edges = new Map([...imports].map(([file, targets]) => [path.relative(SERVER, file), new Set(targets.map((t) => path.relative(SERVER, t)))]))
    expect(findCycles(edges)).toEqual([])
  })
})
