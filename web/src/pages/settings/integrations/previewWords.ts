// A dry run's planned requests in words: "Create page “Reading notes” with 42 blocks", not JSON.
type Json = Record<string, any>

export interface PlannedRequest {
  method: string
  path: string
  body?: unknown
}

function plainText(richText: unknown): string {
  if (!Array.isArray(richText)) return ''
  return richText.map((t: Json) => t?.plain_text ?? t?.text?.content ?? '').join('')
}

function titleOf(properties: unknown): string | null {
  if (!properties || typeof properties !== 'object') return null
  for (const value of Object.values(properties as Json)) if (Array.isArray(value?.title)) return plainText(value.title)
  return null
}

const quote = (s: string) => `“${s.length > 70 ? `${s.slice(0, 69)}…` : s}”`
const blocks = (n: number) => `${n} ${n === 1 ? 'block' : 'blocks'}`

/** A block as created ({ type, [type]: … }) or as updated ({ [type]: … } alone). */
function describeBlock(block: Json | undefined): string {
  if (!block || typeof block !== 'object') return 'a block'
  const type: string | undefined = block.type ?? Object.keys(block).find((k) => block[k] && typeof block[k] === 'object' && 'rich_text' in block[k])
  if (!type) return 'a block'
  const body = block[type] ?? {}
  const text = plainText(body.rich_text)
  const kind = type === 'to_do' ? (body.checked ? 'ticked todo' : 'open todo') : type.replace(/_/g, ' ')
  return text ? `${kind} ${quote(text)}` : kind
}

export function describePlannedRequest(r: PlannedRequest): string {
  const body = (r.body ?? {}) as Json
  if (r.method === 'POST' && r.path === '/v1/pages') {
    const title = titleOf(body.properties)
    const n = Array.isArray(body.children) ? body.children.length : 0
    return `Create page ${title != null ? quote(title) : '(untitled)'}${n ? ` with ${blocks(n)}` : ''}`
  }
  if (r.method === 'PATCH' && /^\/v1\/pages\/[^/]+$/.test(r.path)) {
    const names = Object.keys(body.properties ?? {})
    if (body.archived || body.in_trash) return 'Move the notebook’s page to the trash'
    return names.length ? `Update the page’s ${names.join(', ')}` : 'Update the page'
  }
  if (r.method === 'PATCH' && /\/children$/.test(r.path)) {
    const children: Json[] = Array.isArray(body.children) ? body.children : []
    const first = children[0]
    return `Append ${blocks(children.length)}${first ? `, starting with ${describeBlock(first)}` : ''}`
  }
  if (r.method === 'PATCH' && r.path.startsWith('/v1/blocks/')) return `Change a block to ${describeBlock(body as Json)}`
  if (r.method === 'DELETE') return 'Delete a block'
  if (r.method === 'POST' && r.path.endsWith('/query')) return 'Look for the notebook’s page by its UUID'
  if (r.method === 'GET' && r.path.includes('/data_sources/')) return 'Read the database’s properties'
  if (r.method === 'GET' && r.path.includes('/databases/')) return 'Read the database'
  if (r.method === 'GET' && r.path.endsWith('/children')) return 'Read the page’s blocks'
  return `${r.method} ${r.path}`
}

/** The requests that change something, in words (reads are counted, not listed). */
export function describePlan(requests: unknown): { changes: string[]; reads: number } {
  const list: PlannedRequest[] = Array.isArray(requests) ? requests : []
  const changes = list.filter((r) => r.method !== 'GET' && !(r.method === 'POST' && r.path.endsWith('/query'))).map(describePlannedRequest)
  return { changes, reads: list.length - changes.length }
}
