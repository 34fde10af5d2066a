// A tiny in-memory stand-in for `PATCH /v1/blocks/{id}/children` and the first page of
// `GET /v1/blocks/{id}/children`: it enforces Notion's request limits (throwing like a 400 would),
// stores the tree, and returns only first-level ids, as Notion does.

import { getChildren, getRichText, withChildren, type NotionBlock } from '../../server/notion/index.ts'
import { NOTION_MAX_BODY_BYTES } from '../../server/notion/index.ts'

export type RecorderLimits = { maxChildren: number; maxElements: number; maxBodyBytes: number; maxLevels: number }
export const realNotionLimits: RecorderLimits = { maxChildren: 100, maxElements: 1000, maxBodyBytes: NOTION_MAX_BODY_BYTES, maxLevels: 3 }

type Stored = { block: NotionBlock; children: string[] }
export type RecordedCall = { kind: 'append' | 'list'; blockId: string; children: number; elements: number; bytes: number; after?: string }

export function makeAppendRecorder(limits: RecorderLimits = realNotionLimits) {
  const store = new Map<string, Stored>()
  store.set('root', { block: { type: 'paragraph', paragraph: { rich_text: [] } }, children: [] })
  const calls: RecordedCall[] = []
  let nextId = 1

  const countElements = (blocks: NotionBlock[]): number => blocks.reduce((sum, block) => sum + 1 + countElements(getChildren(block)), 0)

  const check = (blocks: NotionBlock[], level: number, path: string) => {
    if (blocks.length > limits.maxChildren) throw new Error(`${path}.length should be ≤ ${limits.maxChildren}, instead was ${blocks.length}`)
    blocks.forEach((block, index) => {
      const here = `${path}[${index}].${block.type}`
      const rich = getRichText(block)
      if (rich.length > 100) throw new Error(`${here}.rich_text.length should be ≤ 100, instead was ${rich.length}`)
      rich.forEach((item, i) => {
        if (item.text.content.length > 2000) throw new Error(`${here}.rich_text[${i}].text.content.length should be ≤ 2000`)
        if (item.text.link && item.text.link.url.length > 2000) throw new Error(`${here}.rich_text[${i}].text.link.url too long`)
      })
      const children = getChildren(block)
      if (children.length > 0 && level >= limits.maxLevels) throw new Error(`${here}.children should be not present`)
      check(children, level + 1, `${here}.children`)
    })
  }

  const insert = (blocks: NotionBlock[]): string[] =>
    blocks.map((block) => {
      const id = `b${nextId++}`
      store.set(id, { block: withChildren(block, []), children: insert(getChildren(block)) })
      return id
    })

  async function append(parentId: string, children: NotionBlock[], after?: string) {
    const body = after === undefined ? { children } : { children, after }
    const bytes = Buffer.byteLength(JSON.stringify(body))
    const elements = countElements(children)
    calls.push({ kind: 'append', blockId: parentId, children: children.length, elements, bytes, after })
    const parent = store.get(parentId)
    if (!parent) throw new Error(`Could not find block with ID: ${parentId}`)
    if (bytes > limits.maxBodyBytes) throw new Error(`413 Payload Too Large: ${bytes} bytes`)
    if (elements > limits.maxElements) throw new Error(`request has ${elements} block elements, over ${limits.maxElements}`)
    check(children, 1, 'body.children')
    const ids = insert(children)
    const position = after === undefined ? parent.children.length : parent.children.indexOf(after) + 1
    if (after !== undefined && position === 0) throw new Error(`after block ${after} is not a child of ${parentId}`)
    parent.children.splice(position, 0, ...ids)
    return { results: ids.map((id) => ({ id })) }
  }

  async function listChildren(blockId: string) {
    calls.push({ kind: 'list', blockId, children: 0, elements: 0, bytes: 0 })
    const stored = store.get(blockId)
    if (!stored) throw new Error(`Could not find block with ID: ${blockId}`)
    return { results: stored.children.slice(0, 100).map((id) => ({ id })) }
  }

  /** The stored tree under `id`, as request-shaped blocks. */
  function readTree(id = 'root'): NotionBlock[] {
    return store.get(id)!.children.map((childId) => withChildren(store.get(childId)!.block, readTree(childId)))
  }

  /** Seeds existing children under the root (for `after` tests). */
  function seed(blocks: NotionBlock[]): string[] {
    const ids = insert(blocks)
    store.get('root')!.children.push(...ids)
    return ids
  }

  return { append, listChildren, readTree, seed, calls, blockOf: (id: string) => store.get(id)?.block }
}
