/** Hits grouped by notebook, the groups in the order of each notebook's first (best or newest) hit. */
export function groupByNotebook<E extends { node: { notebook: { id: string } } }>(edges: readonly E[]): E[][] {
  const byNotebook = new Map<string, E[]>()
  for (const e of edges) {
    const list = byNotebook.get(e.node.notebook.id)
    if (list) list.push(e)
    else byNotebook.set(e.node.notebook.id, [e])
  }
  return [...byNotebook.values()]
}
